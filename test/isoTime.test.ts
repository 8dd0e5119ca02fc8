import fc from 'fast-check';
import { isoTime } from 'uet-tag-status';
import { describe, expect, it } from 'vitest';

/*
 * `isoTime` writes the date part once per day and the time of day by arithmetic; it must
 * write exactly what `Date#toISOString` writes, for every time.
 */

const DAY = 86_400_000;
const YEAR_10000 = Date.UTC(10_000, 0, 1);

/** Midnights where the calendar turns in a way arithmetic could get wrong. */
const BOUNDARIES = [
  Date.UTC(1970, 0, 1),
  Date.UTC(1999, 11, 31),
  Date.UTC(2000, 1, 29),
  Date.UTC(2000, 2, 1),
  Date.UTC(2023, 1, 28),
  Date.UTC(2024, 1, 29),
  Date.UTC(2024, 11, 31),
  Date.UTC(2025, 0, 1),
  Date.UTC(2100, 1, 28),
  Date.UTC(2100, 2, 1),
  Date.UTC(9999, 11, 31),
];

describe('isoTime', () => {
  it('writes what toISOString writes around day, month, year and leap-day boundaries, at ms 0 and 999', () => {
    for (const midnight of BOUNDARIES) {
      for (const offset of [0, 1, 999, 1_000, 59_999, 3_599_999, DAY - 1_000, DAY - 1, DAY]) {
        for (const at of [midnight + offset, midnight - offset]) {
          if (at < 0 || at >= YEAR_10000) continue;
          expect(isoTime(at)).toBe(new Date(at).toISOString());
        }
      }
    }
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoTime(YEAR_10000 - 1)).toBe('9999-12-31T23:59:59.999Z');
  });

  it('writes what toISOString writes for random times from 1970 to year 9999, in any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: YEAR_10000 - 1 }), { maxLength: 50 }),
        (times) => {
          for (const at of times) expect(isoTime(at)).toBe(new Date(at).toISOString());
        },
      ),
      { numRuns: 2_000, seed: 14 },
    );
  });

  it('writes what toISOString writes for times of a few years, many per day (the cached date parts)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 0, 1) }), (at) => {
        expect(isoTime(at)).toBe(new Date(at).toISOString());
      }),
      { numRuns: 20_000, seed: 3 },
    );
  });

  it('leaves times outside whole ms of years 1970 to 9999 to toISOString, errors included', () => {
    for (const at of [-1, -DAY - 1, 1.5, -0.5, YEAR_10000, YEAR_10000 + 12_345, 8.64e15]) {
      expect(isoTime(at)).toBe(new Date(at).toISOString());
    }
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
