import {
  ConversionGoalTrackingStatus,
  type TrackingWindows,
  type UetTagTrackingStatus,
} from 'uet-tag-status';

/** A tag's or a goal's tracking status. */
type TrackingStatus = UetTagTrackingStatus | ConversionGoalTrackingStatus;

import type { ApiConversionGoal, ApiUetTag } from '../advertising/apiObjects.js';
import { reportedGoalStatus } from '../advertising/writeAdvertisingObjects.js';
import { explainGoalDifference, explainTagDifference } from './explainDifference.js';
import type { ModelView } from './modelView.js';

const NO_STATUS =
  "Microsoft's response holds no TrackingStatus for it: save the response of GetUetTagsByIds or GetConversionGoalsByTagIds as the API returns it";

/** One tag or goal of Microsoft's response, set against the model. */
export interface ReconciledObject {
  readonly kind: 'tag' | 'goal';
  readonly id: string;
  /** The goal's tag. */
  readonly tagId?: string;
  readonly name?: string;
  /** What Microsoft reported (`TrackingStatus`); `undefined` when the response left it out. */
  readonly reported: TrackingStatus | undefined;
  /** What the model computes, as the API would write it; `undefined` when it knows nothing of it. */
  readonly computed: TrackingStatus | undefined;
  readonly agrees: boolean;
  /** Why they differ, in a marketer's words; absent when they agree. */
  readonly explanation?: string;
}

/** What a reconciliation found. */
export interface Reconciliation {
  readonly at: number;
  readonly source: string;
  readonly objects: readonly ReconciledObject[];
  /** How many objects differ. */
  readonly differences: number;
}

/**
 * Sets every tag and goal of Microsoft's responses against what the model computes at the
 * time the responses were taken: agreeing, or differing with an explanation. A goal status
 * is compared as the API writes it: `InactiveDueToTagUnavailable` as `TagInactive`, unless
 * the response itself holds `InactiveDueToTagUnavailable` (it was asked for, SPEC A3).
 *
 * @example
 * ```ts
 * const { differences, objects } = reconcile(account.tags, account.goals, view, windows);
 * ```
 */
export function reconcile(
  tags: readonly ApiUetTag[],
  goals: readonly ApiConversionGoal[],
  model: ModelView,
  windows: TrackingWindows,
): Reconciliation {
  const objects: ReconciledObject[] = [];
  for (const tag of tags) {
    objects.push(reconcileTag(tag.Id, tag.Name, tag.TrackingStatus, model, windows));
  }
  for (const goal of goals) objects.push(reconcileGoal(goal, model, windows));
  return {
    at: model.at,
    source: model.source,
    objects,
    differences: objects.filter((object) => !object.agrees).length,
  };
}

function reconcileTag(
  id: string,
  name: string | undefined,
  reported: UetTagTrackingStatus | undefined,
  model: ModelView,
  windows: TrackingWindows,
): ReconciledObject {
  const tag = model.tags.get(id);
  const base = { kind: 'tag' as const, id, ...(name === undefined ? {} : { name }), reported };
  if (tag === undefined) {
    return {
      ...base,
      computed: undefined,
      agrees: false,
      explanation: `the model knows nothing of this tag: give it this tag's traffic (--replay) or register it in the monitor (--db ${model.source})`,
    };
  }
  if (reported === undefined) {
    return { ...base, computed: tag.status, agrees: false, explanation: NO_STATUS };
  }
  const agrees = reported === tag.status;
  return {
    ...base,
    computed: tag.status,
    agrees,
    ...(agrees
      ? {}
      : { explanation: explainTagDifference(reported, tag, windows.activityWindowMs) }),
  };
}

function reconcileGoal(
  goal: ApiConversionGoal,
  model: ModelView,
  windows: TrackingWindows,
): ReconciledObject {
  const base = {
    kind: 'goal' as const,
    id: goal.Id,
    ...(goal.TagId === undefined ? {} : { tagId: goal.TagId }),
    ...(goal.Name === undefined ? {} : { name: goal.Name }),
    reported: goal.TrackingStatus,
  };
  const tag = goal.TagId === undefined ? undefined : model.tags.get(goal.TagId);
  const modelGoal = tag?.goals.get(goal.Id);
  if (tag === undefined || modelGoal === undefined) {
    return {
      ...base,
      computed: undefined,
      agrees: false,
      explanation:
        goal.TagId === undefined
          ? `a ${goal.Type} goal has no tag: the model can only compute goals that hits convert`
          : `the model knows nothing of this goal: give it the goal's definition (--goals) or attach it in the monitor`,
    };
  }
  const computed = reportedGoalStatus(modelGoal.status, {
    returnInactiveDueToTagUnavailable:
      goal.TrackingStatus === ConversionGoalTrackingStatus.InactiveDueToTagUnavailable,
  });
  if (goal.TrackingStatus === undefined) {
    return { ...base, computed, agrees: false, explanation: NO_STATUS };
  }
  const agrees = goal.TrackingStatus === computed;
  return {
    ...base,
    computed,
    agrees,
    ...(agrees
      ? {}
      : {
          explanation: explainGoalDifference(
            goal.TrackingStatus,
            { ...modelGoal, status: computed },
            tag,
            windows.conversionWindowMs,
          ),
        }),
  };
}
