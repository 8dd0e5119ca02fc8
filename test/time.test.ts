import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatTime,
  offsetMs,
  parseDuration,
  parseTime,
} from '../packages/uet-tag/src/time.js';

describe('parseTime', () => {
  const cases: { input: unknown; origin?: number; expected: number | undefined }[] = [
    { input: '2024-03-01T09:00:00Z', expected: Date.UTC(2024, 2, 1, 9) },
    { input: '2024-03-01T09:00:00.5Z', expected: Date.UTC(2024, 2, 1, 9, 0, 0, 500) },
    { input: '1995-08-01T14:52:01-04:00', expected: Date.UTC(1995, 7, 1, 18, 52, 1) },
    { input: '1995-08-01T14:52:01-0400', expected: Date.UTC(1995, 7, 1, 18, 52, 1) },
    { input: '2024-03-01', expected: Date.UTC(2024, 2, 1) },
    { input: 1_709_283_600_000, expected: 1_709_283_600_000 },
    { input: '+36h', origin: 1_000, expected: 1_000 + 36 * 3_600_000 },
    { input: '+1d12h', origin: 0, expected: 129_600_000 },
    { input: '2024-03-01T09:00:00', expected: undefined },
    { input: '2024-02-30T00:00:00Z', expected: undefined },
    { input: '2024-03-01T24:00:00Z', expected: undefined },
    { input: '+36h', expected: undefined },
    { input: -1, expected: undefined },
    { input: 1.5, expected: undefined },
    { input: 'yesterday', expected: undefined },
    { input: '0099-06-01T00:00:00Z', expected: undefined },
    { input: '1999-06-01T00:00:00+99:99', expected: undefined },
    { input: '1999-06-01T00:00:00+24:00', expected: undefined },
    { input: '1999-06-01T00:00:00+23:59', expected: Date.UTC(1999, 4, 31, 0, 1) },
    { input: 8_640_000_000_000_001, expected: undefined },
    { input: 8_640_000_000_000_000, expected: undefined },
    { input: '+275760-09-13T00:00:00Z', expected: undefined },
    { input: null, expected: undefined },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.input)}${c.origin === undefined ? '' : ` after ${c.origin}`} → ${c.expected}`, () => {
      expect(parseTime(c.input, c.origin)).toBe(c.expected);
    });
  }
});

describe('parseDuration', () => {
  const cases: { input: unknown; expected: number | undefined }[] = [
    { input: '24h', expected: 86_400_000 },
    { input: '7d', expected: 604_800_000 },
    { input: '1w', expected: 604_800_000 },
    { input: '1d12h30m', expected: 131_400_000 },
    { input: '1.5h', expected: 5_400_000 },
    { input: '500ms', expected: 500 },
    { input: '90s', expected: 90_000 },
    { input: 3_600_000, expected: 3_600_000 },
    { input: '0.5ms', expected: undefined },
    { input: '24 h', expected: undefined },
    { input: '-1h', expected: undefined },
    { input: 'h', expected: undefined },
    { input: -5, expected: undefined },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.input)} → ${c.expected}`, () => {
      expect(parseDuration(c.input)).toBe(c.expected);
    });
  }
});

describe('formatting', () => {
  it('formatTime writes ISO 8601 UTC, without zero milliseconds', () => {
    expect(formatTime(0)).toBe('1970-01-01T00:00:00Z');
    expect(formatTime(1_500)).toBe('1970-01-01T00:00:01.500Z');
  });

  it('formatDuration writes the largest units first, cut to maxUnits counted from the first', () => {
    expect(formatDuration(93_784_005)).toBe('1d 2h 3m 4s 5ms');
    expect(formatDuration(93_784_005, 3)).toBe('1d 2h 3m');
    expect(formatDuration(86_400_000 + 180_000, 2)).toBe('1d');
    expect(formatDuration(0)).toBe('0s');
  });

  it('formatDuration writes what the plain list of parts writes, for any duration and unit count', () => {
    /** The formatting as first written: the parts in a list, joined. */
    const byParts = (ms: number, maxUnits: number) => {
      const parts: string[] = [];
      let rest = Math.round(ms);
      let unitsSinceFirst = 0;
      for (const [unit, size] of [
        ['d', 86_400_000],
        ['h', 3_600_000],
        ['m', 60_000],
        ['s', 1_000],
        ['ms', 1],
      ] as const) {
        const amount = Math.floor(rest / size);
        rest -= amount * size;
        if (parts.length === 0 && amount === 0) continue;
        if (amount > 0 && unitsSinceFirst < maxUnits) parts.push(`${amount}${unit}`);
        unitsSinceFirst++;
      }
      return parts.length === 0 ? '0s' : parts.join(' ');
    };
    const durations = fc.oneof(
      fc.integer({ min: 0, max: 400 * 86_400_000 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.double({ min: -1e6, max: 1e12, noNaN: true }),
    );
    fc.assert(
      fc.property(durations, fc.integer({ min: 0, max: 6 }), (ms, maxUnits) => {
        expect(formatDuration(ms, maxUnits)).toBe(byParts(ms, maxUnits));
      }),
      { numRuns: 5_000, seed: 14 },
    );
  });

  it('offsetMs reads Z and ±hh:mm or ±hhmm', () => {
    expect([offsetMs('Z'), offsetMs('+02:00'), offsetMs('-0430')]).toEqual([
      0, 7_200_000, -16_200_000,
    ]);
  });
});
