import { createValueGuard } from './valueSet.js';

/**
 * The `ConversionGoalType` value set of the Microsoft Advertising Campaign Management API.
 *
 * @example
 * ```ts
 * runtime.attachGoal({ goalId: 'signup', goalType: ConversionGoalType.Url });
 * ```
 * @see {@link isTagBasedGoalType}
 */
export const ConversionGoalType = {
  Url: 'Url',
  Duration: 'Duration',
  PagesViewedPerVisit: 'PagesViewedPerVisit',
  Event: 'Event',
  AppInstall: 'AppInstall',
  OfflineConversion: 'OfflineConversion',
  InStoreTransaction: 'InStoreTransaction',
} as const;

/** One value of {@link ConversionGoalType}. */
export type ConversionGoalType = (typeof ConversionGoalType)[keyof typeof ConversionGoalType];

/**
 * What each goal type counts, and whether it belongs to a UET tag (SPEC G1, G5).
 *
 * @example
 * ```ts
 * console.log(conversionGoalTypeMeanings.AppInstall);
 * ```
 */
export const conversionGoalTypeMeanings: Readonly<Record<ConversionGoalType, string>> = {
  Url: 'A visit to a page whose URL matches; tracked through the UET tag.',
  Duration: 'A visit that lasts at least a given time; tracked through the UET tag.',
  PagesViewedPerVisit:
    'A visit that views at least a given number of pages; tracked through the UET tag.',
  Event: 'A custom event sent by the UET tag; tracked through the UET tag.',
  AppInstall: 'An app installation; no UET tag involved.',
  OfflineConversion: 'A conversion imported from offline data; no UET tag involved.',
  InStoreTransaction: 'An in-store purchase; no UET tag involved.',
};

/**
 * True only for a value of {@link ConversionGoalType}, spelled exactly.
 *
 * @example
 * ```ts
 * isConversionGoalType('Event'); // true
 * ```
 */
export const isConversionGoalType = createValueGuard(ConversionGoalType);

const tagBasedGoalTypes: ReadonlySet<ConversionGoalType> = new Set([
  ConversionGoalType.Url,
  ConversionGoalType.Duration,
  ConversionGoalType.PagesViewedPerVisit,
  ConversionGoalType.Event,
]);

/**
 * True for goal types that belong to a UET tag (SPEC G1); false for `AppInstall`,
 * `OfflineConversion` and `InStoreTransaction`, which have no tag (SPEC G5).
 *
 * @example
 * ```ts
 * isTagBasedGoalType('Url'); // true
 * isTagBasedGoalType('AppInstall'); // false
 * ```
 */
export function isTagBasedGoalType(goalType: ConversionGoalType): boolean {
  return tagBasedGoalTypes.has(goalType);
}
