/**
 * Whether `time` lies in the window of `windowMs` before `now`, the half-open interval
 * `(now - windowMs, now]` of SPEC T4: data at `t` is recent until `t + windowMs - 1` and
 * no longer at `t + windowMs`.
 *
 * @example
 * ```ts
 * isWithinWindow(0, 86_399_999, 86_400_000); // true
 * isWithinWindow(0, 86_400_000, 86_400_000); // false
 * ```
 */
export function isWithinWindow(time: number, now: number, windowMs: number): boolean {
  return now < windowEndOf(time, windowMs);
}

/**
 * The instant at which data received at `time` stops being recent, for a window of
 * `windowMs`: when a tag lapses to `Inactive` after its last data (SPEC R4), or a goal to
 * `NoRecentConversions` after its last conversion (G3). The effective time of those
 * changes (D5).
 *
 * @example
 * ```ts
 * windowEndOf(1_000, 86_400_000); // 86_401_000
 * ```
 */
export function windowEndOf(time: number, windowMs: number): number {
  return time + windowMs;
}

/**
 * The time whose window of `windowMs` ends at `end`: the inverse of {@link windowEndOf},
 * for code that places a time just before, at or after where another's window ends.
 *
 * @example
 * ```ts
 * windowStartOf(86_401_000, 86_400_000); // 1_000
 * ```
 */
export function windowStartOf(end: number, windowMs: number): number {
  return end - windowMs;
}
