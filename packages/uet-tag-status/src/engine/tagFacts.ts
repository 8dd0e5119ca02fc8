import { INITIAL_TAG_STATUS } from '../machines/chartFacts.js';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { ConversionGoalType } from '../valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';

/**
 * What the engine keeps of one goal: its status and the facts the goal machine's
 * context holds. Plain and mutable, so that millions can be held and updated cheaply.
 */
export interface GoalFacts {
  /** The goal's id, unique within its tag. */
  readonly goalId: string;
  /** The goal's type. */
  readonly goalType: ConversionGoalType;
  /** The goal's current status. */
  status: ConversionGoalTrackingStatus;
  /** The effective time of the goal's latest status change; `undefined` while none. */
  changedAt: number | undefined;
  /** The latest conversion received, or `undefined` while none was. */
  lastConversionAt: number | undefined;
  /** The time the current status was decided for (the goal machine's `decidedAt`). */
  decidedAt: number;
}

/**
 * What the engine keeps of one tag: its status and the facts the tag machine's context
 * holds, plus its goals in the order they were attached.
 */
export interface TagFacts {
  /** The tag's current status. */
  status: UetTagTrackingStatus;
  /** The effective time of the tag's latest status change; `undefined` while none. */
  changedAt: number | undefined;
  /** The earliest activity received, or `undefined` while none was. */
  firstDataAt: number | undefined;
  /** The latest activity received, or `undefined` while none was. */
  lastDataAt: number | undefined;
  /** Whether the account has access to the tag (SPEC G4). */
  tagAvailable: boolean;
  /** The attached goals, in the order they were attached. */
  goals: GoalFacts[];
}

/**
 * The facts of a new tag: `Unverified`, no data, no goals (SPEC R1). Attach goals by
 * stepping `goal.attached` events, so that their first status comes from the machines.
 *
 * @example
 * ```ts
 * const facts = createTagFacts();
 * stepTag(facts, { type: 'goal.attached', goalId: 'buy', goalType: 'Url', at: Date.now() }, DEFAULT_WINDOWS);
 * ```
 */
export function createTagFacts(tagAvailable = true): TagFacts {
  return {
    status: INITIAL_TAG_STATUS,
    changedAt: undefined,
    firstDataAt: undefined,
    lastDataAt: undefined,
    tagAvailable,
    goals: [],
  };
}
