import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';

const line = (second: number, agent: string) =>
  `10.0.0.1 - - [01/Aug/1995:00:00:0${second} -0400] "GET /page.html HTTP/1.0" 200 1839 "-" "${agent}"`;

/**
 * A Combined Log Format file with CRLF line breaks, multi-byte UTF-8 (two-, three- and
 * four-byte characters) in user agents, a line that is not UTF-8, and no line break at
 * its end.
 */
const FILE = Buffer.concat([
  Buffer.from(`${line(1, 'café/1.0')}\r\n${line(2, 'agent €')}\r\n`),
  Buffer.from(line(3, 'bad ')),
  Buffer.from([0xff, 0xfe, 0x0d, 0x0a]),
  Buffer.from(`${line(4, 'emoji 😀')}\n${line(5, 'last')}`),
]);

/** What a replay of the file, read in the given chunks from a pipe, reports. */
async function replayChunks(chunks: readonly Buffer[]) {
  const result = await replayFile('-', {
    format: 'clf',
    tagId: 'site',
    stdin: Readable.from(chunks),
  });
  const { lines, records, malformed, malformedLines, firstAt, lastAt } = result.statistics;
  return { lines, records, malformed, malformedLines, firstAt, lastAt };
}

describe('replay of an access log read in chunks cut anywhere', () => {
  it('D3 reads every line, CRLF and multi-byte UTF-8 included, and refuses the one that is not UTF-8 by its number, however the bytes are cut', async () => {
    const whole = await replayChunks([FILE]);
    expect(whole).toEqual({
      lines: 5,
      records: 4,
      malformed: 1,
      malformedLines: [
        {
          line: 3,
          reason: 'line 3: not well-formed UTF-8; skipped',
          text: expect.stringContaining('[01/Aug/1995:00:00:03 -0400]'),
        },
      ],
      firstAt: Date.UTC(1995, 7, 1, 4, 0, 1),
      lastAt: Date.UTC(1995, 7, 1, 4, 0, 5),
    });
    for (let cut = 1; cut < FILE.length; cut++) {
      const read = await replayChunks([FILE.subarray(0, cut), FILE.subarray(cut)]);
      expect(read, `cut at byte ${cut}`).toEqual(whole);
    }
    const byteByByte = [...FILE].map((byte) => Buffer.from([byte]));
    expect(await replayChunks(byteByByte)).toEqual(whole);
  });
});
