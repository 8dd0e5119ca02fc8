import type pg from 'pg';

/** A change of the cluster's change log, with where it is in its shard and its tag. */
export interface FeedChange {
  readonly shard: number;
  /** Gapless within the shard. */
  readonly seq: number;
  readonly tagId: string;
  /** Gapless within the tag: what a receiver deduplicates by, with `tagId`. */
  readonly tagSeq: number;
  /** The goal's id for a goal's change; `undefined` for the tag's own. */
  readonly goalId: string | undefined;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
  readonly noticedAt: number;
}

/** A row of `change_log` as the readers of the change log select it. */
export interface ChangeLogRow {
  readonly shard: number;
  readonly seq: string;
  readonly tag_id: string;
  readonly tag_seq: string;
  readonly goal_id: string | null;
  readonly from_status: string;
  readonly to_status: string;
  readonly effective_at: number;
  readonly noticed_at: number;
}

/**
 * The committed changes of every shard (or only of `shards`) after the reader's cursors
 * (the last `seq` it has per shard; a shard left out is read from its start), oldest
 * first within each shard, at most `limit` per shard. Readers wait for `NOTIFY uet_changes` (payload `shard:lastSeq`)
 * between calls. Delivery built on it is at least once: deduplicate by `(tagId, tagSeq)`.
 *
 * @example
 * ```ts
 * const cursors = new Map<number, number>();
 * for (const change of await readChangeFeed(pool, cursors)) {
 *   deliver(change);
 *   cursors.set(change.shard, change.seq);
 * }
 * ```
 */
export async function readChangeFeed(
  db: pg.Pool | pg.PoolClient,
  cursors: ReadonlyMap<number, number>,
  limit = 1_000,
  shards?: readonly number[],
): Promise<FeedChange[]> {
  const result = await db.query<ChangeLogRow>(
    `SELECT c.shard, c.seq, c.tag_id, c.tag_seq, c.goal_id, c.from_status, c.to_status,
            c.effective_at, c.noticed_at
     FROM leases AS l
     CROSS JOIN LATERAL (
       SELECT * FROM change_log AS c
       WHERE c.shard = l.shard
         AND c.seq > COALESCE((SELECT o.seq FROM unnest($1::integer[], $2::bigint[]) AS o(shard, seq)
                               WHERE o.shard = l.shard), 0)
       ORDER BY c.seq LIMIT $3) AS c
     WHERE $4::integer[] IS NULL OR l.shard = ANY($4)
     ORDER BY c.shard, c.seq`,
    [[...cursors.keys()], [...cursors.values()], limit, shards === undefined ? null : [...shards]],
  );
  return result.rows.map((row) => ({
    shard: row.shard,
    seq: Number(row.seq),
    tagId: row.tag_id,
    tagSeq: Number(row.tag_seq),
    goalId: row.goal_id ?? undefined,
    from: row.from_status,
    to: row.to_status,
    effectiveAt: row.effective_at,
    noticedAt: row.noticed_at,
  }));
}
