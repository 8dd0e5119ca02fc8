import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';

/** A status change found by one engine step, with its effective time (SPEC D5). */
export type FactChange =
  | {
      readonly kind: 'tag';
      readonly from: UetTagTrackingStatus;
      readonly to: UetTagTrackingStatus;
      readonly effectiveAt: number;
    }
  | {
      readonly kind: 'goal';
      readonly goalId: string;
      readonly from: ConversionGoalTrackingStatus;
      readonly to: ConversionGoalTrackingStatus;
      readonly effectiveAt: number;
    };

/**
 * The effective time of a change caused by an input or silence at `at`: never earlier
 * than the subject's previous change, so a subject's reported history stays in time
 * order even when a late activity arrives (a decision; see the README).
 *
 * @example
 * ```ts
 * effectiveTimeOf(10, 24); // 24: the status being left began at 24
 * effectiveTimeOf(10, undefined); // 10: no change was reported before
 * ```
 */
export function effectiveTimeOf(at: number, previousChangeAt: number | undefined): number {
  return previousChangeAt === undefined ? at : Math.max(at, previousChangeAt);
}
