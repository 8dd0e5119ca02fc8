import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../packages/uet-tag/src/io/InputError.js';
import { ReplayError } from '../packages/uet-tag/src/replay/ReplayError.js';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import { detectReplayFormat } from '../packages/uet-tag/src/replay/replayFormat.js';
import { DAY_MS, HOUR_MS } from '../packages/uet-tag-status/src/windows.js';
import { jsonErrorOf } from './support/jsonErrors.js';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'uet-replay-'));
});

async function file(name: string, lines: readonly string[]): Promise<string> {
  const target = path.join(folder, name);
  await writeFile(target, `${lines.join('\n')}\n`);
  return target;
}

const ndjson = (record: object) => JSON.stringify(record);

describe('replayFile', () => {
  it('counts malformed lines, reports the first few with their line numbers, and uses the rest', async () => {
    const target = await file('mixed.ndjson', [
      ndjson({ kind: 'activity', tagId: 'shop', at: 0 }),
      'not json',
      ndjson({ kind: 'activity', tagId: 'shop', at: -1 }),
      '',
      ndjson({ kind: 'conversion', tagId: 'shop', goalId: 'buy', at: HOUR_MS }),
      ndjson({
        kind: 'conversion',
        tagId: 'shop',
        goalId: 'buy',
        goalType: 'Url',
        at: 2 * HOUR_MS,
      }),
      ndjson({
        kind: 'conversion',
        tagId: 'shop',
        goalId: 'buy',
        goalType: 'Event',
        at: 3 * HOUR_MS,
      }),
      ndjson({ kind: 'conversion', tagId: 'shop', goalId: 'buy', at: 4 * HOUR_MS }),
    ]);
    const result = await replayFile(target, { malformedSamples: 2 });
    expect(result.statistics).toEqual({
      lines: 8,
      records: 3,
      filtered: 0,
      malformed: 4,
      malformedLines: [
        { line: 2, reason: `not JSON (${jsonErrorOf('not json')})`, text: 'not json' },
        {
          line: 3,
          reason:
            'at: -1 is not valid: expected a time: integer UTC epoch ms (0 to 8636844240000000) or an ISO 8601 date-time with its zone (2024-03-01T09:00:00Z, 2024-03-01T09:00:00-04:00)',
          text: ndjson({ kind: 'activity', tagId: 'shop', at: -1 }),
        },
      ],
      late: 0,
      afterUntil: 0,
      firstAt: 0,
      lastAt: 4 * HOUR_MS,
    });
    expect(result.timelines.map((timeline) => [timeline.goalId, timeline.intervals])).toEqual([
      [
        undefined,
        [
          { status: 'Unverified', from: 0, to: 0 },
          { status: 'Active', from: 0, to: 4 * HOUR_MS },
        ],
      ],
      [
        'buy',
        [
          { status: 'NoRecentConversions', from: 2 * HOUR_MS, to: 2 * HOUR_MS },
          { status: 'RecordingConversions', from: 2 * HOUR_MS, to: 4 * HOUR_MS },
        ],
      ],
    ]);
  });

  it('says why an unknown goal or a changed goal type is malformed (SPEC D4)', async () => {
    const target = await file('goals.ndjson', [
      ndjson({ kind: 'conversion', tagId: 'shop', goalId: 'buy', at: 0 }),
      ndjson({ kind: 'conversion', tagId: 'shop', goalId: 'app', goalType: 'AppInstall', at: 1 }),
      ndjson({ kind: 'conversion', tagId: 'shop', goalId: 'app', goalType: 'Url', at: 2 }),
    ]);
    const { statistics } = await replayFile(target);
    expect(statistics.malformedLines.map(({ line, reason }) => ({ line, reason }))).toEqual([
      {
        line: 1,
        reason:
          'goalId: "buy" is not valid: expected a goal whose type is known (give goalType in its first record, or --goal buy=<type>)',
      },
      {
        line: 3,
        reason:
          'goalType: "Url" is not valid: expected AppInstall, the type goal app of tag shop already has',
      },
    ]);
  });

  it('attaches declared goals to every tag from its first record', async () => {
    const target = await file('declared.csv', [
      'tagId,at,kind,goalId',
      'a,0,,',
      'b,10,,',
      'b,20,conversion,buy',
    ]);
    const result = await replayFile(target, { goals: [{ goalId: 'buy', goalType: 'Event' }] });
    expect(result.format).toBe('csv');
    expect(
      result.timelines.map((timeline) => [
        timeline.tagId,
        timeline.goalId,
        timeline.intervals.at(-1)?.status,
      ]),
    ).toEqual([
      ['a', undefined, 'Active'],
      ['a', 'buy', 'NoRecentConversions'],
      ['b', undefined, 'Active'],
      ['b', 'buy', 'RecordingConversions'],
    ]);
  });

  it('puts records back in order within the reorder window', async () => {
    const target = await file('shuffled.ndjson', [
      ndjson({ kind: 'activity', tagId: 't', at: 2 * DAY_MS }),
      ndjson({ kind: 'activity', tagId: 't', at: 0 }),
      ndjson({ kind: 'activity', tagId: 't', at: DAY_MS / 2 }),
    ]);
    const result = await replayFile(target, { reorderWindowMs: 3 * DAY_MS });
    expect(result.statistics.late).toBe(0);
    expect(result.timelines[0]?.intervals).toEqual([
      { status: 'Unverified', from: 0, to: 0 },
      { status: 'Active', from: 0, to: DAY_MS / 2 + DAY_MS },
      { status: 'Inactive', from: DAY_MS / 2 + DAY_MS, to: 2 * DAY_MS },
      { status: 'Active', from: 2 * DAY_MS, to: 2 * DAY_MS },
    ]);
  });

  it('D1: a record older than the window is processed late: history already reported stays, the status is R7 at the processor time', async () => {
    const target = await file('late.ndjson', [
      ndjson({ kind: 'activity', tagId: 'a', at: 0 }),
      ndjson({ kind: 'activity', tagId: 'b', at: 30 * HOUR_MS }),
      ndjson({ kind: 'activity', tagId: 'b', at: 32 * HOUR_MS }),
      ndjson({ kind: 'activity', tagId: 'a', at: 10 * HOUR_MS }),
    ]);
    const result = await replayFile(target, { reorderWindowMs: HOUR_MS, until: 40 * HOUR_MS });
    expect(result.statistics.late).toBe(1);
    expect(result.changes.filter((change) => change.tagId === 'a')).toEqual([
      { kind: 'tag', tagId: 'a', from: 'Unverified', to: 'Active', effectiveAt: 0, noticedAt: 0 },
      {
        kind: 'tag',
        tagId: 'a',
        from: 'Active',
        to: 'Inactive',
        effectiveAt: DAY_MS,
        noticedAt: DAY_MS,
      },
      {
        kind: 'tag',
        tagId: 'a',
        from: 'Inactive',
        to: 'Active',
        effectiveAt: DAY_MS,
        noticedAt: 30 * HOUR_MS,
      },
      {
        kind: 'tag',
        tagId: 'a',
        from: 'Active',
        to: 'Inactive',
        effectiveAt: 34 * HOUR_MS,
        noticedAt: 34 * HOUR_MS,
      },
    ]);
  });

  it('ends at --until: records after it are counted, not used, and silences up to it apply', async () => {
    const target = await file('until.ndjson', [
      ndjson({ kind: 'activity', tagId: 't', at: 0 }),
      ndjson({ kind: 'activity', tagId: 't', at: 3 * DAY_MS }),
    ]);
    const result = await replayFile(target, { until: 2 * DAY_MS });
    expect(result.statistics.afterUntil).toBe(1);
    expect([result.start, result.end]).toEqual([0, 2 * DAY_MS]);
    expect(result.timelines[0]?.intervals.map((interval) => interval.status)).toEqual([
      'Unverified',
      'Active',
      'Inactive',
    ]);
  });

  it('gives the same result with every record stepped through the machines', async () => {
    const target = await file('steps.ndjson', [
      ndjson({ kind: 'activity', tagId: 't', at: 0 }),
      ndjson({ kind: 'conversion', tagId: 't', goalId: 'g', goalType: 'Url', at: HOUR_MS }),
      ndjson({ kind: 'activity', tagId: 't', at: 2 * HOUR_MS }),
      ndjson({ kind: 'accessLost', tagId: 't', at: 3 * HOUR_MS }),
      ndjson({ kind: 'accessRestored', tagId: 't', at: 4 * HOUR_MS }),
      ndjson({ kind: 'activity', tagId: 't', at: 9 * DAY_MS }),
    ]);
    const fast = await replayFile(target);
    const everyRecord = await replayFile(target, { fastPath: false });
    expect(fast.changes).toEqual(everyRecord.changes);
    expect(fast.timelines).toEqual(everyRecord.timelines);
  });

  it('reports progress, ending with the whole file', async () => {
    const target = await file('progress.ndjson', [ndjson({ kind: 'activity', tagId: 't', at: 0 })]);
    const progress: [number, number | undefined][] = [];
    await replayFile(target, { onProgress: (bytes, total) => progress.push([bytes, total]) });
    const size = ndjson({ kind: 'activity', tagId: 't', at: 0 }).length + 1;
    expect(progress).toEqual([[size, size]]);
  });

  it('refuses a missing file and a file whose format cannot be told', async () => {
    await expect(replayFile(path.join(folder, 'missing.log'))).rejects.toThrow(
      new InputError(path.join(folder, 'missing.log'), 'notFound', 'no such file'),
    );
    const unknown = await file('unknown.txt', ['hello world']);
    await expect(replayFile(unknown)).rejects.toThrow(
      new ReplayError(
        unknown,
        'cannot tell the format from the first line "hello world"; give --format (ndjson, csv, clf, tsv, har, capi)',
      ),
    );
  });
});

describe('detectReplayFormat', () => {
  it('tells formats by extension (also before .gz), else by the first non-blank line', () => {
    const cases = [
      ['a.jsonl', 'x'],
      ['a.csv.gz', 'x'],
      ['b.log', '{"kind":"activity","tagId":"t","at":0}'],
      ['c.log', 'h - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 200 1'],
      ['d.txt', 'host\ttime\turl\tresponse'],
      ['e.txt', 'at, tagId'],
      ['f.txt', 'hello'],
    ] as const;
    expect(cases.map(([name, line]) => detectReplayFormat(name, line))).toEqual([
      'ndjson',
      'csv',
      'ndjson',
      'clf',
      'tsv',
      'csv',
      undefined,
    ]);
  });
});
