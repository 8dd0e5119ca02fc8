import type pg from 'pg';
import type { MonitorStatusChange, TagStatusReport, TrackingWindows } from 'uet-tag-status';
import { changeRecordOf } from 'uet-tag-status/engine';
import { reportOf } from './clusterQueries.js';
import { clusterShardCount } from './inputLog.js';
import { shardOf } from './shardOf.js';
import { changesFromRows, tagsFromRows } from './snapshotRows.js';

/** A tag as its shard's owner last committed it. */
export interface ClusterTagStatus {
  readonly report: TagStatusReport;
  /** The shard's windows (every worker of a cluster runs the same ones). */
  readonly windows: TrackingWindows;
  /** The tag's kept status changes, oldest first, numbered by its shard's history. */
  readonly history: MonitorStatusChange[];
}

/**
 * Reads a tag's status, its goals' and its kept history from the cluster's tables, as its
 * shard's owner last committed them (in one snapshot); `undefined` when no worker has
 * registered the tag yet. Inputs still in the input log are not reflected.
 *
 * @example
 * ```ts
 * const found = await readClusterTag(pool, '26000001');
 * found?.report.status; // 'Active'
 * ```
 * @throws {@link MonitorStoreError} `corrupt` for a row this library could not have written.
 */
export async function readClusterTag(
  pool: pg.Pool,
  tagId: string,
): Promise<ClusterTagStatus | undefined> {
  const shard = shardOf(tagId, await clusterShardCount(pool));
  const description = `PostgreSQL shard ${shard}`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const array = (text: string, values: unknown[]) =>
      client.query({ text, values, rowMode: 'array' }).then((result) => result.rows as unknown[][]);
    const tagRows = await array(
      `SELECT no, tag_id, status, changed_at, first_data_at, last_data_at, tag_available
       FROM tags WHERE shard = $1 AND tag_id = $2`,
      [shard, tagId],
    );
    const no = tagRows[0]?.[0];
    if (no === undefined) return undefined;
    const goalRows = await array(
      `SELECT no, goal_id, goal_type, status, changed_at, last_conversion_at, decided_at, definition
       FROM goals WHERE shard = $1 AND no = $2 ORDER BY position`,
      [shard, no],
    );
    const historyRows = await array(
      `SELECT seq::float8, tag_no, goal_id, from_status, to_status, effective_at, noticed_at
       FROM history WHERE shard = $1 AND tag_no = $2 ORDER BY seq`,
      [shard, no],
    );
    const windowRows = await array(
      'SELECT activity_window_ms, conversion_window_ms FROM shard_state WHERE shard = $1',
      [shard],
    );
    const [tag] = tagsFromRows(tagRows, goalRows, description);
    if (tag === undefined) return undefined;
    const [activityWindowMs, conversionWindowMs] = (windowRows[0] ?? []) as number[];
    const report = reportOf(tag);
    const history = changesFromRows(historyRows, description).map((entry) =>
      changeRecordOf(tagId, entry),
    );
    return {
      report,
      windows: {
        activityWindowMs: activityWindowMs ?? 0,
        conversionWindowMs: conversionWindowMs ?? 0,
      },
      history,
    };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}
