import type { TagEvent } from '../machines/types.js';
import { isTagBasedGoalType } from '../valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { TagFacts } from './tagFacts.js';

/**
 * Applies an input that cannot change any status without a machine step, and says
 * whether it did. Two inputs qualify, both only moving a "latest time" forward exactly
 * as the machines' own `recordActivity` and `recordConversion` actions would:
 *
 * - activity for an `Active` tag (the tag machine's `Active` state keeps it);
 * - a conversion for a goal that is `RecordingConversions`, when the goal is tagless or
 *   its tag is `Active` (the goal decides `RecordingConversions` again).
 *
 * Precondition: every silence due by `event.now` was already applied, so `Active` and
 * `RecordingConversions` hold at `event.now`. Tests compare this path with full machine
 * steps on randomized histories.
 *
 * @example
 * ```ts
 * if (!applyFastPath(facts, event)) changes = stepThroughMachines(facts, event, windows);
 * ```
 */
export function applyFastPath(facts: TagFacts, event: TagEvent): boolean {
  if (event.type === 'tag.dataReceived') return applyActivityFastPath(facts, event.at);
  if (event.type !== 'goal.conversionRecorded') return false;
  const goal = facts.goals.find((candidate) => candidate.goalId === event.goalId);
  if (goal === undefined || goal.status !== 'RecordingConversions') return false;
  const throughTag = isTagBasedGoalType(goal.goalType);
  if (throughTag && !activityKeepsStatus(facts.status)) return false;
  if (throughTag) recordActivity(facts, event.at);
  goal.lastConversionAt = Math.max(goal.lastConversionAt ?? event.at, event.at);
  goal.decidedAt = event.now;
  return true;
}

/** The facts that activity on the fast path reads and moves. */
export type ActivityFacts = Pick<TagFacts, 'status' | 'firstDataAt' | 'lastDataAt'>;

/**
 * The activity half of {@link applyFastPath}, on just the facts it needs: activity at
 * `at` for a tag whose status it keeps only moves the tag's data times. Says whether it
 * applied the activity (same precondition).
 *
 * @example
 * ```ts
 * const facts = { status: 'Active' as const, firstDataAt: 10, lastDataAt: 20 };
 * applyActivityFastPath(facts, 30); // true; facts.lastDataAt is 30
 * ```
 */
export function applyActivityFastPath(facts: ActivityFacts, at: number): boolean {
  if (!activityKeepsStatus(facts.status)) return false;
  recordActivity(facts, at);
  return true;
}

/**
 * Whether {@link applyFastPath} takes activity for a tag in `status` (when nothing is
 * due): then the activity changes no status of the tag or its goals, and only moves the
 * tag's data times. Callers that hold such activity back to apply it later ask this.
 *
 * @example
 * ```ts
 * activityKeepsStatus('Active'); // true
 * activityKeepsStatus('Inactive'); // false: activity makes the tag Active
 * ```
 */
export function activityKeepsStatus(status: UetTagTrackingStatus): boolean {
  return status === 'Active';
}

function recordActivity(facts: ActivityFacts, at: number): void {
  facts.firstDataAt = Math.min(facts.firstDataAt ?? at, at);
  facts.lastDataAt = Math.max(facts.lastDataAt ?? at, at);
}
