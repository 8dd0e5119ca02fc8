import { statusChange } from '../runtime/statusChange.js';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { HistoryEntry } from './ChangeHistory.js';
import type { MonitorStatusChange } from './monitorInput.js';

/**
 * A kept change (a history entry, or a change of the change log) as the one status-change
 * record, for tag `tagId`.
 *
 * @example
 * ```ts
 * changeRecordOf('shop', { seq: 1, goalId: undefined, from: 'Unverified', to: 'Active', effectiveAt: 0, noticedAt: 0 });
 * ```
 */
export function changeRecordOf(tagId: string, entry: HistoryEntry): MonitorStatusChange {
  const { seq, effectiveAt, noticedAt } = entry;
  if (entry.goalId === undefined) {
    return statusChange({
      kind: 'tag',
      tagId,
      from: entry.from as UetTagTrackingStatus,
      to: entry.to as UetTagTrackingStatus,
      effectiveAt,
      noticedAt,
      seq,
    }) as MonitorStatusChange;
  }
  return statusChange({
    kind: 'goal',
    tagId,
    goalId: entry.goalId,
    from: entry.from as ConversionGoalTrackingStatus,
    to: entry.to as ConversionGoalTrackingStatus,
    effectiveAt,
    noticedAt,
    seq,
  }) as MonitorStatusChange;
}
