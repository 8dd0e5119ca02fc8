import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInputLine } from '../packages/uet-tag/src/records/inputRecord.js';
import { readPlainInputLine } from '../packages/uet-tag/src/records/plainInputRecord.js';

import { MAX_TIME_MS } from '../packages/uet-tag-status/src/windows.js';

/** Ids, valid and not: white space, empty, long, lone surrogates, numbers. */
const id = fc.oneof(
  fc.constantFrom('shop', 'tag-1', '12345', 'a', 'two words', '', 'x\u200b', '\ud800', 'é'),
  fc.string({ minLength: 0, maxLength: 4 }),
  fc.string({ minLength: 250, maxLength: 260 }),
  fc.integer(),
);
/** Times, valid and not: epoch ms at and beyond the limits, fractions, ISO strings. */
const time = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 42 }),
  fc.constantFrom(0, -1, MAX_TIME_MS, MAX_TIME_MS + 1, 1.5, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom('2024-03-01T09:00:00Z', '2024-03-01', 'soon', null),
);
const goalType = fc.constantFrom('Url', 'Event', 'Duration', 'PagesViewedPerVisit', 'url', 3);
const kind = fc.constantFrom('activity', 'conversion', 'registerTag', 'removeTag', 'hit', 'x');
const record = fc.record(
  {
    kind,
    tagId: id,
    goalId: id,
    at: time,
    goalType,
    goals: fc.constant([]),
    extra: fc.constant(1),
  },
  { requiredKeys: [] },
);

/** Activity lines as `JSON.stringify` writes them, and near misses: raw ids, odd numbers. */
const compactActivity = fc
  .tuple(
    fc.oneof(
      id.map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 14 }).map((value) => `"${value}"`),
      fc.constantFrom('"a\\"b"', '"\\u0041"', '"tab\t"', '"x', 'null'),
    ),
    fc.oneof(
      time.map((value) => JSON.stringify(value)),
      fc.constantFrom('0', '00', '01', '-0', '1e3', '1.0', '9'.repeat(15), '9'.repeat(16), ''),
    ),
    fc.constantFrom('}', '} ', ' }', ',"at":1}', '}}'),
  )
  .map(([tagId, at, end]) => `{"kind":"activity","tagId":${tagId},"at":${at}${end}`);

describe('the plain reading of common input records', () => {
  it('T1 D4 reads a line as the schema does, or leaves it to the schema (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          record.map((value) => JSON.stringify(value)),
          compactActivity,
          fc.constantFrom('', '{', '[]', 'null', '"activity"', '{"kind":"activity"}'),
        ),
        (line) => {
          const plain = readPlainInputLine(line);
          if (plain === undefined) return;
          const full = parseInputLine(line);
          expect(full.ok).toBe(true);
          if (full.ok) expect(plain).toStrictEqual(full.record);
        },
      ),
      { numRuns: 6_000 },
    );
  });

  it('T1 D4 reads a compact activity line as JSON.parse and the schema do (property)', () => {
    fc.assert(
      fc.property(compactActivity, (line) => {
        const plain = readPlainInputLine(line);
        const full = parseInputLine(line);
        if (plain === undefined) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(line);
          } catch {
            return;
          }
          // Left to the schema only when JSON.parse's object is not a plain activity either.
          expect(full.ok && JSON.stringify(full.record) === JSON.stringify(parsed)).toBe(false);
          return;
        }
        expect(full.ok).toBe(true);
        if (full.ok) expect(plain).toStrictEqual(full.record);
        expect(plain).toStrictEqual(JSON.parse(line));
      }),
      { numRuns: 6_000 },
    );
  });

  it('T1 reads the plain activity, conversion and registration records without the schema', () => {
    const lines = [
      { kind: 'activity', tagId: 'shop', at: 1_709_283_600_000 },
      { kind: 'conversion', tagId: 'shop', goalId: 'buy', at: 1_709_283_600_000 },
      { kind: 'conversion', tagId: 'shop', goalId: 'buy', at: 1, goalType: 'Url' },
      { kind: 'registerTag', tagId: 'shop' },
    ];
    for (const line of lines) {
      expect(readPlainInputLine(JSON.stringify(line))).toStrictEqual(line);
    }
  });

  it('T1 D4 leaves ISO times, bad ids, extra fields and other kinds to the schema', () => {
    const lines = [
      { kind: 'activity', tagId: 'shop', at: '2024-03-01T09:00:00Z' },
      { kind: 'activity', tagId: 'two words', at: 1 },
      { kind: 'activity', tagId: 'shop', at: 1, extra: true },
      { kind: 'activity', tagId: 'shop', at: -1 },
      { kind: 'registerTag', tagId: 'shop', goals: [] },
      { kind: 'removeTag', tagId: 'shop' },
    ];
    for (const line of lines) expect(readPlainInputLine(JSON.stringify(line))).toBeUndefined();
    expect(readPlainInputLine('{"kind":')).toBeUndefined();
  });
});
