import fc from 'fast-check';
import { parseInputLine } from 'uet-tag/records';
import { createLineParser, type ReplayFormat } from 'uet-tag/replay';
import { createTagMonitor, TrackingInputError } from 'uet-tag-status';
import { MAX_ECHOED_LENGTH } from 'uet-tag-status/engine';
import { describe, expect, it } from 'vitest';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * A fuzz suite (issue Reliability): random and mutated lines thrown at the parsers of
 * `uet-tag monitor` (the input record) and of `uet-tag replay` (every format), and what they
 * accept fed to a monitor. Nothing crashes or hangs, every rejection is typed and names its
 * field, and messages stay bounded. Bounded: a few hundred runs of each, seeded by
 * fast-check (its seed is printed on failure, and `FUZZ_SEED` replays it).
 */

const T0 = Date.UTC(2025, 4, 1);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const runs = (numRuns: number) => ({ numRuns, ...(seed === undefined ? {} : { seed }) });

const ids = fc.oneof(
  fc.constantFrom('shop', 'blog', '10', '9', 'constructor', '__proto__', 'x'.repeat(257), ''),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const times = fc.oneof(
  fc.integer({ min: T0 - 86_400_000, max: T0 }),
  fc.constantFrom(
    -1,
    1.5,
    8_640_000_000_000_001,
    '2025-05-01T00:00:00Z',
    '0099-06-01T00:00:00Z',
    '2025-05-01T00:00:00+99:99',
    'yesterday',
  ),
);
const goalTypes = fc.constantFrom('Url', 'Event', 'AppInstall', 'Duration', 'url', 7);
const kinds = fc.constantFrom(
  'registerTag',
  'removeTag',
  'attachGoal',
  'detachGoal',
  'activity',
  'conversion',
  'accessLost',
  'accessRestored',
  'unknownKind',
);

/** A record of the input vocabulary, its fields drawn from good and bad values. */
const records = fc.record(
  {
    kind: kinds,
    tagId: ids,
    goalId: ids,
    goalType: goalTypes,
    at: times,
    goals: fc.array(fc.record({ goalId: ids, goalType: goalTypes }), { maxLength: 3 }),
    extra: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: ['kind'] },
);

/** Deep nesting, huge strings, bare values, binary noise. */
const hostileValues = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc
    .integer({ min: 1, max: 20_000 })
    .map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.integer({ min: 1_000, max: 200_000 }).map((length) => JSON.stringify('y'.repeat(length))),
  fc.jsonValue().map((value) => JSON.stringify(value)),
);

/** A line: a record as JSON, then perhaps cut, a byte changed, or a field's value replaced. */
const lines = fc.oneof(
  records.map((record) => JSON.stringify(record)),
  fc.tuple(records, fc.nat(), fc.integer({ min: 0, max: 127 })).map(([record, at, code]) => {
    const text = JSON.stringify(record);
    const index = at % (text.length + 1);
    return text.slice(0, index) + String.fromCharCode(code) + text.slice(index + 1);
  }),
  fc.tuple(records, fc.nat()).map(([record, at]) => {
    const text = JSON.stringify(record);
    return text.slice(0, at % (text.length + 1));
  }),
  fc
    .tuple(records, fc.constantFrom('tagId', 'at', 'goalId', 'goals', 'kind'), hostileValues)
    .map(([record, field, value]) => {
      const text = JSON.stringify({ ...record, [field]: 0 });
      return text.replace(`"${field}":0`, `"${field}":${value}`);
    }),
  hostileValues,
  fc.string({ unit: 'binary', maxLength: 200 }),
);

describe('fuzz: the input record parser of uet-tag monitor and the service', () => {
  it('D3 D4 a random or mutated line is read, or refused with every problem naming its field, in a bounded message', () => {
    fc.assert(
      fc.property(lines, (line) => {
        const result = parseInputLine(line);
        if (result.ok) {
          expect(typeof result.record.kind).toBe('string');
          return;
        }
        expect(result.issues.length).toBeGreaterThan(0);
        for (const issue of result.issues) expect(issue.path.length).toBeGreaterThan(0);
        const first = result.issues[0]?.path ?? '';
        expect(result.message.startsWith(first) || result.message.startsWith('not JSON')).toBe(
          true,
        );
        expect(result.message.length).toBeLessThan(11 * (2 * MAX_ECHOED_LENGTH + 400));
      }),
      runs(600),
    );
  });

  it('D3 D4 what it accepts, a monitor applies or rejects with a TrackingInputError naming the field, input by input', () => {
    fc.assert(
      fc.property(fc.array(lines, { minLength: 1, maxLength: 30 }), (batch) => {
        const monitor = createTagMonitor({ clock: simulatedClockAt(T0), autoRegister: true });
        const inputs = batch.flatMap((line) => {
          const result = parseInputLine(line);
          return result.ok ? [result.record] : [];
        });
        const { applied, rejected } = monitor.apply(inputs);
        expect(applied + rejected.length).toBe(inputs.length);
        for (const { error } of rejected) {
          expect(error).toBeInstanceOf(TrackingInputError);
          expect((error as TrackingInputError).field).toMatch(/^\w/);
          expect((error as Error).message.length).toBeLessThan(2 * MAX_ECHOED_LENGTH + 400);
        }
        for (const status of monitor.statuses()) expect(status.tagId.length).toBeGreaterThan(0);
        monitor.close();
      }),
      runs(200),
    );
  });
});

describe('fuzz: the line parsers of uet-tag replay', () => {
  const accessLine = fc
    .record({
      host: fc.constantFrom('1.2.3.4', '-', 'host name'),
      time: fc.constantFrom(
        '[01/Aug/1995:00:00:01 -0400]',
        '[32/Aug/1995:00:00:01 -0400]',
        '[01/Aug/1995:00:00:01 +9999]',
        '[]',
        '[0099-01-01]',
      ),
      request: fc.constantFrom('"GET /a HTTP/1.0"', '"GET"', '""', '"\\"'),
      status: fc.constantFrom('200', '304', '999', 'abc', '-'),
      bytes: fc.constantFrom('100', '-', 'x'),
    })
    .map(
      ({ host, time, request, status, bytes }) =>
        `${host} - - ${time} ${request} ${status} ${bytes}`,
    );
  const anyLine = fc.oneof(lines, accessLine, fc.string({ maxLength: 300 }));

  for (const format of ['ndjson', 'csv', 'clf', 'tsv'] as ReplayFormat[]) {
    it(`D3 ${format}: every line is a record, blank, filtered, or malformed with a reason that names what is wrong`, () => {
      const header =
        format === 'csv'
          ? 'kind,tagId,at,goalId,goalType'
          : format === 'tsv'
            ? 'time\turl\tresponse'
            : undefined;
      fc.assert(
        fc.property(fc.array(anyLine, { minLength: 1, maxLength: 20 }), (body) => {
          const parser = createLineParser(format, { tagId: 'site' }, `fuzz.${format}`);
          const all = header === undefined ? body : [header, ...body];
          all.forEach((line, index) => {
            const outcome = parser.parse(line, index + 1);
            expect(['record', 'blank', 'filtered', 'malformed']).toContain(outcome.kind);
            if (outcome.kind === 'malformed') {
              expect(outcome.reason).toMatch(/^\S/);
              expect(outcome.reason.length).toBeLessThan(11 * (2 * MAX_ECHOED_LENGTH + 400));
            }
            if (outcome.kind === 'record')
              expect(Number.isSafeInteger(outcome.record.at ?? 0)).toBe(true);
          });
        }),
        runs(150),
      );
    });
  }
});
