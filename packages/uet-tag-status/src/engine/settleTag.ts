import type { TrackingWindows } from '../windows.js';
import type { FactChange } from './factChange.js';
import { nextSilenceAt, silenceEventAt } from './nextSilence.js';
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
  let at = nextSilenceAt(facts, windows);
  if (at > now) return NO_CHANGES;
  const changes: FactChange[] = [];
  for (; at <= now; at = nextSilenceAt(facts, windows)) {
    const stepChanges = stepTag(facts, silenceEventAt(facts, windows, at), windows, options);
    if (stepChanges.length === 0) {
      throw new Error(`internal: the silence due at ${at} changed no status`);
    }
    changes.push(...stepChanges);
  }
  return changes;
}
