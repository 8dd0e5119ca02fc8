import { SimulatedClock } from 'xstate';
import type { RuntimeClock } from '../../packages/uet-tag-status/src/runtime/clock.js';

/**
 * The tests' clocks. Time in tests is always injected, never real timers and never sleeps
 * (except the few tests that run real processes).
 */

/**
 * XState's `SimulatedClock`, set to `start`.
 *
 * @example
 * ```ts
 * const clock = simulatedClockAt(Date.UTC(2024, 0, 1));
 * clock.increment(86_400_000);
 * ```
 */
export function simulatedClockAt(start: number): SimulatedClock {
  const clock = new SimulatedClock();
  clock.set(start);
  return clock;
}

/**
 * A clock whose wall time can step back or forward, like a real one after an NTP
 * correction, while its timers run on elapsed (monotonic) time, as Node's do. Unlike
 * `SimulatedClock`, {@link SteppingClock.advance} also runs the timers that the timers it
 * runs set, when they fall due within the same advance.
 *
 * @example
 * ```ts
 * const clock = new SteppingClock(T0);
 * clock.stepWall(-60_000); // the wall clock is set back a minute
 * clock.advance(1_000); // a second elapses; due timers fire in order
 * ```
 */
export class SteppingClock implements RuntimeClock {
  private elapsed = 0;
  private offset: number;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start: number) {
    this.offset = start;
  }

  now(): number {
    return this.offset + this.elapsed;
  }

  setTimeout(fn: () => void, timeout: number): unknown {
    const id = this.nextId;
    this.nextId += 1;
    this.timers.set(id, { due: this.elapsed + timeout, fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  /** Moves the wall time by `delta` ms (negative: back) without any time elapsing. */
  stepWall(delta: number): void {
    this.offset += delta;
  }

  /** Lets `ms` elapse, firing due timers in order. */
  advance(ms: number): void {
    const target = this.elapsed + ms;
    for (;;) {
      let first: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].due <= target && (first === undefined || entry[1].due < first[1].due)) {
          first = entry;
        }
      }
      if (first === undefined) break;
      this.timers.delete(first[0]);
      this.elapsed = Math.max(this.elapsed, first[1].due);
      first[1].fn();
    }
    this.elapsed = target;
  }
}
