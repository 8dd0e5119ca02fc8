import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../packages/uet-tag/src/service/createService.js';
import { PostgresInputSink } from '../packages/uet-tag/src/service/PostgresInputSink.js';
import { ServiceConfigError } from '../packages/uet-tag/src/service/ServiceConfigError.js';
import { loadServiceConfig } from '../packages/uet-tag/src/service/serviceConfig.js';
import type { MonitorStatusChange } from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import type { JsonLinesChild } from './support/childProcess.js';
import { useClusterProcesses } from './support/clusterHarness.js';
import { spawnWorker, startServeNode, workerArgs } from './support/clusterProcesses.js';
import { caughtUp } from './support/frontSupport.js';
import { DATABASE_URL } from './support/postgres.js';
import { startService, type TestService } from './support/serviceSupport.js';

/**
 * `uet-tag serve --db postgresql://…` as a real process in front of a real worker on the
 * real PostgreSQL, against the single-node service given the same requests.
 */
const SHARDS = 4;
const SETTINGS = { leaseTtlMs: 1_500, activityWindowMs: 3_600_000, conversionWindowMs: 86_400_000 };
const CAPI_TAG = '26000009';
const CAPI_TOKEN = 'capi-token-for-tag-26000009';
const TAGS = Array.from({ length: 8 }, (_, index) => String(26_000_001 + index));
const BURST = 300;
const BURST_TAG = (index: number) => String(27_000_000 + index);

const cluster = useClusterProcesses('front', SHARDS);
const { schema, pool, running } = cluster;
const configFile = path.join(cluster.dir, 'serve.json');
let local: TestService | undefined;

beforeAll(() => {
  fs.writeFileSync(configFile, JSON.stringify({ capiTokens: { [CAPI_TAG]: CAPI_TOKEN } }));
});
afterAll(async () => {
  await local?.close();
});

/** Starts a front node; resolves with it and its base URL once it listens. */
async function startFront(): Promise<{ child: JsonLinesChild; url: string }> {
  const front = await startServeNode(cluster.entry(), DATABASE_URL, schema, configFile);
  running.add(front.child);
  return front;
}

/** The same requests (inputs stamped around `now`), sent in order to a service; the answers' statuses and bodies. */
async function sendRequests(url: string, now: number): Promise<[number, string][]> {
  const ndjson = { 'content-type': 'application/x-ndjson' };
  const lines = [
    ...TAGS.map((tagId, index) =>
      JSON.stringify({
        kind: 'registerTag',
        tagId,
        goals: index % 2 === 0 ? [{ goalId: 'signup', goalType: 'Url' }] : [],
      }),
    ),
    JSON.stringify({ kind: 'activity', at: now }),
    ...TAGS.slice(0, 5).map((tagId) =>
      JSON.stringify({ kind: 'activity', tagId, at: now - 1_000 }),
    ),
    JSON.stringify({ kind: 'conversion', tagId: TAGS[0], goalId: 'signup', at: now - 500 }),
    JSON.stringify({ kind: 'accessLost', tagId: TAGS[3] }),
  ];
  const requests: [string, RequestInit][] = [
    [`${url}/inputs`, { method: 'POST', headers: ndjson, body: lines.join('\n') }],
    [`${url}/action/0?ti=${TAGS[6]}&evt=pageLoad`, {}],
    [`${url}/actionp/0?ti=26000777`, { method: 'POST', body: 'ignored' }],
    [`${url}/action/0?evt=pageLoad`, {}],
    [
      `${url}/v1/${CAPI_TAG}/events`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CAPI_TOKEN}` },
        body: JSON.stringify({
          data: [
            {
              eventType: 'custom',
              eventTime: Math.floor(now / 1000),
              eventName: 'buy',
              userData: { anonymousId: 'b171a9b06ce011ecafcd1b209be8601b' },
            },
          ],
        }),
      },
    ],
    [
      `${url}/inputs`,
      { method: 'POST', headers: ndjson, body: `{"kind":"accessRestored","tagId":"${TAGS[3]}"}` },
    ],
  ];
  const answers: [number, string][] = [];
  for (const [target, init] of requests) {
    const response = await fetch(target, init);
    answers.push([response.status, await response.text()]);
  }
  return answers;
}

/** Statuses by subject (`tag` or `tag/goal`) and the changes of each tag, in order. */
type Outcome = { statuses: Record<string, string>; changes: Record<string, string[]> };

/** Appends a change of `subject` to its tag's list. */
function addChange(
  changes: Record<string, string[]>,
  tagId: string,
  subject: string,
  from: string,
  to: string,
): void {
  const list = changes[tagId] ?? [];
  list.push(`${subject}: ${from} -> ${to}`);
  changes[tagId] = list;
}

async function clusterOutcome(tagIds: ReadonlySet<string>): Promise<Outcome> {
  const statuses: Record<string, string> = {};
  const rows = await pool.query<{ tag_id: string; goal_id: string | null; status: string }>(
    `SELECT tag_id, NULL AS goal_id, status FROM tags
     UNION ALL SELECT t.tag_id, g.goal_id, g.status FROM goals AS g JOIN tags AS t USING (shard, no)`,
  );
  for (const row of rows.rows) {
    if (!tagIds.has(row.tag_id)) continue;
    statuses[row.goal_id === null ? row.tag_id : `${row.tag_id}/${row.goal_id}`] = row.status;
  }
  const changes: Record<string, string[]> = {};
  const logged = await pool.query<{
    tag_id: string;
    goal_id: string | null;
    from_status: string;
    to_status: string;
  }>('SELECT tag_id, goal_id, from_status, to_status FROM change_log ORDER BY tag_id, tag_seq');
  for (const row of logged.rows) {
    if (!tagIds.has(row.tag_id)) continue;
    const subject = row.goal_id === null ? row.tag_id : `${row.tag_id}/${row.goal_id}`;
    addChange(changes, row.tag_id, subject, row.from_status, row.to_status);
  }
  return { statuses, changes };
}

/** Times that depend on the clock of whoever received the input (a hit's receipt, a monitor's now). */
const CLOCK_FIELDS = new Set(['since', 'lastData', 'nextDeadline', 'lastConversion']);
const CHANGE_CLOCK_FIELDS = new Set([
  'effectiveAt',
  'effectiveTime',
  'noticedAt',
  'noticedTime',
  'seq',
]);

/**
 * A `GET /tags/{tagId}` answer without what differs between two processes given the same
 * requests: always the changes' times and sequence numbers (a shard's, not the service's)
 * and the goals' `since` (a goal's change can take effect when its processor notices it),
 * and with `exact` false every time (the tag's inputs were stamped on receipt).
 */
function comparable(body: unknown, exact: boolean): unknown {
  return JSON.parse(JSON.stringify(body), function (key, value: unknown) {
    if (Array.isArray(this) || key === '') return value;
    const isChange = 'kind' in this && 'from' in this;
    if (isChange && CHANGE_CLOCK_FIELDS.has(key)) {
      return undefined;
    }
    if (!exact && !isChange && CLOCK_FIELDS.has(key)) return undefined;
    // A goal that follows its tag changes when its processor notices it.
    if (!isChange && 'goalId' in this && key === 'since') return undefined;
    return value;
  });
}

describe('uet-tag serve --db postgresql://…: a stateless front of the cluster', () => {
  it('D7 the collector, the Conversions API and POST /inputs answer as the single-node service once the inputs are in the input log; a worker then gives the statuses and changes of a local monitor, and the queries of a fresh node (/summary, /tags, /tags/{tagId}, /goals) answer from PostgreSQL as the local service; a SIGKILL after the answers loses nothing acknowledged', async () => {
    local = await startService({
      memory: true,
      activityWindow: SETTINGS.activityWindowMs,
      conversionWindow: SETTINGS.conversionWindowMs,
      capiTokens: { [CAPI_TAG]: CAPI_TOKEN },
    });
    const localChanges: MonitorStatusChange[] = [];
    local.service.monitor.subscribe((change) => localChanges.push(change));
    const front = await startFront();
    expect(await (await fetch(`${front.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${front.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: `PostgreSQL schema ${schema}` });

    const now = Date.now();
    const localAnswers = await sendRequests(local.url, now);
    const frontAnswers = await sendRequests(front.url, now);
    expect(frontAnswers.map(([status]) => status)).toEqual([200, 204, 204, 400, 200, 200]);
    expect(frontAnswers).toEqual(localAnswers);

    // A burst of hits, each to a tag of its own; the node is killed mid-burst.
    const acknowledged: string[] = [];
    let killed = false;
    const burst = Array.from({ length: BURST }, async (_, index) => {
      try {
        const response = await fetch(`${front.url}/action/0?ti=${BURST_TAG(index)}`);
        if (response.status === 204) acknowledged.push(BURST_TAG(index));
      } catch {
        // Cut off by the kill: not acknowledged.
      }
      if (!killed && acknowledged.length >= BURST / 3) {
        killed = true;
        front.child.child.kill('SIGKILL');
      }
    });
    await Promise.all(burst);
    expect(await front.child.exited()).toBe('SIGKILL');
    running.delete(front.child);
    expect(acknowledged.length).toBeGreaterThanOrEqual(BURST / 3);

    const worker = spawnWorker([
      ...workerArgs(cluster.entry(), DATABASE_URL, schema, SETTINGS),
      '--auto-register',
    ]);
    running.add(worker);
    await caughtUp(pool, 30_000);
    worker.child.kill('SIGTERM');
    expect(await worker.exited()).toBe(0);
    running.delete(worker);

    const localTags = new Set([...local.service.monitor.statuses()].map((report) => report.tagId));
    const expected: Outcome = { statuses: {}, changes: {} };
    for (const report of local.service.monitor.statuses()) {
      expected.statuses[report.tagId] = report.status;
      for (const goal of report.goals) {
        expected.statuses[`${report.tagId}/${goal.goalId}`] = goal.status;
      }
    }
    for (const change of localChanges) {
      const subject = change.kind === 'goal' ? `${change.tagId}/${change.goalId}` : change.tagId;
      addChange(expected.changes, change.tagId, subject, change.from, change.to);
    }
    expect(localTags.size).toBe(TAGS.length + 2);
    expect(await clusterOutcome(localTags)).toEqual(expected);

    // A fresh node answers the tag queries from the cluster's tables as the local service does.
    const reader = await startFront();
    const exactTags = new Set([0, 1, 2, 4, 5, 7].map((index) => TAGS[index]));
    for (const tagId of [...localTags, '26000999']) {
      const [mine, theirs] = await Promise.all(
        [reader.url, local.url].map(async (base) => {
          const response = await fetch(`${base}/tags/${tagId}`);
          return [response.status, comparable(await response.json(), exactTags.has(tagId))];
        }),
      );
      expect(mine, `GET /tags/${tagId}`).toEqual(theirs);
    }
    const get = async (base: string, target: string) => {
      const response = await fetch(`${base}${target}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const localUrl = local.url;
    const both = (target: string) => Promise.all([get(reader.url, target), get(localUrl, target)]);
    const byId = (tags: unknown) =>
      [...(tags as { tagId: string }[])].sort((a, b) => (a.tagId < b.tagId ? -1 : 1));
    const [listed, expectedList] = await both('/tags?q=2600&limit=50');
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(localTags.size);
    expect(comparable(byId(listed.body.tags), false)).toEqual(
      comparable(byId(expectedList.body.tags), false),
    );
    const [page] = await both('/tags?q=2600&limit=3&offset=2');
    expect(page.body).toMatchObject({ total: localTags.size, offset: 2, limit: 3 });
    expect(page.body.tags).toHaveLength(3);
    const [unavailable, expectedUnavailable] = await both('/tags?status=Unverified&q=2600');
    expect(unavailable.body.total).toBe(expectedUnavailable.body.total);
    const [bad, expectedBad] = await both('/tags?status=Bogus');
    expect(bad).toEqual(expectedBad);
    const [goals, expectedGoals] = await both('/goals');
    expect(goals.body.total).toBe(expectedGoals.body.total);
    expect(comparable(byId(goals.body.goals), false)).toEqual(
      comparable(byId(expectedGoals.body.goals), false),
    );
    const [recording, expectedRecording] = await both('/goals?status=RecordingConversions');
    expect(recording.body.total).toBe(1);
    expect(comparable(recording.body, true)).toEqual(comparable(expectedRecording.body, true));
    const [summary, expectedSummary] = await both('/summary');
    const burstTags = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM tags WHERE tag_id LIKE '27%'`,
    );
    const expectedTags = expectedSummary.body.tags as Record<string, number>;
    expect(summary.body).toMatchObject({
      windows: expectedSummary.body.windows,
      goals: expectedSummary.body.goals,
      tags: { ...expectedTags, Active: (expectedTags.Active ?? 0) + Number(burstTags.rows[0]?.n) },
    });
    reader.child.child.kill('SIGTERM');
    expect(await reader.child.exited()).toBe(0);
    running.delete(reader.child);

    const burstStatuses = await clusterOutcome(new Set(acknowledged));
    expect(
      acknowledged.filter((tagId) => burstStatuses.statuses[tagId] !== 'Active'),
      'acknowledged hits missing from the cluster',
    ).toEqual([]);
  }, 60_000);

  it('createService refuses a postgresql:// db, naming the field and the function to use', async () => {
    const config = loadServiceConfig({ flags: { db: DATABASE_URL, port: 0 } });
    const made = createService(config);
    await expect(made).rejects.toThrow(ServiceConfigError);
    await expect(made).rejects.toThrow(/db: .* is a PostgreSQL database: .*createFrontService/);
  });

  it('D4 concurrent submissions share appends (group commit), each resolved after its COMMIT with its own order kept; a hit without a valid tag id is refused alone', async () => {
    const appends: number[] = [];
    const sink = new PostgresInputSink(pool, {
      appendsInFlight: 2,
      committed: (inputs) => appends.push(inputs),
    });
    const tagId = '28000001';
    const before = await pool.query<{ n: string }>('SELECT count(*) AS n FROM input_log');
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        sink.submit([
          { kind: 'activity', tagId, at: 1_000 + index * 2 },
          { kind: 'hit', hit: { tagId: '' } as never, at: 0 },
          { kind: 'activity', tagId, at: 1_001 + index * 2 },
        ]),
      ),
    );
    for (const result of results) {
      expect(result.applied).toBe(2);
      expect(result.rejected.map((refused) => [refused.index, refused.error.code])).toEqual([
        [1, 'invalidId'],
      ]);
    }
    expect(appends.reduce((sum, inputs) => sum + inputs, 0)).toBe(120);
    expect(appends.length).toBeLessThan(60);
    const logged = await pool.query<{ at: number }>(
      `SELECT (record->>'at')::float8 AS at FROM input_log WHERE record->>'tagId' = $1 ORDER BY shard, pos`,
      [tagId],
    );
    const times = logged.rows.map((row) => row.at);
    expect(times).toHaveLength(120);
    for (let index = 0; index < 60; index++) {
      expect(times.indexOf(1_001 + index * 2)).toBe(times.indexOf(1_000 + index * 2) + 1);
    }
    const after = await pool.query<{ n: string }>('SELECT count(*) AS n FROM input_log');
    expect(Number(after.rows[0]?.n) - Number(before.rows[0]?.n)).toBe(120);
  });
});
