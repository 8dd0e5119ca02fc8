import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvParser } from '../packages/uet-tag/src/replay/csvFormat.js';
import { MAX_TIME_MS } from '../packages/uet-tag-status/src/windows.js';

const COLUMNS = ['kind', 'tagId', 'at', 'goalId', 'goalType', 'tagAvailable'] as const;

/** Cells, plain and not: ids, kinds, times at and beyond the limits, white space, empty. */
const cell = fc.oneof(
  fc.constantFrom('', 'activity', 'conversion', 'registerTag', 'Activity', ' activity'),
  fc.constantFrom('shop', 'tag-1', 'a', 'two words', ' shop', 'shop ', '\tshop', 'x\u200b', 'é'),
  fc.constantFrom('0', '007', `${MAX_TIME_MS}`, `${MAX_TIME_MS + 1}`, '9'.repeat(16), '1.5', '-1'),
  fc.constantFrom('2024-03-01T09:00:00Z', ' 12', '12 ', 'true', 'false', 'Url', 'buy'),
  fc.integer({ min: 0, max: 2 ** 42 }).map(String),
  fc.string({ maxLength: 4 }).filter((text) => !/[",\r\n]/.test(text)),
);

/** A header: `tagId` and some of the other columns, in any order. */
const header = fc
  .subarray(
    COLUMNS.filter((name) => name !== 'tagId'),
    { minLength: 0 },
  )
  .chain((others) => fc.shuffledSubarray([...others, 'tagId'], { minLength: others.length + 1 }));

/** A row of the header's columns, each cell likely to fit its column. */
function row(columns: readonly string[]): fc.Arbitrary<string[]> {
  const fitting: Record<string, fc.Arbitrary<string>> = {
    kind: fc.constantFrom('activity', ''),
    tagId: fc.constantFrom('shop', 'tag-1', 'é'),
    at: fc.integer({ min: 0, max: 2 ** 42 }).map(String),
  };
  return fc.tuple(
    ...columns.map((name) =>
      fc.oneof({ weight: 3, arbitrary: fitting[name] ?? fc.constant('') }, cell),
    ),
  );
}

describe('CSV rows without quotes', () => {
  it('read as the same rows quoted (which take the full RFC 4180 reading), white space trimmed', () => {
    fc.assert(
      fc.property(
        header.chain((columns) =>
          fc.tuple(
            fc.constant(columns),
            fc.array(
              fc.oneof(
                { weight: 4, arbitrary: row(columns) },
                fc.array(cell, { minLength: 1, maxLength: 7 }),
              ),
              { minLength: 1, maxLength: 8 },
            ),
          ),
        ),
        ([columns, rows]) => {
          const plain = createCsvParser();
          const quoted = createCsvParser();
          expect(plain.parse(columns.join(','), 1)).toEqual({ kind: 'blank' });
          quoted.parse(columns.join(','), 1);
          rows.forEach((cells, index) => {
            const line = cells.join(',');
            // A line of white space alone is blank, whatever its quoted form would be.
            if (line.trim() === '') return;
            const quotedLine = cells.map((text) => `"${text.trim()}"`).join(',');
            expect(plain.parse(line, index + 2)).toEqual(quoted.parse(quotedLine, index + 2));
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('of plain activity, in any column order, are activity records; others keep their reasons', () => {
    const parser = createCsvParser();
    parser.parse('kind,at,goalId,tagId', 1);
    expect(parser.parse('activity,5,,shop', 2)).toEqual({
      kind: 'record',
      record: { kind: 'activity', tagId: 'shop', at: 5 },
    });
    expect(parser.parse(',007,,shop', 3)).toEqual({
      kind: 'record',
      record: { kind: 'activity', tagId: 'shop', at: 7 },
    });
    expect(parser.parse('activity,5,buy,shop', 4)).toEqual({
      kind: 'malformed',
      reason: expect.stringMatching(/goalId/),
    });
    expect(parser.parse(`activity,${MAX_TIME_MS + 1},,shop`, 5)).toEqual({
      kind: 'malformed',
      reason: expect.stringMatching(/^at: /),
    });
    expect(parser.parse('activity,5,,shop,', 6)).toEqual({
      kind: 'malformed',
      reason: 'expected 4 fields (kind,at,goalId,tagId), found 5',
    });
  });
});
