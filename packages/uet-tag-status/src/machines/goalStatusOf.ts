import type { SnapshotFrom } from 'xstate';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { goalMachine } from './goalMachine.js';

/**
 * A goal snapshot's status. The machine never rests in its transient `Deciding` state,
 * so its value is always a `ConversionGoalTrackingStatus`.
 *
 * @example
 * ```ts
 * goalStatusOf(goalActor.getSnapshot()); // 'NoRecentConversions'
 * ```
 */
export function goalStatusOf(
  snapshot: SnapshotFrom<typeof goalMachine>,
): ConversionGoalTrackingStatus {
  const { value } = snapshot;
  if (value === 'Deciding') throw new Error('internal: a goal snapshot rested in Deciding');
  return value;
}
