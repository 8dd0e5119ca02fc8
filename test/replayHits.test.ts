import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdvertisingObjectError } from '../packages/uet-tag/src/advertising/index.js';
import { HarError } from '../packages/uet-tag/src/hits/index.js';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import { loadAccountObjects } from '../packages/uet-tag/src/replay/replayGoals.js';

/*
 * Replaying hits (SPEC U1–U5) matched against goals loaded from API files (A1, A2, M1–M7):
 * the beacons Chromium really sent, as the collector's access log, its NDJSON log and the
 * browser's HAR files, give the same hits and conversions.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const beacons = (name: string) => path.join(repoRoot, 'test/fixtures/beacons', name);
let scratch = '';
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'uet-replay-hits-'));
});

async function replayWithGoals(file: string, goals = [beacons('goals.json')], extra = {}) {
  const account = await loadAccountObjects(goals);
  return replayFile(file, { definitions: account.definitions, tagIds: account.tagIds, ...extra });
}

const conversionsOf = (result: Awaited<ReturnType<typeof replayFile>>) =>
  Object.fromEntries(
    result.hits.flatMap((tag) => tag.goals.map((goal) => [goal.goalId, goal.conversions])),
  );

describe('replaying hits with goals', () => {
  it('U1 M3 M4 M5 A2 an access log of beacons: every beacon a hit of its ti, goals converting by their definitions, the Paused one never', async () => {
    const result = await replayWithGoals(beacons('access.log'));
    expect(result.format).toBe('clf');
    expect(result.statistics).toMatchObject({ records: 18, malformed: 0, filtered: 0 });
    expect(result.hits.map((tag) => [tag.tagId, tag.hits])).toEqual([['26012345', 18]]);
    expect(conversionsOf(result)).toEqual({ '46001001': 2, '46001002': 1, '46001004': 2 });
    const goalStatuses = result.timelines
      .filter((timeline) => timeline.goalId !== undefined)
      .map((timeline) => [timeline.goalId, timeline.intervals.at(-1)?.status]);
    expect(goalStatuses).toEqual([
      ['46001001', 'RecordingConversions'],
      ['46001002', 'RecordingConversions'],
      ['46001004', 'RecordingConversions'],
      ['46001005', 'NoRecentConversions'],
    ]);
  });

  it('U1 U5 the collector`s NDJSON log holds the hits of its access log; the three HAR files the same but the 8 pageHide beacons, with the same conversions', async () => {
    const ndjson = await replayWithGoals(beacons('beacons.ndjson'));
    expect(ndjson.format).toBe('ndjson');
    expect(ndjson.hits[0]?.hits).toBe(18);
    expect(conversionsOf(ndjson)).toEqual({ '46001001': 2, '46001002': 1, '46001004': 2 });
    let hits = 0;
    const conversions: Record<string, number> = {};
    for (const visitor of ['visitor-1.har', 'visitor-2.har', 'visitor-3.har']) {
      const har = await replayWithGoals(beacons(visitor));
      expect(har.format).toBe('har');
      hits += har.hits[0]?.hits ?? 0;
      for (const [goalId, count] of Object.entries(conversionsOf(har))) {
        conversions[goalId] = (conversions[goalId] ?? 0) + (count as number);
      }
    }
    expect(hits).toBe(10);
    expect(conversions).toEqual({ '46001001': 2, '46001002': 1, '46001004': 2 });
  });

  it('M6 with click attribution only the visitors who came from an ad click convert', async () => {
    const result = await replayWithGoals(beacons('access.log'), undefined, {
      matching: { attribution: 'click' },
    });
    expect(conversionsOf(result)).toEqual({ '46001001': 2, '46001002': 1, '46001004': 1 });
  });

  it('a tag the goals file names shows in the timelines even without a hit', async () => {
    const goals = path.join(scratch, 'twoTags.json');
    await writeFile(
      goals,
      JSON.stringify({ UetTags: [{ Id: 26012345 }, { Id: '26099999', Name: 'Blog' }] }),
    );
    const result = await replayWithGoals(beacons('access.log'), [goals]);
    const tags = result.timelines.filter((timeline) => timeline.goalId === undefined);
    expect(tags.map((tag) => [tag.tagId, tag.intervals.at(-1)?.status])).toEqual([
      ['26012345', 'Active'],
      ['26099999', 'Unverified'],
    ]);
  });

  it('U4 U5 Conversions API bodies are hits of --tag-id dated by eventTime; refused requests and events are reported by line and position', async () => {
    const result = await replayWithGoals(
      path.join(repoRoot, 'test/fixtures/capi/requests.ndjson'),
      [],
      {
        tagId: '26012345',
      },
    );
    expect(result.format).toBe('capi');
    expect(result.hits.map((tag) => [tag.tagId, tag.hits])).toEqual([['26012345', 2]]);
    expect(result.statistics.malformed).toBe(3);
    for (const bad of result.statistics.malformedLines) {
      expect(bad.reason).toMatch(/^line \d+: (data\[\d+\]|body|data)/);
    }
  });

  it('D4 a malformed beacon costs only its own line, naming the parameter', async () => {
    const file = path.join(scratch, 'bad.ndjson');
    await writeFile(
      file,
      [
        '{"url":"/action/0?ti=5&evt=pageLoad&p=https%3A%2F%2Fcontoso.com%2F","at":1000}',
        '{"url":"/action/0?evt=pageLoad","at":2000}',
        '{"url":"/action/0?ti=5&evt=custom&ev=lots","at":3000}',
        '{"url":"/action/0?ti=5&evt=pageLoad","at":"yesterday"}',
        '{"url":"/action/0?ti=5&evt=pageLoad","at":4000}',
      ].join('\n'),
    );
    const result = await replayFile(file);
    expect(result.hits.map((tag) => [tag.tagId, tag.hits])).toEqual([['5', 2]]);
    expect(result.statistics.malformedLines.map((bad) => [bad.line, bad.reason])).toEqual([
      [2, expect.stringMatching(/^beacon ti: undefined is not valid/)],
      [
        3,
        expect.stringMatching(/^beacon ev: "lots" is not valid: expected a finite decimal number/),
      ],
      [4, expect.stringMatching(/^at: "yesterday" is not valid/)],
    ]);
  });

  it('D4 a HAR file that breaks off gives its entries before the break, then a HarError naming where', async () => {
    const file = path.join(scratch, 'broken.har');
    const entry = (n: number) =>
      `{"startedDateTime":"2025-04-01T09:00:0${n}Z","request":{"method":"GET","url":"https://bat.bing.com/action/0?ti=5&evt=pageLoad"},"response":{"status":204}}`;
    await writeFile(file, `{"log":{"entries":[${entry(1)},${entry(2)},{"startedDateTime":`);
    await expect(replayFile(file)).rejects.toBeInstanceOf(HarError);
  });

  it('U1 a HAR beacon of status 0 (failed or blocked in the browser) reached no collector and is no hit', async () => {
    const file = path.join(scratch, 'blocked.har');
    const entry = (status: number, second: number) =>
      `{"startedDateTime":"2025-04-01T09:00:0${second}Z","request":{"method":"GET","url":"https://bat.bing.com/action/0?ti=5&evt=pageLoad"},"response":{"status":${status}}}`;
    await writeFile(file, `{"log":{"entries":[${entry(0, 1)},${entry(204, 2)},${entry(-1, 3)}]}}`);
    const result = await replayFile(file);
    expect(result.statistics).toMatchObject({ lines: 3, records: 2, filtered: 1 });
    expect(result.hits[0]?.lastHitAt).toBe(Date.parse('2025-04-01T09:00:03Z'));
  });

  it('A1 M2 a goals file with a pattern .NET reads differently is refused, naming the file, the goal`s JSON path and the construct', async () => {
    const goals = path.join(scratch, 'refused.json');
    await writeFile(
      goals,
      JSON.stringify({
        ConversionGoals: [
          { Id: 1, Type: 'Url', TagId: 5, UrlExpression: 'thanks', UrlOperator: 'Contains' },
          {
            Id: 2,
            Type: 'Url',
            TagId: 5,
            UrlExpression: '(?<x>a)\\k<x>',
            UrlOperator: 'RegularExpression',
          },
        ],
      }),
    );
    const failure = await loadAccountObjects([goals]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdvertisingObjectError);
    expect((failure as Error).message).toContain('ConversionGoals[1].UrlExpression');
    expect((failure as Error).message).toContain(goals);
    expect((failure as Error).message).toMatch(/goal "2" uses/);
  });
});
