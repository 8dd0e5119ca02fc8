import type { ConversionGoalTrackingStatus } from './valueSets/conversionGoalTrackingStatus.js';
import { type ConversionGoalType, isTagBasedGoalType } from './valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from './valueSets/uetTagTrackingStatus.js';
import { resolveWindows, type TrackingWindows } from './windows.js';

/** What one goal received so far, for {@link trackingStatusesAt}. */
export interface GoalHistory {
  /** The goal's type. */
  readonly goalType: ConversionGoalType;
  /** Every conversion received for the goal, UTC epoch ms, in any order. */
  readonly conversions: readonly number[];
}

/** What one tag and its goals received so far, for {@link trackingStatusesAt}. */
export interface TagHistory {
  /** Every activity received from the tag, UTC epoch ms, in any order. */
  readonly activities: readonly number[];
  /** The goals attached to the tag, by id. */
  readonly goals?: Readonly<Record<string, GoalHistory>>;
  /**
   * Whether the account has access to the tag (SPEC G4).
   * @default true
   */
  readonly tagAvailable?: boolean;
}

/** Everything a goal's status depends on, for {@link goalStatusAt}. */
export interface GoalStatusInput {
  /** The goal's type. */
  readonly goalType: ConversionGoalType;
  /** Every conversion received for the goal, UTC epoch ms, in any order. */
  readonly conversions: readonly number[];
  /** The tag's status at the same time (ignored for tagless goal types). */
  readonly tagStatus: UetTagTrackingStatus;
  /**
   * Whether the account has access to the goal's tag.
   * @default true
   */
  readonly tagAvailable?: boolean;
}

/** The statuses {@link trackingStatusesAt} computes. */
export interface TrackingStatuses {
  /** The tag's status. */
  readonly tag: UetTagTrackingStatus;
  /** Each goal's status, by goal id. */
  readonly goals: Readonly<Record<string, ConversionGoalTrackingStatus>>;
}

/**
 * A tag's status at `now` from the activities received so far (SPEC R7): none at all →
 * `Unverified`; the latest one within `(now - window, now]` → `Active`; else `Inactive`.
 * An activity stamped up to the allowed clock skew after `now` counts as received.
 *
 * @example
 * ```ts
 * tagStatusAt([], 0); // 'Unverified'
 * tagStatusAt([0], 86_399_999); // 'Active'
 * tagStatusAt([0], 86_400_000); // 'Inactive'
 * ```
 */
export function tagStatusAt(
  activities: readonly number[],
  now: number,
  windows: Partial<TrackingWindows> = {},
): UetTagTrackingStatus {
  const latest = latestOf(activities);
  if (latest === undefined) return 'Unverified';
  return isWithinWindow(latest, now, resolveWindows(windows).activityWindowMs)
    ? 'Active'
    : 'Inactive';
}

/**
 * A goal's status at `now` (SPEC G2–G5, G7): no access to a tag-based goal's tag →
 * `InactiveDueToTagUnavailable`; tag `Unverified` → `TagUnverified`; tag `Inactive` →
 * `TagInactive`; otherwise (or for tagless goal types) `RecordingConversions` when the
 * latest conversion is within `(now - window, now]`, else `NoRecentConversions`.
 *
 * @example
 * ```ts
 * goalStatusAt({ goalType: 'Url', conversions: [0], tagStatus: 'Active' }, 1_000);
 * // 'RecordingConversions'
 * ```
 */
export function goalStatusAt(
  goal: GoalStatusInput,
  now: number,
  windows: Partial<TrackingWindows> = {},
): ConversionGoalTrackingStatus {
  if (isTagBasedGoalType(goal.goalType)) {
    if (goal.tagAvailable === false) return 'InactiveDueToTagUnavailable';
    if (goal.tagStatus === 'Unverified') return 'TagUnverified';
    if (goal.tagStatus === 'Inactive') return 'TagInactive';
  }
  const latest = latestOf(goal.conversions);
  return latest !== undefined &&
    isWithinWindow(latest, now, resolveWindows(windows).conversionWindowMs)
    ? 'RecordingConversions'
    : 'NoRecentConversions';
}

/**
 * The tag's and every goal's status at `now` from all data received so far, counting a
 * conversion of a tag-based goal as tag activity too (SPEC G6).
 *
 * @example
 * ```ts
 * trackingStatusesAt(
 *   { activities: [], goals: { signup: { goalType: 'Url', conversions: [5] } } },
 *   10,
 * ); // { tag: 'Active', goals: { signup: 'RecordingConversions' } }
 * ```
 */
export function trackingStatusesAt(
  history: TagHistory,
  now: number,
  windows: Partial<TrackingWindows> = {},
): TrackingStatuses {
  const goals = Object.entries(history.goals ?? {});
  const tagActivities = [
    ...history.activities,
    ...goals.flatMap(([, goal]) => (isTagBasedGoalType(goal.goalType) ? goal.conversions : [])),
  ];
  const tag = tagStatusAt(tagActivities, now, windows);
  const tagAvailable = history.tagAvailable ?? true;
  return {
    tag,
    goals: Object.fromEntries(
      goals.map(([goalId, goal]) => [
        goalId,
        goalStatusAt({ ...goal, tagStatus: tag, tagAvailable }, now, windows),
      ]),
    ),
  };
}

function latestOf(times: readonly number[]): number | undefined {
  let latest: number | undefined;
  for (const time of times) if (latest === undefined || time > latest) latest = time;
  return latest;
}

function isWithinWindow(time: number, now: number, windowMs: number): boolean {
  return time + windowMs > now;
}
