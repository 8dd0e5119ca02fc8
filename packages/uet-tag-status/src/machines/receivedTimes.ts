/**
 * The first of the times received so far, once `at` is received too: how a tag keeps
 * its first data time (SPEC R7, D1). The machines' `recordActivity` action uses it, and so
 * does everything that moves data times without a machine step.
 *
 * @example
 * ```ts
 * earliestReceived(undefined, 5); // 5
 * earliestReceived(3, 5); // 3
 * ```
 */
export function earliestReceived(current: number | undefined, at: number): number {
  return current === undefined || at < current ? at : current;
}

/**
 * The latest of the times received so far, once `at` is received too: a late input never
 * moves it back (SPEC D1). How a tag keeps its last data time and a goal its last
 * conversion time.
 *
 * @example
 * ```ts
 * latestReceived(undefined, 5); // 5
 * latestReceived(9, 5); // 9
 * ```
 */
export function latestReceived(current: number | undefined, at: number): number {
  return current === undefined || at > current ? at : current;
}
