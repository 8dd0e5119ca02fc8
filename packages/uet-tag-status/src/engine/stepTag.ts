import type { TagEvent } from '../machines/types.js';
import type { TrackingWindows } from '../windows.js';
import type { FactChange } from './factChange.js';
import { applyFastPath } from './fastPath.js';
import type { StepMemo } from './StepMemo.js';
import { stepThroughMachines } from './stepThroughMachines.js';
import type { TagFacts } from './tagFacts.js';

/** Options of {@link stepTag}. */
export interface StepTagOptions {
  /**
   * Whether inputs that cannot change a status skip the machine step.
   * @default true
   */
  readonly fastPath?: boolean;
  /**
   * Steps the machines once per kind of tag and event, and applies that step to every
   * tag and event of the kind (exactly a full step's result); share one among many tags.
   * Used only with the fast path.
   * @default every step through the machines
   */
  readonly memo?: StepMemo;
}

const NO_CHANGES: readonly FactChange[] = Object.freeze([]);

/**
 * Applies one tag machine event to a tag's facts: by the fast path when it cannot change
 * a status, else by a full pure step of the machines (or the step a `memo` took for the
 * first tag of its kind). Mutates `facts`; returns the
 * status changes (tag first, then goals) with their effective times.
 *
 * Precondition: every silence due by the event's processing time was applied first
 * (see `nextSilence`).
 *
 * @example
 * ```ts
 * const facts = createTagFacts(0);
 * stepTag(facts, { type: 'tag.dataReceived', at: 0, now: 0 }, DEFAULT_WINDOWS);
 * facts.status; // 'Active'
 * ```
 */
export function stepTag(
  facts: TagFacts,
  event: TagEvent,
  windows: TrackingWindows,
  options: StepTagOptions = {},
): readonly FactChange[] {
  if (options.fastPath === false) return stepThroughMachines(facts, event, windows);
  if (applyFastPath(facts, event)) return NO_CHANGES;
  return options.memo === undefined
    ? stepThroughMachines(facts, event, windows)
    : options.memo.step(facts, event, windows);
}
