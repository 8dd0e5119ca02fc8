import type {
  ConversionGoalTrackingStatus,
  GoalDefinition,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import type { ReplayResult } from '../replay/replayFile.js';
import type { StatusesAt } from '../status/statusesAt.js';

/** What the model knows of one goal at the reconciliation's time. */
export interface ModelGoal {
  readonly goalId: string;
  readonly status: ConversionGoalTrackingStatus;
  readonly lastConversionAt: number | undefined;
  /** Conversions within the conversion window, when the source counts them (a replay). */
  readonly recentConversions: number | undefined;
  readonly definition: GoalDefinition | undefined;
}

/** What the model knows of one tag at the reconciliation's time. */
export interface ModelTag {
  readonly tagId: string;
  readonly status: UetTagTrackingStatus;
  readonly lastDataAt: number | undefined;
  /** Hits within the activity window, when the source counts them (a replay). */
  readonly recentHits: number | undefined;
  readonly tagAvailable: boolean;
  readonly goals: ReadonlyMap<string, ModelGoal>;
}

/** The model's side of a reconciliation: its tags by id, at a time. */
export interface ModelView {
  readonly at: number;
  /** Where the model's statuses come from, for the report: a file name. */
  readonly source: string;
  readonly tags: ReadonlyMap<string, ModelTag>;
}

/**
 * The model's view from a monitor's stored statuses (`statusesAt`).
 *
 * @example
 * ```ts
 * const view = modelFromStore(statusesAt(readSqliteSnapshot('tags.db'), at), 'tags.db');
 * ```
 */
export function modelFromStore(statuses: StatusesAt, source: string): ModelView {
  const tags = new Map<string, ModelTag>();
  for (const tag of statuses.tags) {
    tags.set(tag.tagId, {
      tagId: tag.tagId,
      status: tag.status,
      lastDataAt: tag.lastDataAt,
      recentHits: undefined,
      tagAvailable: tag.tagAvailable,
      goals: new Map(
        tag.goals.map((goal) => [
          goal.goalId,
          {
            goalId: goal.goalId,
            status: goal.status,
            lastConversionAt: goal.lastConversionAt,
            recentConversions: undefined,
            definition: goal.definition,
          },
        ]),
      ),
    });
  }
  return { at: statuses.at, source, tags };
}

/**
 * The model's view from a replay that ended at the reconciliation's time: each tag's and
 * goal's status at the end of its timeline, and what the hits counted.
 *
 * @example
 * ```ts
 * const view = modelFromReplay(await replayFile(file, { until: at, definitions }), definitions);
 * ```
 */
export function modelFromReplay(
  result: ReplayResult,
  definitions: ReadonlyMap<string, readonly GoalDefinition[]>,
): ModelView {
  const counts = new Map(result.hits.map((tag) => [tag.tagId, tag]));
  const tags = new Map<string, ModelTag>();
  const goals = new Map<string, Map<string, ModelGoal>>();
  for (const timeline of result.timelines) {
    const status = timeline.intervals.at(-1)?.status;
    if (status === undefined) continue;
    const count = counts.get(timeline.tagId);
    if (timeline.goalId === undefined) {
      const tagGoals = new Map<string, ModelGoal>();
      goals.set(timeline.tagId, tagGoals);
      tags.set(timeline.tagId, {
        tagId: timeline.tagId,
        status: status as UetTagTrackingStatus,
        lastDataAt: count?.lastHitAt,
        recentHits: count?.recentHits ?? 0,
        // A replay's timelines do not say whether the account had access; the goals' do.
        tagAvailable: true,
        goals: tagGoals,
      });
      continue;
    }
    const goalId = timeline.goalId;
    const goalCount = count?.goals.find((goal) => goal.goalId === goalId);
    goals.get(timeline.tagId)?.set(goalId, {
      goalId,
      status: status as ConversionGoalTrackingStatus,
      lastConversionAt: goalCount?.lastConversionAt,
      recentConversions: goalCount?.recentConversions ?? 0,
      definition: definitions.get(timeline.tagId)?.find((goal) => goal.goalId === goalId),
    });
  }
  return { at: result.end, source: result.source, tags };
}
