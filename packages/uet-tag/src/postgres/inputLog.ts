import type pg from 'pg';
import { hitOf, type MonitorInput, MonitorStoreError } from 'uet-tag-status';
import { shardOf } from './shardOf.js';

/** The channel `NOTIFY` wakes shard owners on when inputs were appended; the payload lists the shards. */
export const INPUTS_CHANNEL = 'uet_inputs';

/** What {@link appendInputs} made durable. */
export interface AppendResult {
  /** How many inputs were appended. */
  readonly appended: number;
  /** The last position given in each shard the inputs went to. */
  readonly lastPositions: ReadonlyMap<number, number>;
}

/** One input of the log with its position in its shard. */
export interface LoggedInput {
  readonly pos: number;
  readonly record: MonitorInput;
}

const shardCounts = new WeakMap<pg.Pool, Promise<number>>();

/**
 * The cluster's shard count, read once per pool.
 * @throws {@link MonitorStoreError} `io` when the schema has no shard count (no worker prepared it).
 */
export function clusterShardCount(pool: pg.Pool): Promise<number> {
  let count = shardCounts.get(pool);
  if (count === undefined) {
    count = pool.query(`SELECT value FROM uet_meta WHERE key = 'shard_count'`).then((result) => {
      const value = Number(result.rows[0]?.value);
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new Error('the schema has no shard count: start a worker with --shards <n> first');
      }
      return value;
    });
    count.catch(() => shardCounts.delete(pool));
    shardCounts.set(pool, count);
  }
  return count;
}

/**
 * Appends input records to the durable input log, in one transaction, and resolves once it
 * committed: only then may the inputs be acknowledged. Each record goes to its tag's shard
 * ({@link shardOf}) at the shard's next positions, in the order given; appenders in other
 * processes are ordered by commit (the shards' heads are locked in shard order, so they
 * never deadlock). Shard owners are woken with `NOTIFY`. The pool's connections must work
 * in the cluster's schema (see `createClusterPool`).
 *
 * @example
 * ```ts
 * await appendInputs(pool, [{ kind: 'activity', tagId: 'tag-1', at: Date.now() }]);
 * ```
 * @throws `TrackingInputError` `invalidHit` for a hit whose tag cannot be read (nothing
 * appended); the driver's error when the transaction fails (nothing of it was appended).
 */
export async function appendInputs(
  pool: pg.Pool,
  records: readonly MonitorInput[],
): Promise<AppendResult> {
  if (records.length === 0) return { appended: 0, lastPositions: new Map() };
  const shardCount = await clusterShardCount(pool);
  const shards = records.map((record, index) => shardOf(tagIdOf(record, index), shardCount));
  const distinct = [...new Set(shards)].sort((a, b) => a - b);
  const client = await pool.connect();
  // A connection cut between statements is reported by the statement that follows.
  const ignore = () => {};
  client.on('error', ignore);
  let released = false;
  try {
    await client.query('BEGIN');
    await client.query(
      'SELECT shard FROM input_heads WHERE shard = ANY($1) ORDER BY shard FOR UPDATE',
      [distinct],
    );
    const heads = await client.query<{ shard: number; last_pos: string }>(
      `WITH counts AS (SELECT s AS shard, count(*) AS n FROM unnest($1::integer[]) AS s GROUP BY s),
            moved AS (UPDATE input_heads AS h SET last_pos = h.last_pos + c.n FROM counts AS c
                      WHERE h.shard = c.shard RETURNING h.shard, h.last_pos - c.n AS base),
            numbered AS (SELECT shard, record,
                                row_number() OVER (PARTITION BY shard ORDER BY ordinal) AS k
                         FROM unnest($1::integer[], $2::jsonb[]) WITH ORDINALITY AS u(shard, record, ordinal)),
            written AS (INSERT INTO input_log (shard, pos, record)
                        SELECT n.shard, m.base + n.k, n.record FROM numbered AS n JOIN moved AS m USING (shard)
                        RETURNING shard, pos)
       SELECT shard, max(pos) AS last_pos FROM written GROUP BY shard`,
      [shards, records.map((record) => JSON.stringify(record))],
    );
    await client.query('SELECT pg_notify($1, $2)', [INPUTS_CHANNEL, distinct.join(',')]);
    await client.query('COMMIT');
    const lastPositions = new Map(heads.rows.map((row) => [row.shard, Number(row.last_pos)]));
    const appended = records.length;
    return { appended, lastPositions };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      client.release(true);
      released = true;
    });
    throw error;
  } finally {
    client.off('error', ignore);
    if (!released) client.release();
  }
}

/**
 * The tag an input is about: its `tagId`, or for a hit the tag it was sent to (`ti`).
 * @throws {@link TrackingInputError} `invalidHit` for a hit that cannot be read, naming its index.
 */
function tagIdOf(record: MonitorInput, index: number): string {
  return record.kind === 'hit' ? hitOf(`records[${index}].hit`, record.hit).tagId : record.tagId;
}

/**
 * The inputs of `shard` after position `afterPos`, in order, at most `limit`.
 *
 * @example
 * ```ts
 * const next = await readInputs(pool, 3, checkpoint, 1_000);
 * ```
 */
export async function readInputs(
  pool: pg.Pool,
  shard: number,
  afterPos: number,
  limit: number,
): Promise<LoggedInput[]> {
  const result = await pool.query<{ pos: string; record: MonitorInput }>(
    'SELECT pos, record FROM input_log WHERE shard = $1 AND pos > $2 ORDER BY pos LIMIT $3',
    [shard, afterPos, limit],
  );
  return result.rows.map((row) => ({ pos: Number(row.pos), record: row.record }));
}
