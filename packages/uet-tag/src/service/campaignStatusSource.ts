import { type TagMonitor, type TagStatusReport, TrackingInputError } from 'uet-tag-status';
import type { GoalStatusRecord, TagStatusRecord } from '../advertising/writeAdvertisingObjects.js';

/** A tag's status record and its goals', in attachment order. */
export interface TagWithGoals {
  readonly tag: TagStatusRecord;
  readonly goals: readonly GoalStatusRecord[];
}

/**
 * What the Campaign Management stand-in (`registerCampaignManagementRoutes`) reads: the
 * single node's monitor (`monitorCampaignSource`) or a cluster's tables
 * (`clusterCampaignSource`).
 */
export interface CampaignStatusSource {
  /** Every tag's status, in the source's order. */
  allTags(): Promise<TagStatusRecord[]>;
  /**
   * Every goal of every tag, once per id: a goal id attached to several tags is read from
   * the first of them in the source's order.
   */
  allGoals(): Promise<GoalStatusRecord[]>;
  /** The tags of these ids that exist, by id. */
  tagsById(ids: readonly string[]): Promise<Map<string, TagWithGoals>>;
  /**
   * The goals of these ids that exist, by id; a goal id attached to several tags is read
   * from the first of them in the source's order.
   */
  goalsById(ids: readonly string[]): Promise<Map<string, GoalStatusRecord>>;
}

/**
 * The monitor's tags and goals as the Campaign Management stand-in reads them, in
 * registration order.
 *
 * @example
 * ```ts
 * registerCampaignManagementRoutes(app, monitorCampaignSource(monitor));
 * ```
 */
export function monitorCampaignSource(monitor: TagMonitor): CampaignStatusSource {
  return {
    async allTags() {
      return Array.from(monitor.statuses(), (report) => tagRecordOf(report).tag);
    },
    async tagsById(ids) {
      const found = new Map<string, TagWithGoals>();
      for (const id of ids) {
        if (found.has(id)) continue;
        const report = statusOrUndefined(monitor, id);
        if (report !== undefined) found.set(id, tagRecordOf(report));
      }
      return found;
    },
    async allGoals() {
      return [...firstGoalsOf(monitor, undefined).values()];
    },
    async goalsById(ids) {
      return firstGoalsOf(monitor, new Set(ids));
    },
  };
}

/**
 * A tag's report as the stand-in's records.
 *
 * @example
 * ```ts
 * tagRecordOf(monitor.status('26000001')).tag; // { Id: '26000001', TrackingStatus: 'Active' }
 * ```
 */
export function tagRecordOf(report: TagStatusReport): TagWithGoals {
  return {
    tag: { Id: report.tagId, TrackingStatus: report.status },
    goals: report.goals.map((goal) => ({
      Id: goal.goalId,
      Type: goal.goalType,
      TagId: report.tagId,
      TrackingStatus: goal.status,
    })),
  };
}

/** The goals of the monitor's tags, each id once (its first tag's), those of `wanted` only when given. */
function firstGoalsOf(
  monitor: TagMonitor,
  wanted: ReadonlySet<string> | undefined,
): Map<string, GoalStatusRecord> {
  const found = new Map<string, GoalStatusRecord>();
  for (const report of monitor.statuses()) {
    for (const goal of tagRecordOf(report).goals) {
      if ((wanted === undefined || wanted.has(goal.Id)) && !found.has(goal.Id)) {
        found.set(goal.Id, goal);
      }
    }
  }
  return found;
}

function statusOrUndefined(monitor: TagMonitor, tagId: string): TagStatusReport | undefined {
  try {
    return monitor.status(tagId);
  } catch (error) {
    if (error instanceof TrackingInputError && error.code === 'unknownTag') return undefined;
    throw error;
  }
}
