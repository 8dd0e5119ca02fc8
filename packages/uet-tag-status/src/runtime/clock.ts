/**
 * XState's clock (the timer half) plus the current time. `SimulatedClock` from `xstate`
 * satisfies it.
 *
 * @example
 * ```ts
 * import { SimulatedClock } from 'xstate';
 * const clock: RuntimeClock = new SimulatedClock();
 * ```
 */
export interface RuntimeClock {
  /** The current time, UTC epoch ms. */
  now(): number;
  /** Calls `fn` once after `timeout` ms; returns an id for {@link RuntimeClock.clearTimeout}. */
  setTimeout(fn: () => void, timeout: number): unknown;
  /** Cancels a timer set with {@link RuntimeClock.setTimeout}. */
  clearTimeout(id: unknown): void;
}

/** The longest delay `setTimeout` honours; longer waits are re-armed in steps. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * The real clock: `Date.now()` and the host's timers.
 *
 * @example
 * ```ts
 * createTagRuntime({ tagId: '1', clock: realClock });
 * ```
 */
export const realClock: RuntimeClock = {
  now: () => Date.now(),
  setTimeout: (fn, timeout) => setTimeout(fn, timeout),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
