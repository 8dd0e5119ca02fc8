import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const realdata = path.resolve(repoRoot, 'test/fixtures/realdata');

// The expected figures below were counted independently of this code (awk and a Python
// regular expression over the files), and the times read off the files by hand.

describe('replay of the NASA Kennedy Space Center log, first hour of 1 August 1995 (Common Log Format)', () => {
  const file = path.join(realdata, 'NASA_Aug95_head_0000-0059.log.gz');

  it('reads all 1,642 requests (the last line has no newline), none malformed, times at -0400', async () => {
    const result = await replayFile(file, { tagId: 'nasa' });
    expect(result.format).toBe('clf');
    expect(result.statistics).toEqual({
      lines: 1642,
      records: 1642,
      filtered: 0,
      malformed: 0,
      malformedLines: [],
      late: 0,
      afterUntil: 0,
      firstAt: Date.parse('1995-08-01T00:00:01-04:00'),
      lastAt: Date.parse('1995-08-01T00:59:55-04:00'),
    });
    expect(result.timelines[0]?.intervals).toEqual([
      { status: 'Unverified', from: result.start, to: result.start },
      { status: 'Active', from: result.start, to: result.end },
    ]);
  });

  it('filters by status: 1,506 requests are 2xx, 106 are 304', async () => {
    const twoXx = await replayFile(file, { statuses: ['2xx'] });
    const notModified = await replayFile(file, { statuses: ['304'] });
    expect([twoXx.statistics.records, twoXx.statistics.filtered]).toEqual([1506, 136]);
    expect(notModified.statistics.records).toBe(106);
  });
});

describe('replay of the NASA log of 1 August 1995 until the Hurricane Erin shutdown (TSV)', () => {
  const file = path.join(realdata, 'nasa_19950801.tsv.gz');
  const lastRequest = Date.parse('1995-08-01T14:52:01-04:00');
  const shutdownEnd = Date.parse('1995-08-03T04:36:13-04:00');

  it('R4: Active from 02:00 EDT, Inactive 24 h after the last request before the shutdown, until the server came back', async () => {
    const result = await replayFile(file, { tagId: 'nasa', until: shutdownEnd });
    expect(result.format).toBe('tsv');
    expect(result.statistics).toEqual({
      lines: 30_970,
      records: 30_969,
      filtered: 0,
      malformed: 0,
      malformedLines: [],
      late: 0,
      afterUntil: 0,
      firstAt: Date.parse('1995-08-01T02:00:00-04:00'),
      lastAt: lastRequest,
    });
    const first = Date.parse('1995-08-01T02:00:00-04:00');
    expect(result.timelines[0]?.intervals).toEqual([
      { status: 'Unverified', from: first, to: first },
      { status: 'Active', from: first, to: lastRequest + DAY_MS },
      { status: 'Inactive', from: lastRequest + DAY_MS, to: shutdownEnd },
    ]);
    expect(result.timelines[0]?.timeInStatus).toEqual({
      Unverified: 0,
      Active: lastRequest + DAY_MS - first,
      Inactive: shutdownEnd - lastRequest - DAY_MS,
    });
  });

  it('G2, G3, G6: a Url goal on /shuttle/countdown/ (1,229 requests) records from its first, then follows the tag to TagInactive', async () => {
    const countdown = /^\/shuttle\/countdown\//;
    const result = await replayFile(file, {
      tagId: 'nasa',
      goalPaths: [{ goalId: 'countdown', goalType: 'Url', path: countdown }],
      until: shutdownEnd,
    });
    const first = Date.parse('1995-08-01T02:00:00-04:00');
    const firstCountdown = Date.parse('1995-08-01T06:01:56Z');
    expect(result.statistics.records).toBe(30_969);
    expect(result.timelines[1]?.goalId).toBe('countdown');
    expect(result.timelines[1]?.intervals).toEqual([
      { status: 'TagUnverified', from: first, to: first },
      { status: 'NoRecentConversions', from: first, to: firstCountdown },
      { status: 'RecordingConversions', from: firstCountdown, to: lastRequest + DAY_MS },
      { status: 'TagInactive', from: lastRequest + DAY_MS, to: shutdownEnd },
    ]);
    const only404 = await replayFile(file, { statuses: ['404'] });
    expect(only404.statistics.records).toBe(221);
  });
});

describe('replay of the elastic/examples Apache log (Combined Log Format, not sorted by time)', () => {
  const file = path.join(realdata, 'elastic_apache_logs.gz');

  it('uses 9,999 requests and reports the one line whose user agent is cut off, by its number', async () => {
    const result = await replayFile(file);
    expect(result.statistics).toEqual({
      lines: 10_000,
      records: 9_999,
      filtered: 0,
      malformed: 1,
      malformedLines: [
        {
          line: 8899,
          reason:
            'after the bytes: expected nothing (Common) or "referer" "user-agent" in double quotes (Combined)',
          text: '46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /scripts/grok-py-test/configlib.py HTTP/1.1" 200 235 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html',
        },
      ],
      late: 0,
      afterUntil: 0,
      firstAt: Date.parse('2015-05-17T10:05:00Z'),
      lastAt: Date.parse('2015-05-20T21:05:59Z'),
    });
  });

  it('D1: with no reorder window, 9,447 requests arrive after a later one and are processed late, changing nothing', async () => {
    const sorted = await replayFile(file);
    const unsorted = await replayFile(file, { reorderWindowMs: 0 });
    expect(unsorted.statistics.late).toBe(9_447);
    const first = Date.parse('2015-05-17T10:05:00Z');
    const firstLine = Date.parse('2015-05-17T10:05:03Z');
    const last = Date.parse('2015-05-20T21:05:59Z');
    expect(sorted.timelines[0]?.intervals).toEqual([
      { status: 'Unverified', from: first, to: first },
      { status: 'Active', from: first, to: last },
    ]);
    // Unsorted, the processor starts at the first line's time; earlier requests come late.
    expect(unsorted.timelines[0]?.intervals).toEqual([
      { status: 'Unverified', from: firstLine, to: firstLine },
      { status: 'Active', from: firstLine, to: last },
    ]);
  });

  it('R4, R5: with a 30-minute activity window the tag lapses once per gap of more than 30 minutes (83 gaps)', async () => {
    const result = await replayFile(file, { windows: { activityWindowMs: 30 * 60_000 } });
    const inactive = result.timelines[0]?.intervals.filter(
      (interval) => interval.status === 'Inactive',
    );
    expect(inactive).toHaveLength(83);
    expect(result.timelines[0]?.changes).toBe(1 + 2 * 83);
  });

  it('filters by path and status: 733 HTML pages answered 2xx', async () => {
    const result = await replayFile(file, { paths: [/\.html?$/], statuses: ['2xx'] });
    expect([result.statistics.records, result.statistics.filtered]).toEqual([733, 9266]);
  });
});
