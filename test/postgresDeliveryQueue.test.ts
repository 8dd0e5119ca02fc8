import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCluster } from '../packages/uet-tag/src/postgres/cluster.js';
import { createClusterPool } from '../packages/uet-tag/src/postgres/clusterPool.js';
import { SyncPostgres } from '../packages/uet-tag/src/postgres/SyncPostgres.js';
import { warningStatements } from '../packages/uet-tag/src/postgres/warningLog.js';
import { PostgresDeliveryQueue } from '../packages/uet-tag/src/service/webhooks/PostgresDeliveryQueue.js';
import {
  type WebhookTarget,
  webhookTargetId,
} from '../packages/uet-tag/src/service/webhooks/webhookTargets.js';
import { DATABASE_URL, testSchema } from './support/postgres.js';

/**
 * The cluster's webhook outbox on the real PostgreSQL, driven by two queues as two front
 * nodes would: fed once per change and target however they race, and a delivery held by
 * one node at a time, taken again once its claim lapsed.
 */
const SHARDS = 3;
/** More than one page (500) of a shard's log, so a catch-up takes several transactions. */
const CHANGES_PER_SHARD = 620;
const TARGET = {
  url: 'http://127.0.0.1:9/hook',
  tags: 'shop-*',
  secret: 's',
  from: 'start',
} as const;

const { schema, drop } = testSchema('hookqueue');
const pool = createClusterPool(DATABASE_URL, schema);
const sql = new SyncPostgres({ connectionString: DATABASE_URL, schema });

beforeAll(() => {
  prepareCluster({ connectionString: DATABASE_URL, schema }, SHARDS);
});
afterAll(async () => {
  await pool.end();
  sql.close();
  drop();
});

/** Logs changes `from`..`to` (per shard seqs) of tags `shop-<n>` and `blog-<n>` alternately. */
function logChanges(from: number, to: number): void {
  for (let shard = 0; shard < SHARDS; shard++) {
    sql.run(
      [
        {
          text: `INSERT INTO change_log
                 SELECT $1::integer, s,
                        CASE WHEN s % 2 = 0 THEN 'shop-' ELSE 'blog-' END || $1::integer || '-' || s,
                        1, NULL, 'Unverified', 'Active', s * 1000, s * 1000, 1
                 FROM generate_series($2::bigint, $3::bigint) AS s`,
          values: [shard, from, to],
        },
      ],
      'write',
    );
  }
}

function queue(
  node: string,
  claimMs = 60_000,
  target: WebhookTarget = TARGET,
): PostgresDeliveryQueue {
  return new PostgresDeliveryQueue({ pool, targets: [target], node, claimMs });
}

async function outboxKeys(): Promise<string[]> {
  const rows = await pool.query<{ key: string }>('SELECT key FROM webhook_outbox ORDER BY id');
  return rows.rows.map((row) => row.key);
}

/** The keys of the changes of shop tags with seqs `from`..`to` in every shard. */
function shopKeys(from: number, to: number): string[] {
  const keys: string[] = [];
  for (let shard = 0; shard < SHARDS; shard++) {
    for (let seq = from; seq <= to; seq++) if (seq % 2 === 0) keys.push(`${shard}:${seq}`);
  }
  return keys.sort();
}

describe('PostgresDeliveryQueue: the cluster webhook outbox', () => {
  it('two nodes catching up at once add each matching change once per target, and never again once delivered', async () => {
    logChanges(1, CHANGES_PER_SHARD);
    const one = queue('one');
    const other = queue('other');
    await Promise.all([one.catchUp(), other.catchUp(), one.catchUp(), other.catchUp()]);
    expect((await outboxKeys()).sort()).toEqual(shopKeys(1, CHANGES_PER_SHARD));
    const [first] = await one.take(Date.now(), 1);
    expect(JSON.parse(first?.body ?? '{}')).toMatchObject({
      kind: 'tag',
      tagId: 'shop-0-2',
      from: 'Unverified',
      to: 'Active',
      seq: 2,
      shard: 0,
      tagSeq: 1,
      effectiveTime: '1970-01-01T00:00:02.000Z',
    });
    // Everything delivered: catching up again adds nothing, the new changes only.
    for (;;) {
      const taken = await other.take(Date.now(), 500);
      if (taken.length === 0) break;
      await Promise.all(taken.map((delivery) => other.delivered(delivery)));
    }
    if (first !== undefined) await one.delivered(first);
    expect(await outboxKeys()).toEqual([]);
    logChanges(CHANGES_PER_SHARD + 1, CHANGES_PER_SHARD + 4);
    await Promise.all([other.catchUp(), one.catchUp()]);
    expect((await outboxKeys()).sort()).toEqual(
      shopKeys(CHANGES_PER_SHARD + 1, CHANGES_PER_SHARD + 4),
    );
    const cursors = await pool.query<{ log: string; seq: string }>(
      'SELECT log, seq FROM webhook_cursors WHERE target = $1 ORDER BY log, shard',
      [webhookTargetId(TARGET)],
    );
    expect(cursors.rows.map((row) => [row.log, Number(row.seq)])).toEqual([
      ...Array.from({ length: SHARDS }, () => ['changes', CHANGES_PER_SHARD + 4]),
      ...Array.from({ length: SHARDS }, () => ['warnings', 0]),
    ]);
  });

  it("a target seen for the first time starts at each shard's head unless from: 'start'", async () => {
    await pool.query('DELETE FROM webhook_outbox');
    const late = { url: 'http://127.0.0.1:9/late', tags: '*', secret: 's' };
    await queue('one', 60_000, late).catchUp();
    expect(await outboxKeys()).toEqual([]);
    logChanges(CHANGES_PER_SHARD + 5, CHANGES_PER_SHARD + 5);
    await queue('other', 60_000, late).catchUp();
    expect((await outboxKeys()).sort()).toEqual(
      Array.from({ length: SHARDS }, (_, shard) => `${shard}:${CHANGES_PER_SHARD + 5}`),
    );
  });

  it('a delivery is held by one node at a time; once its claim lapsed another takes it, and the first one’s late outcome is not recorded', async () => {
    await pool.query('DELETE FROM webhook_outbox');
    const quick = queue('quick', 0);
    const other = queue('other');
    await quick.enqueue(webhookTargetId(TARGET), [
      { key: 'a', body: '{}' },
      { key: 'b', body: '{}' },
    ]);
    const [held] = await other.take(Date.now(), 1);
    expect(held?.key).toBe('a');
    // 'a' is other's for a minute: quick gets 'b' only, with a claim that lapses at once.
    const [lapsing] = await quick.take(Date.now(), 2);
    expect(lapsing?.key).toBe('b');
    const [retaken] = await other.take(Date.now(), 2);
    expect(retaken?.key).toBe('b');
    if (lapsing === undefined || retaken === undefined || held === undefined) return;
    await quick.retry(lapsing, 1, Date.now() + 60_000, 'HTTP 500');
    const row = await pool.query<{ attempts: number; claimed_by: string }>(
      `SELECT attempts, claimed_by FROM webhook_outbox WHERE key = 'b'`,
    );
    expect(row.rows).toEqual([{ attempts: 0, claimed_by: 'other' }]);
    await other.kill(retaken, 3, 'HTTP 500');
    await other.retry(held, 1, 0, 'timed out after 5000 ms');
    const rows = await pool.query<{ key: string; state: string; attempts: number }>(
      'SELECT key, state, attempts FROM webhook_outbox ORDER BY key',
    );
    expect(rows.rows).toEqual([
      { key: 'a', state: 'pending', attempts: 1 },
      { key: 'b', state: 'dead', attempts: 3 },
    ]);
    // A retried delivery is free again: due now, any node takes it.
    expect((await quick.take(Date.now(), 5)).map((delivery) => delivery.key)).toEqual(['a']);
  });

  it("warnings logged by a shard's owner reach the outbox once per key, however many owners logged them", async () => {
    await pool.query('DELETE FROM webhook_outbox');
    const warning = (tagId: string, at: number) => ({
      tagId,
      key: `warning:${tagId}:${at}`,
      body: JSON.stringify({ kind: 'warning', tagId, key: `warning:${tagId}:${at}` }),
    });
    sql.run(warningStatements(1, [warning('shop-9', 5), warning('blog-9', 5)]), 'write');
    // A later owner of the shard warns of the same deadline again, and of a new one.
    sql.run(warningStatements(1, [warning('shop-9', 5), warning('shop-9', 7)]), 'write');
    const one = queue('one');
    await Promise.all([one.catchUp(), queue('other').catchUp()]);
    expect((await outboxKeys()).sort()).toEqual(['warning:shop-9:5', 'warning:shop-9:7']);
    const logged = await pool.query<{ seq: string; key: string }>(
      'SELECT seq, key FROM warning_log WHERE shard = 1 ORDER BY seq',
    );
    expect(logged.rows.map((row) => [Number(row.seq), row.key])).toEqual([
      [1, 'warning:shop-9:5'],
      [2, 'warning:blog-9:5'],
      [4, 'warning:shop-9:7'],
    ]);
  });
  // Last: it trims shard 1's log, behind the cursors of the targets above too.
  it("a target whose cursor fell behind a shard's kept change log is sent a gap record first; a new target from: 'start' is not", async () => {
    await pool.query('DELETE FROM webhook_outbox');
    const head = CHANGES_PER_SHARD + 5;
    const behind = { url: 'http://127.0.0.1:9/behind', tags: '*', secret: 's' };
    await queue('one', 60_000, behind).catchUp();
    logChanges(head + 1, head + 4);
    // Shard 1 trims its log before the target catches up: it keeps only head + 3 and head + 4.
    await pool.query('DELETE FROM change_log WHERE shard = 1 AND seq <= $1', [head + 2]);
    await queue('other', 60_000, behind).catchUp();
    const rows = await pool.query<{ key: string; body: string }>(
      'SELECT key, body FROM webhook_outbox ORDER BY id',
    );
    const shardOne = rows.rows.filter((row) => /^(gap:)?1:/.test(row.key));
    expect(shardOne.map((row) => row.key)).toEqual([
      `gap:1:${head}`,
      `1:${head + 3}`,
      `1:${head + 4}`,
    ]);
    expect(JSON.parse(shardOne[0]?.body ?? '{}')).toEqual({
      kind: 'gap',
      shard: 1,
      afterSeq: head,
      firstKeptSeq: head + 3,
    });
    expect(rows.rows.filter((row) => row.key.startsWith('gap:'))).toHaveLength(1);
    expect(rows.rows).toHaveLength(4 + 3 + 4);
    await pool.query('DELETE FROM webhook_outbox');
    const fresh = {
      url: 'http://127.0.0.1:9/fresh',
      tags: 'blog-1-*',
      secret: 's',
      from: 'start' as const,
    };
    await queue('one', 60_000, fresh).catchUp();
    expect(await outboxKeys()).toEqual([`1:${head + 4}`]);
  });
});
