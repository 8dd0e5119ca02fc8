import { createValueGuard } from './valueSet.js';

/**
 * The `ConversionGoalTrackingStatus` value set of the Microsoft Advertising Campaign
 * Management API, spelled as the API returns it (`InactiveDueToTagUnavailable` since v13).
 *
 * @example
 * ```ts
 * if (status === ConversionGoalTrackingStatus.NoRecentConversions) notifyOwner();
 * ```
 * @see {@link conversionGoalTrackingStatusMeanings}
 */
export const ConversionGoalTrackingStatus = {
  TagUnverified: 'TagUnverified',
  NoRecentConversions: 'NoRecentConversions',
  RecordingConversions: 'RecordingConversions',
  TagInactive: 'TagInactive',
  InactiveDueToTagUnavailable: 'InactiveDueToTagUnavailable',
} as const;

/** One value of {@link ConversionGoalTrackingStatus}. */
export type ConversionGoalTrackingStatus =
  (typeof ConversionGoalTrackingStatus)[keyof typeof ConversionGoalTrackingStatus];

/**
 * The documented meaning of each goal status, short enough for a CLI or a UI.
 *
 * @example
 * ```ts
 * console.log(conversionGoalTrackingStatusMeanings.TagInactive);
 * ```
 */
export const conversionGoalTrackingStatusMeanings: Readonly<
  Record<ConversionGoalTrackingStatus, string>
> = {
  TagUnverified: "The goal's tag is Unverified.",
  TagInactive: "The goal's tag is Inactive.",
  NoRecentConversions:
    'The tag is Active, but no conversion was recorded for the goal in the last 7 days (goal defined wrongly, conversion pages not tagged, or simply no one converting).',
  RecordingConversions: 'The tag is Active and conversions were recorded in the last 7 days.',
  InactiveDueToTagUnavailable:
    "The account no longer has access to the goal's tag (for example a shared tag whose sharing was withdrawn).",
};

/**
 * True only for a value of {@link ConversionGoalTrackingStatus}, spelled exactly.
 *
 * @example
 * ```ts
 * isConversionGoalTrackingStatus('RecordingConversions'); // true
 * ```
 */
export const isConversionGoalTrackingStatus = createValueGuard(ConversionGoalTrackingStatus);
