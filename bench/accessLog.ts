import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** The months as Combined Log Format writes them. */
export const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
const two = (value: number) => String(value).padStart(2, '0');

/** A Combined Log Format time, UTC: `01/Jan/2024:00:00:03 +0000`. */
export function logTime(at: number): string {
  const d = new Date(at);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/**
 * Writes a Combined Log Format file of `lines` requests, one every 3 s, with a 30-hour
 * silence after every 400,000 requests (so the tag goes Inactive and back), streaming;
 * returns its size in bytes.
 */
export async function writeAccessLog(file: string, lines: number): Promise<number> {
  const out = createWriteStream(file);
  const start = Date.UTC(2024, 0, 1);
  let chunk = '';
  for (let line = 0; line < lines; line++) {
    const at = start + line * 3_000 + Math.floor(line / 400_000) * 30 * 3_600_000;
    chunk += `10.0.${line % 256}.${(line >> 8) % 256} - - [${logTime(at)}] "GET /page/${line % 1_000}.html HTTP/1.1" 200 ${line % 5_000} "-" "bench/1.0"\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return (await stat(file)).size;
}
