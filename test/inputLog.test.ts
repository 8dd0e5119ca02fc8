import { afterAll, describe, expect, it } from 'vitest';
import {
  appendInputs,
  ClusterWorker,
  createClusterPool,
  prepareCluster,
  readChangeFeed,
  shardOf,
} from '../packages/uet-tag/src/postgres/index.js';
import type { MonitorInput } from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import { DATABASE_URL, testSchema } from './support/postgres.js';

const { schema, drop } = testSchema('inputlog');
const SHARDS = 4;
prepareCluster({ connectionString: DATABASE_URL, schema }, SHARDS);
const pool = createClusterPool(DATABASE_URL, schema);
afterAll(async () => {
  await pool.end();
  drop();
});

describe('the input log and the change feed on PostgreSQL', () => {
  it('places a tag by FNV-1a of its id, the same everywhere, spreading ids evenly', () => {
    // FNV-1a's published 32-bit test vectors (modulo 2^32 is the hash itself), and UTF-8 bytes.
    expect(shardOf('', 2 ** 32)).toBe(0x81_1c_9d_c5);
    expect(shardOf('a', 2 ** 32)).toBe(0xe4_0c_29_2c);
    expect(shardOf('foobar', 2 ** 32)).toBe(0xbf_9c_f9_68);
    expect(shardOf('é', 2 ** 32)).not.toBe(shardOf('\u00e9'.normalize('NFD'), 2 ** 32));
    const counts = new Array<number>(16).fill(0);
    for (let index = 0; index < 16_000; index++) {
      const shard = shardOf(`tag-${index}`, 16);
      counts[shard] = (counts[shard] as number) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
    for (const count of counts) expect(count).toBeLessThan(1_200);
  });

  it('keeps the shard count it was made with, and refuses another one naming both', () => {
    expect(prepareCluster({ connectionString: DATABASE_URL, schema })).toBe(SHARDS);
    expect(() => prepareCluster({ connectionString: DATABASE_URL, schema }, 8)).toThrowError(
      /has 4 shards, not 8: the count is fixed/,
    );
  });

  it('gives gapless positions per shard to concurrent appenders, each appender’s inputs in its order, durable once it resolves', async () => {
    const appenders = Array.from({ length: 4 }, (_, appender) =>
      (async () => {
        for (let batch = 0; batch < 10; batch++) {
          const inputs: MonitorInput[] = Array.from({ length: 50 }, (_, index) => ({
            kind: 'activity',
            tagId: `order-${index % 20}`,
            at: appender * 1_000_000 + batch * 1_000 + index,
          }));
          const result = await appendInputs(pool, inputs);
          expect(result.appended).toBe(50);
          // Durable and visible to any other connection as soon as it resolved.
          const other = createClusterPool(DATABASE_URL, schema, 1);
          const [shard, last] = [...result.lastPositions][0] as [number, number];
          const seen = await other.query('SELECT 1 FROM input_log WHERE shard = $1 AND pos = $2', [
            shard,
            last,
          ]);
          await other.end();
          expect(seen.rowCount).toBe(1);
        }
      })(),
    );
    await Promise.all(appenders);
    const rows = await pool.query<{ shard: number; pos: string; at: number }>(
      `SELECT shard, pos, (record->>'at')::float8 AS at FROM input_log
       WHERE record->>'tagId' LIKE 'order-%' ORDER BY shard, pos`,
    );
    expect(rows.rows).toHaveLength(2_000);
    const heads = await pool.query<{ shard: number; last_pos: string }>(
      'SELECT * FROM input_heads',
    );
    for (const head of heads.rows) {
      const positions = rows.rows
        .filter((row) => row.shard === head.shard)
        .map((row) => Number(row.pos));
      expect(positions).toEqual(
        Array.from({ length: Number(head.last_pos) }, (_, index) => index + 1),
      );
    }
    // Within a shard, each appender's inputs keep the order it gave them.
    for (let shard = 0; shard < SHARDS; shard++) {
      for (let appender = 0; appender < 4; appender++) {
        const times = rows.rows
          .filter((row) => row.shard === shard && Math.floor(row.at / 1_000_000) === appender)
          .map((row) => row.at);
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
    }
    await pool.query(`DELETE FROM input_log; UPDATE input_heads SET last_pos = 0`);
  });

  it('D7 a worker applies the log in order, the change feed gives each change once, resuming from its cursors, and its metrics show its shards and lag', async () => {
    const events: { kind: string; shard?: number; metrics?: string }[] = [];
    const worker = new ClusterWorker({
      connectionString: DATABASE_URL,
      schema,
      leaseTtlMs: 1_000,
      pollMs: 50,
      metricsPort: 0,
      windows: { activityWindowMs: 60_000 },
      onEvent: (event) => events.push(event),
    });
    await worker.start();
    try {
      const now = Date.now();
      await appendInputs(
        pool,
        Array.from({ length: 30 }, (_, index) => ({ kind: 'registerTag', tagId: `feed-${index}` })),
      );
      await appendInputs(
        pool,
        Array.from({ length: 30 }, (_, index) => ({
          kind: 'activity',
          tagId: `feed-${index}`,
          at: now,
        })),
      );
      const cursors = new Map<number, number>();
      const seen: string[] = [];
      const deadline = Date.now() + 20_000;
      while (seen.length < 30) {
        expect(Date.now()).toBeLessThan(deadline);
        for (const change of await readChangeFeed(pool, cursors, 7)) {
          seen.push(`${change.tagId}#${change.tagSeq}:${change.from}->${change.to}`);
          cursors.set(change.shard, change.seq);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(seen.sort()).toEqual(
        Array.from({ length: 30 }, (_, index) => `feed-${index}#1:Unverified->Active`).sort(),
      );
      expect(await readChangeFeed(pool, cursors)).toEqual([]);
      expect(events.filter((event) => event.kind === 'claimed')).toHaveLength(SHARDS);
      // Its Prometheus metrics: every shard held, nothing left to apply, no takeover.
      const metricsUrl = events.find((event) => event.kind === 'started')?.metrics as string;
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const metrics = await (await fetch(metricsUrl)).text();
      expect(metrics).toMatch(new RegExp(`^uet_worker_shards_owned ${SHARDS}$`, 'm'));
      expect(metrics).toMatch(/^uet_worker_input_lag 0$/m);
      expect(metrics).toMatch(/^uet_worker_takeovers_total 0$/m);
    } finally {
      await worker.stop();
    }
    expect(events.at(-1)?.kind).toBe('stopped');
  });

  it('refuses to append to a schema no worker prepared, saying what to do', async () => {
    const bare = testSchema('bare');
    const other = createClusterPool(DATABASE_URL, bare.schema, 1);
    try {
      await expect(appendInputs(other, [{ kind: 'registerTag', tagId: 'x' }])).rejects.toThrow(
        /uet_meta|shard count/,
      );
    } finally {
      await other.end();
      bare.drop();
    }
  });
});
