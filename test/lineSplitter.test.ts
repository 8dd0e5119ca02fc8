import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LineProblem, LineSplitter } from '../packages/uet-tag/src/io/LineSplitter.js';

function split(
  chunks: readonly Buffer[],
  options: { maxLineBytes?: number; startOffset?: number; startLine?: number } = {},
) {
  const lines: { text: string; number: number; endOffset: number }[] = [];
  const problems: Omit<LineProblem, 'message' | 'prefix'>[] = [];
  const splitter = new LineSplitter(
    (text, number, endOffset) => lines.push({ text, number, endOffset }),
    ({ kind, number, endOffset, bytes }) => problems.push({ kind, number, endOffset, bytes }),
    options,
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return { lines, problems, splitter };
}

describe('LineSplitter', () => {
  it('numbers lines and bytes across chunks cut anywhere, also inside a UTF-8 character and a CRLF', () => {
    const bytes = Buffer.from('{"tagId":"café"}\r\n\nlast');
    const { lines } = split([bytes.subarray(0, 14), bytes.subarray(14, 18), bytes.subarray(18)], {
      startOffset: 100,
      startLine: 7,
    });
    expect(lines).toEqual([
      { text: '{"tagId":"café"}', number: 8, endOffset: 119 },
      { text: '', number: 9, endOffset: 120 },
      { text: 'last', number: 10, endOffset: 124 },
    ]);
  });

  it('gives the same lines however the stream is cut', () => {
    const text = 'one\ntwo\r\n\nthree é\nfour';
    const bytes = Buffer.from(text);
    const whole = split([bytes]).lines;
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(split([bytes.subarray(0, cut), bytes.subarray(cut)]).lines).toEqual(whole);
    }
    const byteByByte = split([...bytes].map((byte) => Buffer.from([byte]))).lines;
    expect(byteByByte).toEqual(whole);
    expect(whole.map((line) => line.text)).toEqual(['one', 'two', '', 'three é', 'four']);
  });

  it('reads ASCII chunks (decoded once, lines sliced) as it reads the same bytes cut anywhere else (property)', () => {
    const piece = fc.constantFrom('a', 'bc', '\n', '\r\n', '\r', 'é', '\u{1F600}', 'xxxxxxxxxx');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }),
        fc.array(fc.nat(200), { maxLength: 6 }),
        (pieces, cuts) => {
          const bytes = Buffer.from(pieces.join(''));
          const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const chunks = [0, ...at].map((from, index) =>
            bytes.subarray(from, at[index] ?? bytes.length),
          );
          const options = { maxLineBytes: 12 };
          const whole = split([bytes], options);
          const byByte = split(
            [...bytes].map((byte) => Buffer.from([byte])),
            options,
          );
          const cut = split(chunks, options);
          expect(cut.lines).toEqual(byByte.lines);
          expect(cut.problems).toEqual(byByte.problems);
          expect(whole.lines).toEqual(byByte.lines);
          expect(whole.problems).toEqual(byByte.problems);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports a line longer than the limit, keeps nothing of it, and goes on with the next line', () => {
    const megabyte = Buffer.alloc(1 << 20, 'x');
    const { lines, problems } = split([megabyte, megabyte, megabyte, Buffer.from('\nnext\n')], {
      maxLineBytes: 1 << 20,
    });
    expect(problems).toEqual([
      { kind: 'tooLong', number: 1, endOffset: 3 * (1 << 20) + 1, bytes: 3 << 20 },
    ]);
    expect(lines).toEqual([{ text: 'next', number: 2, endOffset: 3 * (1 << 20) + 6 }]);
  });

  it('reports a line that is not well-formed UTF-8 instead of repairing it (two byte strings never read alike)', () => {
    const bad = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d, 0x0a]);
    const lone = Buffer.from([0xed, 0xa0, 0x80, 0x0a]);
    const { lines, problems } = split([bad, lone, Buffer.from('ok\n')]);
    expect(problems.map((problem) => [problem.kind, problem.number])).toEqual([
      ['invalidUtf8', 1],
      ['invalidUtf8', 2],
    ]);
    expect(lines).toEqual([{ text: 'ok', number: 3, endOffset: 13 }]);
  });

  it('counts the lines it completed, and the offset after the last one', () => {
    const { splitter } = split([Buffer.from('a\nb\nc')]);
    expect([splitter.lines, splitter.endOffset]).toEqual([3, 5]);
  });
});
