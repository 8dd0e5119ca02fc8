import type {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  GoalDefinition,
  StoreSnapshot,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import { settleTag } from 'uet-tag-status/engine';

/** A goal's status as a monitor's store implies it at a time. */
export interface GoalStatusAt {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
  readonly status: ConversionGoalTrackingStatus;
  /** Since when (the effective time of its latest change), if it ever changed. */
  readonly since: number | undefined;
  readonly lastConversionAt: number | undefined;
  /** Its definition, when it was attached with one. */
  readonly definition: GoalDefinition | undefined;
}

/** A tag's status and its goals' as a monitor's store implies them at a time. */
export interface TagStatusAt {
  readonly tagId: string;
  readonly status: UetTagTrackingStatus;
  readonly since: number | undefined;
  readonly lastDataAt: number | undefined;
  readonly tagAvailable: boolean;
  readonly goals: readonly GoalStatusAt[];
}

/** The statuses of a store at a time, and the times involved. */
export interface StatusesAt {
  /** The time the statuses hold at: `at`, or the store's time when that is later. */
  readonly at: number;
  /** The monitor's time when it last committed (SPEC D6: it never went back). */
  readonly storedAt: number;
  readonly tags: readonly TagStatusAt[];
}

/**
 * The statuses a monitor's store implies at time `at`: what it stored, with every silence
 * due by `at` applied through the engine (`settleTag`), as a monitor opened then would
 * report them (SPEC R4, G3, D7). A time before the store's own is taken as the store's
 * time: statuses never go back (D6).
 *
 * @example
 * ```ts
 * const { tags } = statusesAt(readSqliteSnapshot('tags.db'), Date.now());
 * ```
 */
export function statusesAt(snapshot: StoreSnapshot, at: number): StatusesAt {
  const time = Math.max(at, snapshot.now);
  const tags = snapshot.tags.map((stored): TagStatusAt => {
    const facts = {
      status: stored.status,
      changedAt: stored.changedAt,
      firstDataAt: stored.firstDataAt,
      lastDataAt: stored.lastDataAt,
      tagAvailable: stored.tagAvailable,
      goals: stored.goals.map((goal) => ({
        goalId: goal.goalId,
        goalType: goal.goalType,
        status: goal.status,
        changedAt: goal.changedAt,
        lastConversionAt: goal.lastConversionAt,
        decidedAt: goal.decidedAt,
      })),
    };
    settleTag(facts, time, snapshot.windows);
    return {
      tagId: stored.tagId,
      status: facts.status,
      since: facts.changedAt,
      lastDataAt: facts.lastDataAt,
      tagAvailable: facts.tagAvailable,
      goals: facts.goals.map((goal, index) => ({
        goalId: goal.goalId,
        goalType: goal.goalType,
        status: goal.status,
        since: goal.changedAt,
        lastConversionAt: goal.lastConversionAt,
        definition: stored.goals[index]?.definition,
      })),
    };
  });
  return { at: time, storedAt: snapshot.now, tags };
}
