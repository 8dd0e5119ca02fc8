import { describe, expect, it } from 'vitest';
import { digitsBetween } from '../packages/uet-tag/src/replay/digitsBetween.js';

describe('digitsBetween: the digits of a column read in place', () => {
  const cases: readonly [text: string, start: number, end: number, max: number, value: number][] = [
    ['at 1714000000 s', 3, 13, 12, 1714000000],
    ['1714000000123', 0, 13, 15, 1714000000123],
    ['999999999999999', 0, 15, 15, 999999999999999],
    ['0', 0, 1, 12, 0],
    ['1234567890123', 0, 13, 12, -1],
    ['12a', 0, 3, 12, -1],
    ['-12', 0, 3, 12, -1],
    [' 12', 0, 3, 12, -1],
    ['1.5', 0, 3, 12, -1],
    ['123', 1, 1, 12, -1],
  ];
  for (const [text, start, end, max, value] of cases) {
    it(`${JSON.stringify(text.slice(start, end))} with at most ${max} digits → ${value}`, () => {
      expect(digitsBetween(text, start, end, max)).toBe(value);
    });
  }

  it('agrees with Number on every 1 to 15 digit string it accepts', () => {
    for (let length = 1; length <= 15; length++) {
      const digits = Array.from({ length }, (_, index) => String((index * 7 + length) % 10)).join(
        '',
      );
      expect(digitsBetween(digits, 0, length, 15)).toBe(Number(digits));
    }
  });
});
