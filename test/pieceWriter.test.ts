import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PieceWriter } from '../packages/uet-tag/src/cli/PieceWriter.js';
import { formatTime } from '../packages/uet-tag/src/time.js';

/** What `write` writes, and the sizes of the pieces it was handed in. */
function written(write: (out: PieceWriter) => void): { text: string; pieces: number[] } {
  const pieces: Uint8Array[] = [];
  const out = new PieceWriter((bytes) => pieces.push(Uint8Array.from(bytes)));
  write(out);
  out.flush();
  return {
    text: Buffer.concat(pieces).toString('utf8'),
    pieces: pieces.map((piece) => piece.length),
  };
}

const YEAR_10000_MS = 253_402_300_800_000;

describe('PieceWriter', () => {
  it('writes a number as JSON.stringify does, whole or not, at the digit boundaries', () => {
    const edges = [0, -0, 1, 9, 10, 999_999, 1_000_000, 1_000_001, 1e15 - 1, 2 ** 53 - 1, 2 ** 53];
    const values = [...edges, -1, 1.5, -2.25, 1e21, 5e-7, Number.NaN, Number.POSITIVE_INFINITY];
    for (const value of values) {
      expect(written((out) => out.number(value)).text).toBe(JSON.stringify(value));
    }
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.double()), (value) => {
        expect(written((out) => out.number(value)).text).toBe(JSON.stringify(value));
      }),
      { numRuns: 5_000, seed: 14 },
    );
  });

  it('writes a time as Date#toISOString does, and as formatTime does with trimZeroMs, and knows its length', () => {
    const edges = [0, 999, 1_000, 86_399_999, YEAR_10000_MS - 1, YEAR_10000_MS, 1.5, -1];
    const time = fc.oneof(
      fc.integer({ min: 0, max: YEAR_10000_MS + 1e12 }),
      fc.constantFrom(...edges),
    );
    fc.assert(
      fc.property(
        time,
        fc.nat(2).map((unit) => 1_000 ** unit),
        (at, step) => {
          const whole = at - (at % step);
          expect(written((out) => out.isoTime(whole)).text).toBe(new Date(whole).toISOString());
          expect(written((out) => out.isoTime(whole, true)).text).toBe(formatTime(whole));
          expect(PieceWriter.isoTimeLength(whole)).toBe(new Date(whole).toISOString().length);
          expect(PieceWriter.isoTimeLength(whole, true)).toBe(formatTime(whole).length);
        },
      ),
      { numRuns: 5_000, seed: 14 },
    );
  });

  it('writes text, bytes and spaces in order across pieces of 1 MiB, none larger unless one item is', () => {
    const item = PieceWriter.encode('é-"item"-');
    const large = 'x'.repeat(3 << 20);
    const { text, pieces } = written((out) => {
      for (let index = 0; index < 200_000; index++) {
        out.bytes(item);
        out.number(index);
        out.text('ü');
        out.text('ab');
        out.spaces((index % 4) - 1);
      }
      out.text(large);
    });
    let expected = '';
    for (let index = 0; index < 200_000; index++) {
      expected += `é-"item"-${index}üab${' '.repeat(Math.max(0, (index % 4) - 1))}`;
    }
    expect(text).toBe(expected + large);
    expect(pieces.slice(0, -1).every((length) => length <= 1 << 20)).toBe(true);
    expect(pieces.at(-1)).toBe(large.length);
  });
});
