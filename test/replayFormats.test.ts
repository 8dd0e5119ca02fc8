import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAccessLogParser } from '../packages/uet-tag/src/replay/accessLogFormat.js';
import { createCsvParser } from '../packages/uet-tag/src/replay/csvFormat.js';
import { createNdjsonParser } from '../packages/uet-tag/src/replay/ndjsonFormat.js';
import { ReorderBuffer } from '../packages/uet-tag/src/replay/ReorderBuffer.js';
import { ReplayError } from '../packages/uet-tag/src/replay/ReplayError.js';
import type { LineOutcome } from '../packages/uet-tag/src/replay/replayRecord.js';
import { createTsvAccessLogParser } from '../packages/uet-tag/src/replay/tsvAccessLogFormat.js';
import { jsonErrorOf } from './support/jsonErrors.js';

const AUG_1_1995_EDT_MIDNIGHT = Date.UTC(1995, 7, 1, 4);
const LINE = 'h - - [01/Aug/1995:00:00:01 -0400] "GET /shuttle/index.html HTTP/1.0" 200 1839';

describe('Common and Combined Log Format', () => {
  const parser = createAccessLogParser({ tagId: 'site' });
  const cases: { name: string; line: string; outcome: LineOutcome }[] = [
    {
      name: 'Common, with its UTC offset honoured',
      line: LINE,
      outcome: {
        kind: 'record',
        record: { kind: 'activity', tagId: 'site', at: AUG_1_1995_EDT_MIDNIGHT + 1_000 },
      },
    },
    {
      name: 'Combined, with an escaped quote in the user agent',
      line: '1.2.3.4 - bob [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 304 - "-" "Agent \\"x\\""',
      outcome: {
        kind: 'record',
        record: { kind: 'activity', tagId: 'site', at: Date.UTC(2015, 4, 17, 10, 5, 3) },
      },
    },
    {
      name: 'an HTTP/0.9 request without protocol',
      line: 'h - - [01/Aug/1995:00:12:37 -0400] "GET /history/apollo/" 200 12859',
      outcome: {
        kind: 'record',
        record: { kind: 'activity', tagId: 'site', at: AUG_1_1995_EDT_MIDNIGHT + 757_000 },
      },
    },
    { name: 'a blank line', line: '   ', outcome: { kind: 'blank' } },
    {
      name: 'not the format at all',
      line: 'garbage',
      outcome: {
        kind: 'malformed',
        reason:
          'expected host ident user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status bytes, optionally followed by "referer" "user-agent"; the line does not start with host ident user [time]',
      },
    },
    {
      name: 'a time without offset',
      line: 'h - - [01/Aug/1995:00:00:01] "GET /" 200 1',
      outcome: {
        kind: 'malformed',
        reason: 'time: "01/Aug/1995:00:00:01" is not valid: expected dd/Mon/yyyy:HH:MM:SS +hhmm',
      },
    },
    {
      name: 'an impossible date',
      line: 'h - - [31/Sep/1995:00:00:01 -0400] "GET /" 200 1',
      outcome: {
        kind: 'malformed',
        reason: 'time: "31/Sep/1995:00:00:01 -0400" is not a valid date and time',
      },
    },
    {
      name: 'an unquoted request',
      line: 'h - - [01/Aug/1995:00:00:01 -0400] GET / 200 1',
      outcome: {
        kind: 'malformed',
        reason: 'request: expected the request line in double quotes after the time',
      },
    },
    {
      name: 'a status that is not three digits',
      line: 'h - - [01/Aug/1995:00:00:01 -0400] "GET /" OK 1',
      outcome: {
        kind: 'malformed',
        reason: 'status: "OK" is not valid: expected a three-digit HTTP status',
      },
    },
    {
      name: 'bytes that are not a number',
      line: 'h - - [01/Aug/1995:00:00:01 -0400] "GET /" 200 many',
      outcome: {
        kind: 'malformed',
        reason: 'bytes: "many" is not valid: expected a number of bytes or -',
      },
    },
    {
      name: 'a user agent cut off before its closing quote',
      line: 'h - - [01/Aug/1995:00:00:01 -0400] "GET /" 200 1 "-" "Mozilla/5.0 (compatible',
      outcome: {
        kind: 'malformed',
        reason:
          'after the bytes: expected nothing (Common) or "referer" "user-agent" in double quotes (Combined)',
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parser.parse(c.line, 1)).toEqual(c.outcome);
    });
  }

  it('filters by path, excluded path and status (exact or class); goal paths make conversions', () => {
    const filtered = createAccessLogParser({
      tagId: 'nasa',
      paths: [/^\/shuttle\//],
      excludePaths: [/\.gif$/],
      statuses: ['2xx', '304'],
      goalPaths: [{ goalId: 'countdown', goalType: 'Url', path: /countdown/ }],
    });
    const request = (target: string, status: number) =>
      filtered.parse(`h - - [01/Aug/1995:00:00:01 -0400] "GET ${target} HTTP/1.0" ${status} 1`, 1)
        .kind;
    expect([
      request('/shuttle/a.html', 200),
      request('/shuttle/a.html', 304),
      request('/shuttle/a.html', 302),
      request('/history/a.html', 200),
      request('/shuttle/a.gif', 200),
    ]).toEqual(['record', 'record', 'filtered', 'filtered', 'filtered']);
    expect(
      filtered.parse(`h - - [01/Aug/1995:00:00:01 -0400] "GET /countdown/ HTTP/1.0" 200 1`, 1),
    ).toEqual({
      kind: 'record',
      record: {
        kind: 'conversion',
        tagId: 'nasa',
        goalId: 'countdown',
        goalType: 'Url',
        at: AUG_1_1995_EDT_MIDNIGHT + 1_000,
      },
    });
  });
});

describe('TSV access log', () => {
  const header = 'host\tlogname\ttime\tmethod\turl\tresponse\tbytes\treferer\tuseragent';

  it('reads the header, then requests with time in epoch seconds', () => {
    const parser = createTsvAccessLogParser({ tagId: 'nasa', statuses: ['404'] });
    expect(parser.parse(header, 1)).toEqual({ kind: 'blank' });
    expect(parser.parse('a\t-\t807256800\tGET\t/x\t404\t0\t\t', 2)).toEqual({
      kind: 'record',
      record: { kind: 'activity', tagId: 'nasa', at: 807_256_800_000 },
    });
    expect(parser.parse('a\t-\t807256800\tGET\t/x\t200\t0\t\t', 3)).toEqual({ kind: 'filtered' });
    expect(parser.parse('a\t-\t8072568.5\tGET\t/x\t200\t0\t\t', 4)).toEqual({
      kind: 'malformed',
      reason: 'time: "8072568.5" is not valid: expected Unix epoch seconds',
    });
    expect(parser.parse('a\t-\t807256800\tGET\t/x\t2000\t0\t\t', 5)).toEqual({
      kind: 'malformed',
      reason: 'response: "2000" is not valid: expected an HTTP status',
    });
    expect(parser.parse('a\t-\t807256800', 6)).toEqual({
      kind: 'malformed',
      reason: 'expected 9 tab-separated fields, found 3',
    });
    expect(parser.parse('\t\t\t\t\t\t\t\t', 7)).toEqual({ kind: 'blank' });
    expect(parser.parse('a\t-\t 807256800\tGET\t/x\t404\t0\t\t', 8)).toEqual({
      kind: 'malformed',
      reason: 'time: " 807256800" is not valid: expected Unix epoch seconds',
    });
  });

  it('refuses a file whose header lacks time, url or response', () => {
    const parser = createTsvAccessLogParser({ tagId: 'nasa' }, 'x.tsv');
    expect(() => parser.parse('host\ttimestamp\turl', 1)).toThrow(
      new ReplayError(
        'x.tsv',
        'line 1: a TSV access log needs a header naming the columns time, url, response; missing time, response',
      ),
    );
  });
});

describe('NDJSON (input records, version 1)', () => {
  const parser = createNdjsonParser();
  const TIME_EXPECTED =
    'a time: integer UTC epoch ms (0 to 8636844240000000) or an ISO 8601 date-time with its zone (2024-03-01T09:00:00Z, 2024-03-01T09:00:00-04:00)';
  const cases: { line: string; outcome: LineOutcome }[] = [
    {
      line: '{"kind":"activity","tagId":"shop","at":1709283600000}',
      outcome: {
        kind: 'record',
        record: { kind: 'activity', tagId: 'shop', at: 1_709_283_600_000 },
      },
    },
    {
      line: '{"kind":"conversion","tagId":"shop","goalId":"buy","goalType":"Url","at":"2024-03-01T10:00:00+01:00"}',
      outcome: {
        kind: 'record',
        record: {
          kind: 'conversion',
          tagId: 'shop',
          goalId: 'buy',
          goalType: 'Url',
          at: 1_709_283_600_000,
        },
      },
    },
    {
      line: '{"kind":"accessLost","tagId":"shop","at":5}',
      outcome: { kind: 'record', record: { kind: 'accessLost', tagId: 'shop', at: 5 } },
    },
    {
      line: '{"kind":"activity","tagId":',
      outcome: {
        kind: 'malformed',
        reason: `not JSON (${jsonErrorOf('{"kind":"activity","tagId":')})`,
      },
    },
    {
      line: '[1]',
      outcome: {
        kind: 'malformed',
        reason:
          'record: [1] is not valid: expected a record whose kind is one of registerTag, removeTag, attachGoal, detachGoal, activity, conversion, hit, accessLost, accessRestored',
      },
    },
    {
      line: '{"kind":"activity","tagId":"","at":5}',
      outcome: {
        kind: 'malformed',
        reason:
          'tagId: "" is not valid: expected a string of 1 to 256 visible characters (no white space, control or format character, or lone surrogate)',
      },
    },
    {
      line: '{"kind":"activity","tagId":"shop","at":-5}',
      outcome: { kind: 'malformed', reason: `at: -5 is not valid: expected ${TIME_EXPECTED}` },
    },
    {
      line: '{"kind":"activity","tagId":"shop","at":"2024-03-01T10:00:00"}',
      outcome: {
        kind: 'malformed',
        reason: `at: "2024-03-01T10:00:00" is not valid: expected ${TIME_EXPECTED}`,
      },
    },
    {
      line: '{"kind":"pageView","tagId":"shop","at":5}',
      outcome: {
        kind: 'malformed',
        reason:
          'kind: "pageView" is not valid: expected a record whose kind is one of registerTag, removeTag, attachGoal, detachGoal, activity, conversion, hit, accessLost, accessRestored',
      },
    },
    {
      line: '{"kind":"conversion","tagId":"shop","goalId":"buy","goalType":"url","at":5}',
      outcome: {
        kind: 'malformed',
        reason:
          'goalType: "url" is not valid: expected one of Url, Duration, PagesViewedPerVisit, Event, AppInstall, OfflineConversion, InStoreTransaction',
      },
    },
  ];
  for (const c of cases) {
    it(c.line, () => {
      expect(parser.parse(c.line, 1)).toEqual(c.outcome);
    });
  }
});

describe('CSV', () => {
  it('reads the record fields as columns, in any order, with RFC 4180 quotes; an empty cell is a field left out', () => {
    const parser = createCsvParser();
    expect(parser.parse('at,tagId,kind,goalId,goalType', 1)).toEqual({ kind: 'blank' });
    expect(parser.parse('5,"shop",,,', 2)).toEqual({
      kind: 'record',
      record: { kind: 'activity', tagId: 'shop', at: 5 },
    });
    expect(parser.parse('2024-03-01T09:00:00Z,shop,conversion,buy,', 3)).toEqual({
      kind: 'record',
      record: { kind: 'conversion', tagId: 'shop', goalId: 'buy', at: 1_709_283_600_000 },
    });
    expect(parser.parse('5,shop', 4)).toEqual({
      kind: 'malformed',
      reason: 'expected 5 fields (at,tagId,kind,goalId,goalType), found 2',
    });
    expect(parser.parse('5,"shop,,,', 5)).toEqual({
      kind: 'malformed',
      reason: 'bad quoting: a quoted field is not closed, or text follows its closing quote',
    });
  });

  it('refuses a file without a header naming tagId, or with a column that is not a record field', () => {
    const expected =
      'line 1: a CSV file needs a header naming its columns, at least tagId, each one of kind, tagId, at, goalId, goalType, tagAvailable';
    expect(() => createCsvParser('x.csv').parse('shop,5', 1)).toThrow(
      new ReplayError('x.csv', `${expected} (unknown: shop, 5)`),
    );
    expect(() => createCsvParser('x.csv').parse('tagId,at,note', 1)).toThrow(
      new ReplayError('x.csv', `${expected} (unknown: note)`),
    );
  });
});

describe('ReorderBuffer', () => {
  it('releases in time order once the look-behind has passed, ties in arrival order, and refuses what is too late', () => {
    const buffer = new ReorderBuffer<string>(10);
    const released: string[] = [];
    const push = (at: number, id: string) => {
      const accepted = buffer.push(at, id);
      buffer.release((item, time) => released.push(`${item}@${time}`));
      return accepted;
    };
    expect([push(5, 'a'), push(3, 'b'), push(5, 'c'), push(14, 'd'), push(16, 'e')]).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(released).toEqual(['b@3', 'a@5', 'c@5']);
    expect(push(4, 'late')).toBe(false);
    expect(buffer.size).toBe(2);
    const flushed: string[] = [];
    buffer.flush((item, time) => flushed.push(`${item}@${time}`));
    expect(flushed).toEqual(['d@14', 'e@16']);
  });

  it('D1 keeps its order when the ring grows while wrapped and shrinks as it empties', () => {
    const buffer = new ReorderBuffer<number>(2_000);
    const released: number[] = [];
    const release = (item: number) => released.push(item);
    // 1,000 records a time unit apart, then 3,000 at one time: the ring wraps after the first
    // releases, then grows twice while wrapped; at the end it is flushed back to empty.
    for (let index = 0; index < 1_000; index++) {
      buffer.push(index * 3, index);
      buffer.release(release);
    }
    expect(released.length).toBeGreaterThan(300);
    for (let index = 1_000; index < 4_000; index++) {
      buffer.push(2_997, index);
      buffer.release(release);
    }
    expect(buffer.size).toBe(4_000 - released.length);
    buffer.flush(release);
    expect(released).toEqual(Array.from({ length: 4_000 }, (_, index) => index));
    expect(buffer.size).toBe(0);
    buffer.push(3_000, 4_000);
    buffer.flush(release);
    expect(released.at(-1)).toBe(4_000);
  });

  it('D1 releases exactly what a sorted look-behind releases, on random arrivals (ring growth included)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10, max: 90 }), { maxLength: 3_000, size: 'max' }),
        // Long look-behinds hold over 1,024 records: the ring grows, wrapped (after releases) or not.
        fc.oneof(
          fc.integer({ min: 0, max: 50 }),
          fc.integer({ min: 60, max: 300 }),
          fc.constant(1_000_000),
        ),
        (steps, lookBehind) => {
          const buffer = new ReorderBuffer<number>(lookBehind);
          const released: string[] = [];
          const expected: string[] = [];
          let held: { at: number; arrival: number }[] = [];
          let latest = Number.NEGATIVE_INFINITY;
          let releasedUpTo = Number.NEGATIVE_INFINITY;
          const takeUpTo = (upTo: number) => {
            const due = held
              .filter((record) => record.at <= upTo)
              .sort((a, b) => a.at - b.at || a.arrival - b.arrival);
            held = held.filter((record) => record.at > upTo);
            for (const record of due) {
              expected.push(`${record.arrival}@${record.at}`);
              releasedUpTo = Math.max(releasedUpTo, record.at);
            }
          };
          let time = 0;
          steps.forEach((step, arrival) => {
            // Mostly forward, now and then back: in order, slightly late, and too late; time
            // slows in the second half, so that more records are held after some were released.
            time += step >= 0 && step % (arrival < 1_500 ? 3 : 30) === 0 ? 1 : 0;
            const at = step >= 0 ? time : time + step;
            const accepted = buffer.push(at, arrival);
            expect(accepted).toBe(at >= releasedUpTo);
            if (accepted) {
              held.push({ at, arrival });
              latest = Math.max(latest, at);
            }
            buffer.release((item, itemAt) => released.push(`${item}@${itemAt}`));
            takeUpTo(latest - lookBehind);
            expect(buffer.size).toBe(held.length);
          });
          buffer.flush((item, itemAt) => released.push(`${item}@${itemAt}`));
          takeUpTo(Number.POSITIVE_INFINITY);
          expect(released).toEqual(expected);
        },
      ),
      { numRuns: 40, endOnFailure: true },
    );
  });
});
