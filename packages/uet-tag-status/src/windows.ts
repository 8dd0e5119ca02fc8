import { TrackingInputError } from './TrackingInputError.js';

/**
 * The two silences of the model (SPEC T2), in milliseconds.
 */
export interface TrackingWindows {
  /**
   * How long a tag may go without activity before it turns `Inactive`.
   * @default 86_400_000 (24 hours)
   */
  readonly activityWindowMs: number;
  /**
   * How far back a conversion keeps a goal `RecordingConversions`.
   * @default 604_800_000 (7 days)
   */
  readonly conversionWindowMs: number;
}

/** One hour in milliseconds. */
export const HOUR_MS = 3_600_000;
/** One day in milliseconds. */
export const DAY_MS = 24 * HOUR_MS;

/**
 * The longest window the model takes: 100 years of 365.25 days (SPEC T2), so that every
 * deadline (a time plus a window, D5) is still a time a `Date` can hold.
 */
export const MAX_WINDOW_MS = 36_525 * DAY_MS;

/**
 * The latest time the model takes (SPEC T1): the last instant a JavaScript `Date` can hold
 * (8.64e15 ms after the epoch, in the year 275760) less {@link MAX_WINDOW_MS}, so that a
 * deadline after it can still be written as a date. Times are UTC epoch milliseconds from
 * 0 (1970-01-01T00:00:00.000Z) to this.
 *
 * @example
 * ```ts
 * new Date(MAX_TIME_MS).toISOString(); // '+275660-09-12T00:00:00.000Z'
 * ```
 */
export const MAX_TIME_MS = 8_640_000_000_000_000 - MAX_WINDOW_MS;

/**
 * The documented windows: 24 hours of activity, 7 days of conversions (SPEC T2).
 *
 * @example
 * ```ts
 * DEFAULT_WINDOWS.activityWindowMs; // 86_400_000
 * ```
 */
export const DEFAULT_WINDOWS: TrackingWindows = {
  activityWindowMs: DAY_MS,
  conversionWindowMs: 7 * DAY_MS,
};

/**
 * Fills missing windows with the SPEC defaults and checks each one is a positive
 * integer number of milliseconds, at most {@link MAX_WINDOW_MS}.
 *
 * @example
 * ```ts
 * resolveWindows({ activityWindowMs: 3_600_000 }); // 1 h activity, 7 d conversions
 * ```
 * @throws {@link TrackingInputError} with code `invalidOption` naming the bad window.
 */
export function resolveWindows(windows: Partial<TrackingWindows> = {}): TrackingWindows {
  const resolved = { ...DEFAULT_WINDOWS, ...definedOnly(windows) };
  for (const field of ['activityWindowMs', 'conversionWindowMs'] as const) {
    const value = resolved[field];
    if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_WINDOW_MS) {
      throw new TrackingInputError(
        'invalidOption',
        field,
        value,
        `a positive integer of ms, at most ${MAX_WINDOW_MS} (100 years)`,
      );
    }
  }
  return resolved;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
