/** Receives an error that no caller can be given. */
export type ErrorHandler = (error: unknown) => void;

/**
 * Hands an error that has no caller to go to (a listener that threw, a failure while a
 * timer fired) to `onError`, or, without one, throws it from a microtask, so that it
 * surfaces as an uncaught error instead of vanishing, and the code that found it goes on.
 * The one policy of the runtime and the monitor.
 *
 * @example
 * ```ts
 * reportError(new Error('listener failed'), (error) => console.error(error));
 * ```
 */
export function reportError(error: unknown, onError: ErrorHandler | undefined): void {
  if (onError !== undefined) {
    onError(error);
    return;
  }
  queueMicrotask(() => {
    throw error;
  });
}

/**
 * Tells every listener about `value`. A listener that throws stops neither the others
 * nor the caller: its error goes to {@link reportError}.
 *
 * @example
 * ```ts
 * notifyListeners(listeners, change, options.onError);
 * ```
 */
export function notifyListeners<T>(
  listeners: Iterable<(value: T) => void>,
  value: T,
  onError: ErrorHandler | undefined,
): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (error) {
      reportError(error, onError);
    }
  }
}
