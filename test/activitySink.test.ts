import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createLineParser,
  type LineOutcome,
  type ReplayFormat,
} from '../packages/uet-tag/src/replay/index.js';
import type { ActivitySink } from '../packages/uet-tag/src/replay/replayRecord.js';
import { MAX_TIME_MS } from '../packages/uet-tag-status/src/windows.js';

/*
 * A parser given an activity sink hands it the activity records of lines instead of
 * returning them (the outcome `told`): the record must be the one the parser returns
 * without a sink, and every other line's outcome must be the same, in every format that
 * tells activity (CSV, TSV and Combined Log Format access logs).
 */

/** What a parser made of a line given an activity sink, as the outcome it returns without one. */
function withSink(parse: (sink: ActivitySink) => LineOutcome, lineNumber: number, line: string) {
  const told: unknown[] = [];
  const outcome = parse({
    activity(tagId, at, number, text) {
      told.push({ kind: 'record', record: { kind: 'activity', tagId, at } });
      expect([number, text]).toEqual([lineNumber, line]);
    },
  });
  if (outcome.kind !== 'told') {
    expect(told).toEqual([]);
    return outcome;
  }
  expect(told).toHaveLength(1);
  return told[0];
}

const time = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 ** 33 }).map(String) },
  fc.constantFrom('0', '007', `${MAX_TIME_MS}`, `${MAX_TIME_MS + 1}`, '1.5', '-1', '', ' 12'),
  fc.constantFrom('2024-03-01T09:00:00Z', '9'.repeat(16)),
);
const id = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('shop', 'tag-1') },
  fc.constantFrom('é', 'two words', ' shop', '', '"q"', 'x\u200b'),
);
const target = fc.constantFrom(
  '/',
  '/page/1.html',
  '/buy/now',
  '/action/0?ti=26012345&evt=pageLoad&p=https%3A%2F%2Fshop.example%2F',
  '/action/0?ti=&evt=pageLoad',
  '/private/x',
);
const status = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('200', '404') },
  fc.constantFrom('204', '500', '2000', 'abc', ''),
);

/** Lines of each format, good and bad, after their header. */
const LINES: Record<'csv' | 'tsv' | 'clf', { header?: string; line: fc.Arbitrary<string> }> = {
  csv: {
    header: 'at,tagId,kind,goalId',
    line: fc
      .tuple(
        time,
        id,
        fc.constantFrom('activity', '', 'conversion', 'Activity'),
        fc.constantFrom('', 'buy'),
      )
      .map((cells) => cells.join(','))
      .chain((line) => fc.constantFrom(line, `${line},`, line.replace(',', '","'), '', '  ')),
  },
  tsv: {
    header: 'host\tlogname\ttime\tmethod\turl\tresponse\tbytes\treferer\tuseragent',
    line: fc
      .tuple(
        time,
        target,
        status,
        fc.oneof({ weight: 4, arbitrary: fc.constant(9) }, fc.integer({ min: 7, max: 10 })),
      )
      .map(([at, url, code, count]) =>
        ['h', '-', at, 'GET', url, code, '12', '', ''].concat(['x']).slice(0, count).join('\t'),
      ),
  },
  clf: {
    line: fc
      .tuple(
        fc.constantFrom('01/Aug/1995:00:00:01 -0400', '31/Feb/1995:00:00:01 +0000', '01/Aug/1995'),
        target,
        status,
      )
      .map(([at, url, code]) => `h - - [${at}] "GET ${url} HTTP/1.0" ${code} 1839`),
  },
};

describe('an activity sink', () => {
  for (const format of ['csv', 'tsv', 'clf'] as const) {
    it(`takes exactly the activity records a ${format} parser returns without one, each once`, () => {
      const { header, line } = LINES[format];
      const options = {
        tagId: 'site',
        excludePaths: [/^\/private/],
        goalPaths: [{ goalId: 'buy', goalType: 'Url' as const, path: /^\/buy/ }],
      };
      let tells = 0;
      fc.assert(
        fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), (lines) => {
          const plain = createLineParser(format as ReplayFormat, options, 'f');
          const told = createLineParser(format as ReplayFormat, options, 'f');
          const offset = header === undefined ? 1 : 2;
          if (header !== undefined) {
            expect(withSink((sink) => told.parse(header, 1, sink), 1, header)).toEqual(
              plain.parse(header, 1),
            );
          }
          lines.forEach((text, index) => {
            const number = index + offset;
            const outcome = plain.parse(text, number);
            expect(withSink((sink) => told.parse(text, number, sink), number, text)).toEqual(
              outcome,
            );
            if (outcome.kind === 'record' && outcome.record.kind === 'activity') tells++;
          });
        }),
        { numRuns: 1_000 },
      );
      // The lines drawn must include activity, or the property proves nothing (300 runs once drew
      // only 47 activity lines of CSV, under the bound: so 1,000 runs).
      expect(tells).toBeGreaterThan(50);
    });
  }
});
