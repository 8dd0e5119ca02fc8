import type pg from 'pg';
import { listClusterLastData } from '../postgres/clusterStatusReads.js';
import type { TagDeadline } from './statusGauges.js';
import { nextDeadlineOf } from './tagViews.js';

/**
 * Every tag of the cluster that turns Inactive if nothing arrives, with when: the
 * per-tag gauge of a front node (`metricsPerTag`), as its shard's owner last committed it.
 *
 * @example
 * ```ts
 * registerDeadlineGauge([registry], () => clusterDeadlines(pool));
 * ```
 */
export async function clusterDeadlines(pool: pg.Pool): Promise<TagDeadline[]> {
  const deadlines: TagDeadline[] = [];
  for (const { report, activityWindowMs } of await listClusterLastData(pool)) {
    const deadline = nextDeadlineOf(report, activityWindowMs);
    if (deadline !== undefined) deadlines.push({ tagId: report.tagId, deadline });
  }
  return deadlines;
}
