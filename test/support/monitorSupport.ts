import type { RuntimeClock } from '../../src/runtime/clock.js';

/**
 * A test clock whose wall time can step back, like a real one after an NTP correction,
 * while its timers run on elapsed (monotonic) time, as Node's do.
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
