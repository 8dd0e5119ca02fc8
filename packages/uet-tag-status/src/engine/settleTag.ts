import type { TrackingWindows } from '../windows.js';
import type { FactChange } from './factChange.js';
import { nextSilence, nextSilenceAt } from './nextSilence.js';
import { type StepTagOptions, stepTag } from './stepTag.js';
import type { TagFacts } from './tagFacts.js';

const NO_CHANGES: readonly FactChange[] = Object.freeze([]);

/**
 * Applies, in effective-time order, every silence of a tag that falls due by `now`
 * (SPEC R4, G3, D7). Mutates `facts`; returns the changes in the order they took effect.
 *
 * @example
 * ```ts
 * settleTag(facts, Date.now(), DEFAULT_WINDOWS); // e.g. [{ kind: 'tag', from: 'Active', to: 'Inactive', ... }]
 * ```
 */
export function settleTag(
  facts: TagFacts,
  now: number,
  windows: TrackingWindows,
  options: StepTagOptions = {},
): readonly FactChange[] {
  if (nextSilenceAt(facts, windows) > now) return NO_CHANGES;
  const changes: FactChange[] = [];
  for (let due = nextSilence(facts, windows); due !== undefined && due.at <= now; ) {
    const stepChanges = stepTag(facts, due.event, windows, options);
    if (stepChanges.length === 0) {
      throw new Error(`internal: the silence due at ${due.at} changed no status`);
    }
    changes.push(...stepChanges);
    due = nextSilence(facts, windows);
  }
  return changes;
}
