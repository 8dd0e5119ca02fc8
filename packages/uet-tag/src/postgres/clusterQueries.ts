import type pg from 'pg';
import type {
  ConversionGoalTrackingStatus,
  GoalStatusReport,
  TagStatusReport,
  TrackingWindows,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import { tagsFromRows } from './snapshotRows.js';

/** Tags and goals per status, over every shard of a cluster. */
export interface ClusterSummary {
  /** The shards' windows; `undefined` before any worker started a shard. */
  readonly windows: TrackingWindows | undefined;
  readonly tags: Readonly<Record<string, number>>;
  readonly goals: Readonly<Record<string, number>>;
}

/**
 * Counts the cluster's tags and goals per status, as their shards' owners last committed
 * them.
 *
 * @example
 * ```ts
 * (await summarizeCluster(pool)).tags.Active; // 1200
 * ```
 */
export async function summarizeCluster(pool: pg.Pool): Promise<ClusterSummary> {
  const [windows, tags, goals] = await Promise.all([
    pool.query<{ a: number; c: number }>(
      'SELECT activity_window_ms AS a, conversion_window_ms AS c FROM shard_state LIMIT 1',
    ),
    pool.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM tags GROUP BY status',
    ),
    pool.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM goals GROUP BY status',
    ),
  ]);
  const counts = (rows: { status: string; n: string }[]) =>
    Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  const row = windows.rows[0];
  return {
    windows: row === undefined ? undefined : { activityWindowMs: row.a, conversionWindowMs: row.c },
    tags: counts(tags.rows),
    goals: counts(goals.rows),
  };
}

/** A filter and a page of {@link listClusterTags}. */
export interface ClusterTagFilter {
  readonly status?: UetTagTrackingStatus;
  /** A substring of the tag id, any case. */
  readonly search?: string;
  readonly limit: number;
  readonly offset: number;
}

/**
 * One page of the cluster's tags matching a filter, ordered by shard and registration, each
 * with its shard's windows, and how many match in all; read in one snapshot.
 *
 * @example
 * ```ts
 * const { total, tags } = await listClusterTags(pool, { status: 'Inactive', limit: 100, offset: 0 });
 * ```
 * @throws {@link MonitorStoreError} `corrupt` for a row this library could not have written.
 */
export async function listClusterTags(
  pool: pg.Pool,
  filter: ClusterTagFilter,
): Promise<{ total: number; tags: { report: TagStatusReport; windows: TrackingWindows }[] }> {
  const pattern =
    filter.search === undefined ? null : `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`;
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const where = `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR tag_id ILIKE $2)`;
    const total = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM tags WHERE ${where}`,
      [filter.status ?? null, pattern],
    );
    const page = await client.query({
      text: `SELECT no, tag_id, status, changed_at, first_data_at, last_data_at, tag_available, shard
             FROM tags WHERE ${where} ORDER BY shard, no LIMIT $3 OFFSET $4`,
      values: [filter.status ?? null, pattern, filter.limit, filter.offset],
      rowMode: 'array',
    });
    const rows = page.rows as unknown[][];
    const tags: { report: TagStatusReport; windows: TrackingWindows }[] = [];
    const shards = [...new Set(rows.map((row) => row[7] as number))];
    const windows = await client.query<{ shard: number; a: number; c: number }>(
      `SELECT shard, activity_window_ms AS a, conversion_window_ms AS c FROM shard_state
       WHERE shard = ANY($1)`,
      [shards],
    );
    const windowsOf = new Map(
      windows.rows.map((row) => [
        row.shard,
        { activityWindowMs: row.a, conversionWindowMs: row.c },
      ]),
    );
    for (const shard of shards) {
      const ofShard = rows.filter((row) => row[7] === shard).map((row) => row.slice(0, 7));
      const goals = await client.query({
        text: `SELECT no, goal_id, goal_type, status, changed_at, last_conversion_at, decided_at,
                      definition
               FROM goals WHERE shard = $1 AND no = ANY($2) ORDER BY no, position`,
        values: [shard, ofShard.map((row) => row[0])],
        rowMode: 'array',
      });
      const shardWindows = windowsOf.get(shard) ?? { activityWindowMs: 0, conversionWindowMs: 0 };
      for (const tag of tagsFromRows(
        ofShard,
        goals.rows as unknown[][],
        `PostgreSQL shard ${shard}`,
      )) {
        tags.push({ report: reportOf(tag), windows: shardWindows });
      }
    }
    return { total: Number(total.rows[0]?.n), tags };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}

/**
 * Every goal of the cluster in a status (every goal when left out), with its tag's id and
 * its shard's windows, ordered by shard, tag and position; read in one statement.
 *
 * @example
 * ```ts
 * const goals = await listClusterGoals(pool, 'NoRecentConversions');
 * ```
 */
export async function listClusterGoals(
  pool: pg.Pool,
  status: ConversionGoalTrackingStatus | undefined,
): Promise<{ tagId: string; goal: GoalStatusReport; windows: TrackingWindows }[]> {
  const found = await pool.query<{
    tag_id: string;
    goal_id: string;
    goal_type: GoalStatusReport['goalType'];
    status: ConversionGoalTrackingStatus;
    changed_at: number | null;
    last_conversion_at: number | null;
    a: number;
    c: number;
  }>(
    `SELECT t.tag_id, g.goal_id, g.goal_type, g.status, g.changed_at, g.last_conversion_at,
            s.activity_window_ms AS a, s.conversion_window_ms AS c
     FROM goals AS g JOIN tags AS t USING (shard, no) JOIN shard_state AS s USING (shard)
     WHERE $1::text IS NULL OR g.status = $1
     ORDER BY g.shard, g.no, g.position`,
    [status ?? null],
  );
  return found.rows.map((row) => ({
    tagId: row.tag_id,
    goal: {
      goalId: row.goal_id,
      goalType: row.goal_type,
      status: row.status,
      since: row.changed_at ?? undefined,
      lastConversionAt: row.last_conversion_at ?? undefined,
    },
    windows: { activityWindowMs: row.a, conversionWindowMs: row.c },
  }));
}

/** A stored tag as the monitor reports it. */
export function reportOf(tag: ReturnType<typeof tagsFromRows>[number]): TagStatusReport {
  return {
    tagId: tag.tagId,
    status: tag.status,
    since: tag.changedAt,
    lastDataAt: tag.lastDataAt,
    tagAvailable: tag.tagAvailable,
    goals: tag.goals.map((goal) => ({
      goalId: goal.goalId,
      goalType: goal.goalType,
      status: goal.status,
      since: goal.changedAt,
      lastConversionAt: goal.lastConversionAt,
    })),
  };
}
