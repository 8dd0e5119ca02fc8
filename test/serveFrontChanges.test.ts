import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_CHANNEL } from '../packages/uet-tag/src/postgres/commitStatements.js';
import { readSettledChanges } from '../packages/uet-tag/src/postgres/settledChanges.js';
import { shardOf } from '../packages/uet-tag/src/postgres/shardOf.js';
import {
  caughtUp,
  LONG_WINDOWS,
  startFrontNode,
  type TestFrontNode,
  testCluster,
} from './support/frontSupport.js';
import { DATABASE_URL } from './support/postgres.js';
import { connectSse, type ReceivedEvent, type SseClient } from './support/sseClient.js';

/**
 * `GET /changes` on front nodes (`uet-tag serve --db postgresql://…`) in front of two real
 * worker processes on the real PostgreSQL: one order over every shard, resumed on another
 * node or after a restart with nothing lost or repeated.
 */
const SHARDS = 4;

const cluster = testCluster('frontsse', LONG_WINDOWS, { shards: SHARDS, workers: 2 });
const { schema, pool } = cluster;
const fronts = new Set<TestFrontNode>();
const clients: SseClient[] = [];

beforeAll(() => cluster.start());
afterAll(async () => {
  for (const client of clients) client.close();
  for (const front of fronts) await front.close();
  await cluster.stop();
});

async function front(): Promise<TestFrontNode> {
  const started = await startFrontNode(schema);
  fronts.add(started);
  return started;
}

async function sse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await connectSse(url, headers);
  clients.push(client);
  return client;
}

/** Registers each tag and sends it a hit: one change (Unverified to Active) per tag. */
async function activate(url: string, tagIds: readonly string[]): Promise<void> {
  const at = Date.now();
  const inputs = tagIds.flatMap((tagId) => [
    { kind: 'registerTag', tagId },
    { kind: 'activity', tagId, at },
  ]);
  const response = await fetch(`${url}/inputs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(inputs),
  });
  expect(response.status).toBe(200);
}

/** Every change of the change log, by event id, in the stream's order. */
async function loggedIds(): Promise<string[]> {
  const rows = await pool.query<{ id: string }>(
    `SELECT xid::text || '.' || shard || '.' || seq AS id FROM change_log ORDER BY xid, shard, seq`,
  );
  return rows.rows.map((row) => row.id);
}

const ids = (events: readonly ReceivedEvent[]) => events.map((event) => event.id as string);
const tagIdsOf = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => `${prefix}${String(index).padStart(3, '0')}`);

describe('uet-tag serve --db postgresql://…: GET /changes', () => {
  it('D5 D7 every change of the cluster once, in the change log order, each with its shard and per-tag sequence; resumed by Last-Event-ID on a restarted front node with nothing lost or repeated, then live', async () => {
    const first = await front();
    const watching = await sse(`${first.url}/changes`);
    const early = tagIdsOf('sse-a-', 24);
    await activate(first.url, early);
    const seen = await watching.waitFor(early.length, 30_000);
    expect(seen.every((event) => event.event === 'change')).toBe(true);
    const records = seen.map((event) => JSON.parse(event.data) as Record<string, unknown>);
    expect(records.map((record) => record.tagId).sort()).toEqual(early);
    for (const record of records) {
      expect(record).toMatchObject({
        kind: 'tag',
        from: 'Unverified',
        to: 'Active',
        shard: shardOf(record.tagId as string, SHARDS),
        tagSeq: 1,
      });
    }
    expect(new Set(records.map((record) => record.shard)).size).toBe(SHARDS);
    watching.close();

    // Missed while no client listens (tags with a goal that records a conversion: several
    // changes per tag), then across a restart of the node.
    const missedTags = tagIdsOf('sse-b-', 24);
    const at = Date.now();
    const withGoals = await fetch(`${first.url}/inputs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: missedTags
        .flatMap((tagId) => [
          { kind: 'registerTag', tagId, goals: [{ goalId: 'signup', goalType: 'Url' }] },
          { kind: 'activity', tagId, at },
          { kind: 'conversion', tagId, goalId: 'signup', at },
        ])
        .map((input) => JSON.stringify(input))
        .join('\n'),
    });
    expect(withGoals.status).toBe(200);
    await caughtUp(pool, 30_000);
    await first.close();
    fronts.delete(first);
    const second = await front();
    const resumed = await sse(`${second.url}/changes`, {
      'last-event-id': String(seen.at(-1)?.id),
    });
    const logged = await loggedIds();
    expect(logged.length).toBeGreaterThan(early.length + missedTags.length);
    expect(ids(seen)).toEqual(logged.slice(0, seen.length));
    const missed = await resumed.waitFor(logged.length - seen.length, 30_000);
    expect(ids(missed)).toEqual(logged.slice(seen.length));

    // Live again on the new node.
    const late = tagIdsOf('sse-c-', 12);
    await activate(second.url, late);
    const all = await resumed.waitFor(logged.length - seen.length + late.length, 30_000);
    await caughtUp(pool, 30_000);
    const everything = await loggedIds();
    expect([...ids(seen), ...ids(all)]).toEqual(everything);
    expect(new Set(everything).size).toBe(everything.length);
    const tagSeqs = new Map<string, number[]>();
    for (const event of [...seen, ...all]) {
      const { tagId, tagSeq } = JSON.parse(event.data) as { tagId: string; tagSeq: number };
      tagSeqs.set(tagId, [...(tagSeqs.get(tagId) ?? []), tagSeq]);
    }
    for (const [tagId, seqs] of tagSeqs) {
      expect(seqs, tagId).toEqual(seqs.map((_, index) => index + 1));
    }

    // ?after= from another node, and a bad resume point.
    const fromQuery = await sse(`${second.url}/changes?after=${everything[0]}`);
    expect(ids(await fromQuery.waitFor(everything.length - 1, 30_000))).toEqual(
      everything.slice(1),
    );
    const bad = await fetch(`${second.url}/changes`, { headers: { 'last-event-id': '41' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'invalidField', field: 'last-event-id', value: '"41"' },
    });
  }, 120_000);

  it('D5 a change committed after a newer transaction committed its own is still streamed, before it: the stream holds back changes until every older transaction has ended', async () => {
    const node = await front();
    const watching = await sse(`${node.url}/changes`);
    const older = new pg.Client({ connectionString: DATABASE_URL });
    const newer = new pg.Client({ connectionString: DATABASE_URL });
    await Promise.all([older.connect(), newer.connect()]);
    try {
      const insert = (shard: number, tagId: string) =>
        `INSERT INTO "${schema}".change_log
           (shard, seq, tag_id, tag_seq, from_status, to_status, effective_at, noticed_at, writer_token)
         VALUES (${shard}, 1, '${tagId}', 1, 'Unverified', 'Active', 1000, 1000, 0)`;
      await older.query('BEGIN');
      await older.query(insert(100, 'race-older'));
      await newer.query('BEGIN');
      await newer.query(insert(101, 'race-newer'));
      await newer.query(`SELECT pg_notify('${CHANGES_CHANNEL}', '101:1')`);
      await newer.query('COMMIT');
      const visible = await pool.query(`SELECT tag_id FROM change_log WHERE shard = 101`);
      expect(visible.rows).toEqual([{ tag_id: 'race-newer' }]);
      expect(
        (await readSettledChanges(pool, undefined, undefined, 10_000)).filter(
          (change) => change.position.shard >= 100,
        ),
      ).toEqual([]);
      // Several of the node's reads pass while the older transaction is open.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(watching.events).toEqual([]);
      await older.query('COMMIT');
      const [olderEvent, newerEvent] = await watching.waitFor(2, 10_000);
      expect(JSON.parse(olderEvent?.data ?? '{}').tagId).toBe('race-older');
      expect(JSON.parse(newerEvent?.data ?? '{}').tagId).toBe('race-newer');
    } finally {
      await older.query('ROLLBACK').catch(() => {});
      await Promise.all([older.end(), newer.end()]);
      await pool.query('DELETE FROM change_log WHERE shard >= 100');
    }
  }, 60_000);

  it('a resume point no longer in the change log is told by a gap event first', async () => {
    const node = await front();
    const client = await sse(`${node.url}/changes`, { 'last-event-id': '1.0.999999' });
    const [gap] = await client.waitFor(1, 10_000);
    expect(gap).toEqual({ event: 'gap', data: JSON.stringify({ after: '1.0.999999' }) });
  });
});
