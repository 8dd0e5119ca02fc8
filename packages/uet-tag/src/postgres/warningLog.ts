import type pg from 'pg';
import type { SqlStatement } from './SyncPostgres.js';

/** How many early warnings each shard's warning log keeps. */
export const WARNING_LOG_LIMIT = 10_000;

/** An early warning (`--warn-before`) of the cluster's warning log, as its shard's owner wrote it. */
export interface WarningLogEntry {
  readonly shard: number;
  /** Increasing within the shard. */
  readonly seq: number;
  readonly tagId: string;
  /** The warning's idempotency key: one warning per tag and deadline, in the whole cluster. */
  readonly key: string;
  /** The warning record's JSON. */
  readonly body: string;
}

/** A warning to log: its tag, key and record's JSON. */
export interface NewWarning {
  readonly tagId: string;
  readonly key: string;
  readonly body: string;
}

/**
 * The statements that add warnings to a shard's warning log after the shard's fence (run
 * them in the owner's fenced transaction, which orders writers of a shard): each key once
 * (a warning logged already, by this owner or an earlier one, is left out), numbered after
 * the shard's last, and only the latest {@link WARNING_LOG_LIMIT} kept.
 *
 * @example
 * ```ts
 * sql.run([fence, ...warningStatements(3, [{ tagId, key, body }])], 'write');
 * ```
 */
export function warningStatements(shard: number, warnings: readonly NewWarning[]): SqlStatement[] {
  return [
    {
      text: `INSERT INTO warning_log (shard, seq, key, tag_id, body)
             SELECT $1, COALESCE((SELECT max(seq) FROM warning_log WHERE shard = $1), 0) + u.n,
                    u.key, u.tag_id, u.body
             FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(key, tag_id, body, n)
             ON CONFLICT (key) DO NOTHING`,
      values: [
        shard,
        warnings.map((warning) => warning.key),
        warnings.map((warning) => warning.tagId),
        warnings.map((warning) => warning.body),
      ],
    },
    {
      text: `DELETE FROM warning_log
             WHERE shard = $1 AND seq <= (SELECT max(seq) FROM warning_log WHERE shard = $1) - $2`,
      values: [shard, WARNING_LOG_LIMIT],
    },
  ];
}

/**
 * The warnings of the shards of `cursors` after them (the last `seq` read per shard),
 * oldest first within each shard, at most `limit` per shard.
 *
 * @example
 * ```ts
 * const warnings = await readWarningLog(pool, new Map([[0, 0]]), 100);
 * ```
 */
export async function readWarningLog(
  db: pg.Pool | pg.PoolClient,
  cursors: ReadonlyMap<number, number>,
  limit: number,
): Promise<WarningLogEntry[]> {
  const result = await db.query<{
    shard: number;
    seq: string;
    tag_id: string;
    key: string;
    body: string;
  }>(
    `SELECT w.shard, w.seq, w.tag_id, w.key, w.body
     FROM unnest($1::integer[], $2::bigint[]) AS k(shard, seq)
     CROSS JOIN LATERAL (
       SELECT * FROM warning_log AS w WHERE w.shard = k.shard AND w.seq > k.seq
       ORDER BY w.seq LIMIT $3) AS w
     ORDER BY w.shard, w.seq`,
    [[...cursors.keys()], [...cursors.values()], limit],
  );
  return result.rows.map((row) => ({
    shard: row.shard,
    seq: Number(row.seq),
    tagId: row.tag_id,
    key: row.key,
    body: row.body,
  }));
}
