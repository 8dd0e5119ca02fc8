import { createValueGuard } from './valueSet.js';

/**
 * The `ConversionGoalStatus` value set of the Microsoft Advertising Campaign Management
 * API: the status a user sets on a goal, as opposed to its computed `TrackingStatus`.
 *
 * @example
 * ```ts
 * if (goal.status === ConversionGoalStatus.Paused) console.log('records no conversions (A2)');
 * ```
 * @see {@link conversionGoalStatusMeanings}
 */
export const ConversionGoalStatus = {
  Active: 'Active',
  Paused: 'Paused',
  Deleted: 'Deleted',
} as const;

/**
 * One value of {@link ConversionGoalStatus}.
 *
 * @example
 * ```ts
 * const status: ConversionGoalStatus = 'Paused';
 * ```
 */
export type ConversionGoalStatus = (typeof ConversionGoalStatus)[keyof typeof ConversionGoalStatus];

/**
 * What each user-set goal status means for tracking (SPEC A2).
 *
 * @example
 * ```ts
 * console.log(conversionGoalStatusMeanings.Deleted);
 * ```
 */
export const conversionGoalStatusMeanings: Readonly<Record<ConversionGoalStatus, string>> = {
  Active: 'The goal records conversions.',
  Paused: 'The goal records no conversions while it is paused.',
  Deleted: 'The goal is deleted and detached from its tag.',
};

/**
 * True only for a value of {@link ConversionGoalStatus}, spelled exactly.
 *
 * @example
 * ```ts
 * isConversionGoalStatus('Paused'); // true
 * isConversionGoalStatus('paused'); // false
 * ```
 */
export const isConversionGoalStatus = createValueGuard(ConversionGoalStatus);
