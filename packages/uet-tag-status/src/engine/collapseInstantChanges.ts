import type { FactChange } from './factChange.js';

/**
 * The changes one input made (its step and the silences that step made due), with every
 * status that held for no time taken out: when a subject (the tag, or one goal) changes
 * twice at the same effective time, the two become one change from the first `from` to
 * the second `to`, reported where the second was, and none at all when that is no change.
 *
 * Why: a goal decides at its own present (never earlier than its last decision), so a
 * late input that tells it, in one go, of the tag's change at 900 and of the tag's lapse
 * at 1000 would otherwise report, for a goal attached at 1000, a status at 1000 that the
 * lapse at 1000 overturns at once: a status it never held.
 *
 * @example
 * ```ts
 * collapseInstantChanges([
 *   { kind: 'goal', goalId: 'g', from: 'TagUnverified', to: 'NoRecentConversions', effectiveAt: 1000 },
 *   { kind: 'goal', goalId: 'g', from: 'NoRecentConversions', to: 'TagInactive', effectiveAt: 1000 },
 * ]); // [{ kind: 'goal', goalId: 'g', from: 'TagUnverified', to: 'TagInactive', effectiveAt: 1000 }]
 * ```
 */
export function collapseInstantChanges(changes: readonly FactChange[]): readonly FactChange[] {
  if (changes.length < 2) return changes;
  const kept: (FactChange | undefined)[] = [...changes];
  /** Each subject's latest kept change, by its position in `kept`. */
  const latest = new Map<string, number>();
  changes.forEach((change, index) => {
    const subject = change.kind === 'tag' ? '' : `goal:${change.goalId}`;
    const previousIndex = latest.get(subject);
    const previous = previousIndex === undefined ? undefined : kept[previousIndex];
    latest.set(subject, index);
    if (previous === undefined || previous.effectiveAt !== change.effectiveAt) return;
    kept[previousIndex as number] = undefined;
    kept[index] =
      previous.from === change.to ? undefined : ({ ...change, from: previous.from } as FactChange);
    if (kept[index] === undefined) latest.delete(subject);
  });
  return kept.filter((change): change is FactChange => change !== undefined);
}
