import { createValueGuard } from './valueSet.js';

/**
 * The `UetTagTrackingStatus` value set of the Microsoft Advertising Campaign Management
 * API, spelled as the API returns it.
 *
 * @example
 * ```ts
 * if (snapshot.value === UetTagTrackingStatus.Inactive) alert('check the tag');
 * ```
 * @see {@link uetTagTrackingStatusMeanings}
 */
export const UetTagTrackingStatus = {
  Unverified: 'Unverified',
  Active: 'Active',
  Inactive: 'Inactive',
} as const;

/** One value of {@link UetTagTrackingStatus}. */
export type UetTagTrackingStatus = (typeof UetTagTrackingStatus)[keyof typeof UetTagTrackingStatus];

/**
 * The documented meaning of each tag status, short enough for a CLI or a UI.
 *
 * @example
 * ```ts
 * console.log(uetTagTrackingStatusMeanings.Inactive);
 * ```
 */
export const uetTagTrackingStatusMeanings: Readonly<Record<UetTagTrackingStatus, string>> = {
  Unverified:
    'No activity data has ever been received from the tag. Verification can take up to 24 hours; if it stays, the tag code is missing from the site or set up wrongly.',
  Active: 'The tag is working and sending activity data.',
  Inactive:
    'No activity data received from the tag in the last 24 hours; check that the tag code is still on the site.',
};

/**
 * True only for a value of {@link UetTagTrackingStatus}, spelled exactly.
 *
 * @example
 * ```ts
 * isUetTagTrackingStatus('Active'); // true
 * isUetTagTrackingStatus('active'); // false
 * ```
 */
export const isUetTagTrackingStatus = createValueGuard(UetTagTrackingStatus);
