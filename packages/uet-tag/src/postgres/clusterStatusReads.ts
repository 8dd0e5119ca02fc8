import type pg from 'pg';
import {
  type ConversionGoalTrackingStatus,
  type ConversionGoalType,
  isConversionGoalTrackingStatus,
  isConversionGoalType,
  isUetTagTrackingStatus,
  MonitorStoreError,
  type TagStatusReport,
  type UetTagTrackingStatus,
} from 'uet-tag-status';
import { reportOf } from './clusterQueries.js';
import { clusterShardCount } from './inputLog.js';
import { shardOf } from './shardOf.js';
import { tagsFromRows } from './snapshotRows.js';

const DESCRIPTION = 'PostgreSQL cluster';

/**
 * Every tag of the cluster with its status, ordered by shard and registration; read in one
 * statement.
 *
 * @example
 * ```ts
 * await listClusterTagStatuses(pool); // [{ tagId: '26000001', status: 'Active' }, ...]
 * ```
 * @throws {@link MonitorStoreError} `corrupt` for a status this library could not have written.
 */
export async function listClusterTagStatuses(
  pool: pg.Pool,
): Promise<{ tagId: string; status: UetTagTrackingStatus }[]> {
  const found = await pool.query<{ tag_id: string; status: string }>(
    'SELECT tag_id, status FROM tags ORDER BY shard, no',
  );
  return found.rows.map((row) => ({
    tagId: row.tag_id,
    status: checked(row.status, isUetTagTrackingStatus, 'tags.status', row.tag_id),
  }));
}

/**
 * Every tag of the cluster that has received data, with its status, last data and its
 * shard's activity window: what its next deadline is computed from; read in one statement.
 *
 * @example
 * ```ts
 * await listClusterLastData(pool); // [{ report: { tagId: '26000001', status: 'Active', ... }, activityWindowMs: 3600000 }]
 * ```
 * @throws {@link MonitorStoreError} `corrupt` for a status this library could not have written.
 */
export async function listClusterLastData(
  pool: pg.Pool,
): Promise<{ report: TagStatusReport; activityWindowMs: number }[]> {
  const found = await pool.query<{
    tag_id: string;
    status: string;
    changed_at: number | null;
    last_data_at: number;
    tag_available: boolean;
    activity_window_ms: number;
  }>(
    `SELECT t.tag_id, t.status, t.changed_at, t.last_data_at, t.tag_available, s.activity_window_ms
     FROM tags AS t JOIN shard_state AS s USING (shard)
     WHERE t.last_data_at IS NOT NULL ORDER BY t.shard, t.no`,
  );
  return found.rows.map((row) => ({
    report: {
      tagId: row.tag_id,
      status: checked(row.status, isUetTagTrackingStatus, 'tags.status', row.tag_id),
      since: row.changed_at ?? undefined,
      lastDataAt: row.last_data_at,
      tagAvailable: row.tag_available,
      goals: [],
    },
    activityWindowMs: row.activity_window_ms,
  }));
}

/**
 * The cluster's tags of these ids, each with its goals, as their shards' owners last
 * committed them, read in one snapshot; ids no worker has registered are left out.
 *
 * @example
 * ```ts
 * const [report] = await readClusterTagReports(pool, ['26000001']);
 * ```
 * @throws {@link MonitorStoreError} `corrupt` for a row this library could not have written.
 */
export async function readClusterTagReports(
  pool: pg.Pool,
  tagIds: readonly string[],
): Promise<TagStatusReport[]> {
  const shardCount = await clusterShardCount(pool);
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tags = await client.query({
      text: `SELECT no, tag_id, status, changed_at, first_data_at, last_data_at, tag_available, shard
             FROM tags WHERE (shard, tag_id) IN (SELECT * FROM unnest($1::integer[], $2::text[]))
             ORDER BY shard, no`,
      values: [tagIds.map((tagId) => shardOf(tagId, shardCount)), tagIds],
      rowMode: 'array',
    });
    const rows = tags.rows as unknown[][];
    const goals = await client.query({
      text: `SELECT g.no, g.goal_id, g.goal_type, g.status, g.changed_at, g.last_conversion_at,
                    g.decided_at, g.definition, g.shard
             FROM goals AS g
             WHERE (g.shard, g.no) IN (SELECT * FROM unnest($1::integer[], $2::integer[]))
             ORDER BY g.shard, g.no, g.position`,
      values: [rows.map((row) => row[7]), rows.map((row) => row[0])],
      rowMode: 'array',
    });
    const reports: TagStatusReport[] = [];
    for (const shard of new Set(rows.map((row) => row[7] as number))) {
      const ofShard = (table: unknown[][], column: number) =>
        table.filter((row) => row[column] === shard).map((row) => row.slice(0, column));
      const stored = tagsFromRows(
        ofShard(rows, 7),
        ofShard(goals.rows as unknown[][], 8),
        `PostgreSQL shard ${shard}`,
      );
      for (const tag of stored) reports.push(reportOf(tag));
    }
    return reports;
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}

/** A goal of the cluster, with its tag's id. */
export interface ClusterGoalStatus {
  readonly tagId: string;
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
  readonly status: ConversionGoalTrackingStatus;
}

/**
 * The cluster's goals of these ids (every goal when `goalIds` is null), with their tags' ids, ordered by shard, tag and
 * position (a goal id attached to several tags is found once per tag); read in one
 * statement, over every goal (goal ids are not sharded).
 *
 * @example
 * ```ts
 * await findClusterGoals(pool, ['46000001']); // [{ tagId: '26000001', goalId: '46000001', ... }]
 * ```
 * @throws {@link MonitorStoreError} `corrupt` for a row this library could not have written.
 */
export async function findClusterGoals(
  pool: pg.Pool,
  goalIds: readonly string[] | null,
): Promise<ClusterGoalStatus[]> {
  const found = await pool.query<{
    tag_id: string;
    goal_id: string;
    goal_type: string;
    status: string;
  }>(
    `SELECT t.tag_id, g.goal_id, g.goal_type, g.status
     FROM goals AS g JOIN tags AS t USING (shard, no)
     WHERE $1::text[] IS NULL OR g.goal_id = ANY($1::text[])
     ORDER BY g.shard, g.no, g.position`,
    [goalIds],
  );
  return found.rows.map((row) => ({
    tagId: row.tag_id,
    goalId: row.goal_id,
    goalType: checked(row.goal_type, isConversionGoalType, 'goals.goal_type', row.goal_id),
    status: checked(row.status, isConversionGoalTrackingStatus, 'goals.status', row.goal_id),
  }));
}

function checked<T extends string>(
  value: string,
  check: (text: string) => text is T,
  column: string,
  id: string,
): T {
  if (check(value)) return value;
  throw new MonitorStoreError(
    'corrupt',
    DESCRIPTION,
    `${column} of ${JSON.stringify(id)} is ${JSON.stringify(value)}, not a value this library writes`,
  );
}
