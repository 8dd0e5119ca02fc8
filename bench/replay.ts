import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import { MONTHS, writeAccessLog } from './accessLog.js';
import { median } from './statistics.js';

const LINES = 2_000_000;
const ROUNDS = 3;

const MONTH_INDEX = new Map(MONTHS.map((month, index) => [month, index]));

/** The floor: chunked `indexOf` line split and the CLF timestamp of each line. */
function floor(file: string): number {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let carry = '';
  let latest = 0;
  let lines = 0;
  const timeOf = (line: string) => {
    const open = line.indexOf('[');
    if (open < 0) return;
    const text = line.slice(open + 1, open + 27);
    const offset =
      (text.charCodeAt(21) === 45 ? -1 : 1) *
      (Number(text.slice(22, 24)) * 60 + Number(text.slice(24, 26)));
    const at =
      Date.UTC(
        Number(text.slice(7, 11)),
        MONTH_INDEX.get(text.slice(3, 6)) ?? 0,
        Number(text.slice(0, 2)),
        Number(text.slice(12, 14)),
        Number(text.slice(15, 17)),
        Number(text.slice(18, 20)),
      ) -
      offset * 60_000;
    if (at > latest) latest = at;
    lines += 1;
  };
  for (;;) {
    const read = readSync(fd, buffer, 0, buffer.length, null);
    if (read === 0) break;
    const text = carry + buffer.toString('latin1', 0, read);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      timeOf(text.slice(start, end));
      start = end + 1;
    }
    carry = text.slice(start);
  }
  if (carry !== '') timeOf(carry);
  closeSync(fd);
  if (latest === 0) throw new Error('no times read');
  return lines;
}

/** Runs the rounds and returns the `## Replay` section of BENCHMARKS.md. */
export async function run(): Promise<string> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'uet-replay-bench-'));
  const file = path.join(scratch, 'access.log');
  await writeAccessLog(file, LINES);
  const megabytes = statSync(file).size / 1e6;
  const load = loadavg().map((value) => value.toFixed(1));
  const sides: Record<string, () => Promise<number>> = {
    floor: async () => floor(file),
    replayFile: async () =>
      (await replayFile(file, { format: 'clf', tagId: 'site' })).statistics.lines,
  };
  const names = Object.keys(sides);
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const rss: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length] as string;
      const start = performance.now();
      const lines = await (sides[name] as () => Promise<number>)();
      times[name]?.push((performance.now() - start) / 1_000);
      rss[name]?.push(process.memoryUsage().rss / 2 ** 20);
      if (lines !== LINES) throw new Error(`${name} read ${lines} lines, not ${LINES}`);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  const ratios = (times.floor as number[]).map(
    (time, round) => time / ((times.replayFile as number[])[round] as number),
  );
  const row = (name: string) =>
    `| ${name} | ${median(times[name] as number[]).toFixed(2)} s | ${(megabytes / median(times[name] as number[])).toFixed(0)} MB/s | ${Math.max(...(rss[name] as number[])).toFixed(0)} MB |`;
  return [
    '## Replay',
    '',
    `Command: \`npm run bench -- replay\`. ${cpus().length} shared cores, Node ${process.version}, load average ${load.join(' / ')} at the start. One Combined Log Format file of ${LINES.toLocaleString('en-US')} lines (${megabytes.toFixed(0)} MB, in the page cache), read by both sides in one process, ${ROUNDS} rounds, the sides in rotated order.`,
    '',
    "- **floor**: the file read in 1 MiB chunks, lines split with `indexOf`, each line's CLF timestamp parsed by its fixed layout to epoch ms: what any replay must do.",
    '- **`replayFile`**: `uet-tag replay --format clf` as a library call: every line checked against the format, filters, reorder window, the machines, the report.',
    '',
    '| side | time (median) | throughput | resident memory after (max over rounds) |',
    '|---|---:|---:|---:|',
    row('floor'),
    row('replayFile'),
    '',
    `\`replayFile\` runs at ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) of the floor's rate (target at least 0.5).`,
    '',
  ].join('\n');
}
