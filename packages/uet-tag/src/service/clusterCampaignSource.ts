import type pg from 'pg';
import type { GoalStatusRecord } from '../advertising/writeAdvertisingObjects.js';
import {
  findClusterGoals,
  listClusterTagStatuses,
  readClusterTagReports,
} from '../postgres/clusterStatusReads.js';
import {
  type CampaignStatusSource,
  type TagWithGoals,
  tagRecordOf,
} from './campaignStatusSource.js';

/**
 * A cluster's tags and goals as the Campaign Management stand-in of a front node reads
 * them, as the shards' owners last committed them, ordered by shard and registration (so
 * a goal id attached to tags of two shards is read from the lower shard's, where the single
 * node would read the first registered).
 *
 * @example
 * ```ts
 * registerCampaignManagementRoutes(app, clusterCampaignSource(pool));
 * ```
 */
export function clusterCampaignSource(pool: pg.Pool): CampaignStatusSource {
  return {
    async allTags() {
      const tags = await listClusterTagStatuses(pool);
      return tags.map(({ tagId, status }) => ({ Id: tagId, TrackingStatus: status }));
    },
    async tagsById(ids) {
      const found = new Map<string, TagWithGoals>();
      for (const report of await readClusterTagReports(pool, [...new Set(ids)])) {
        found.set(report.tagId, tagRecordOf(report));
      }
      return found;
    },
    async allGoals() {
      return [...(await firstGoalsOf(pool, null)).values()];
    },
    async goalsById(ids) {
      return firstGoalsOf(pool, [...new Set(ids)]);
    },
  };
}

/** The cluster's goals, each id once (its lowest shard's tag), those of `ids` only unless null. */
async function firstGoalsOf(
  pool: pg.Pool,
  ids: readonly string[] | null,
): Promise<Map<string, GoalStatusRecord>> {
  const found = new Map<string, GoalStatusRecord>();
  for (const goal of await findClusterGoals(pool, ids)) {
    if (found.has(goal.goalId)) continue;
    found.set(goal.goalId, {
      Id: goal.goalId,
      Type: goal.goalType,
      TagId: goal.tagId,
      TrackingStatus: goal.status,
    });
  }
  return found;
}
