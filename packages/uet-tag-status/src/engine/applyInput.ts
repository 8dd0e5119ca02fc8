import type { TagEvent } from '../machines/types.js';
import type { TrackingWindows } from '../windows.js';
import { collapseInstantChanges } from './collapseInstantChanges.js';
import type { FactChange } from './factChange.js';
import { settleTag } from './settleTag.js';
import { type StepTagOptions, stepTag } from './stepTag.js';
import type { TagFacts } from './tagFacts.js';

/**
 * Applies one input to a tag's facts at the processor's time `now`, as every processor
 * does: the input's step, then every silence that step made due by `now` at once (a late
 * input, SPEC D1), reported together without a status that held for no time (decision
 * 17, {@link collapseInstantChanges}). Mutates `facts`; returns the changes.
 *
 * A step that changes no status only moves the latest data and conversion times later,
 * so it makes no silence due, and nothing is settled after it.
 *
 * Precondition: every silence due by `now` was applied first (see `settleTag`).
 *
 * @example
 * ```ts
 * applyInput(facts, { type: 'tag.dataReceived', at: now - 2 * DAY, now }, now, DEFAULT_WINDOWS);
 * // [Unverified -> Active at now - 2 days, Active -> Inactive at now - 1 day, ...]
 * ```
 */
export function applyInput(
  facts: TagFacts,
  event: TagEvent,
  now: number,
  windows: TrackingWindows,
  options: StepTagOptions = {},
): readonly FactChange[] {
  const changes = stepTag(facts, event, windows, options);
  if (changes.length === 0) return changes;
  const settled = settleTag(facts, now, windows, options);
  return settled.length === 0 ? changes : collapseInstantChanges([...changes, ...settled]);
}
