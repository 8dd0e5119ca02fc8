import { nextSilence } from '../engine/nextSilence.js';
import type { TagFacts } from '../engine/tagFacts.js';
import type { TagEvent } from '../machines/types.js';
import { MAX_TIMER_DELAY_MS, type RuntimeClock } from '../runtime/clock.js';
import type { TrackingWindows } from '../windows.js';
import { DeadlineHeap } from './DeadlineHeap.js';
import type { TagTable } from './TagTable.js';

/** Applies one due silence to a tag (a full machine step), noticed at `now`; must change a status. */
export type ApplySilence = (no: number, facts: TagFacts, event: TagEvent, now: number) => void;

/**
 * When the silences of a monitor's tags fall due (SPEC R4, G3), and the one host timer
 * that wakes the monitor for the earliest: one indexed deadline heap for every tag, keyed
 * by tag number. A tag's key is its earliest silence (`nextSilence`); activity on the fast
 * path only moves silences later and leaves the key as it is, so a key may be early, and
 * is corrected when it reaches the top. Silences fire in effective-time order over all
 * tags, ties by tag number.
 *
 * @example
 * ```ts
 * const scheduler = new SilenceScheduler(table, clock);
 * scheduler.rekey(no, windows); // after a tag changed
 * scheduler.fireDue(now, windows, Infinity, applySilence);
 * scheduler.arm(now, onTimer);
 * ```
 */
export class SilenceScheduler {
  private readonly heap = new DeadlineHeap();
  private timer: unknown;
  private armedFor = Number.NaN;

  constructor(
    private readonly table: TagTable,
    private readonly clock: RuntimeClock,
  ) {}

  /** The earliest key, possibly early (see above); `Infinity` when no silence is pending. */
  get earliest(): number {
    return this.heap.peekDeadline();
  }

  /** Keys tag `no` by its earliest silence, or removes it when it has none. */
  rekey(no: number, windows: TrackingWindows): void {
    const due = nextSilence(this.table.view(no), windows);
    if (due === undefined) this.heap.delete(no);
    else this.heap.set(no, due.at);
  }

  /** Forgets tag `no` (it was removed). */
  remove(no: number): void {
    this.heap.delete(no);
  }

  /**
   * Fires the silences due by `now` (all of them, or the first `limit`) through `apply`,
   * in effective-time order; returns how many fired.
   */
  fireDue(now: number, windows: TrackingWindows, limit: number, apply: ApplySilence): number {
    let fired = 0;
    const { heap, table } = this;
    while (fired < limit && heap.peekDeadline() <= now) {
      const no = heap.peekTag();
      const facts = table.view(no);
      const due = nextSilence(facts, windows);
      if (due === undefined) {
        heap.delete(no);
        continue;
      }
      if (due.at !== heap.peekDeadline()) {
        heap.set(no, due.at);
        continue;
      }
      apply(no, facts, due.event, now);
      this.rekey(no, windows);
      fired += 1;
    }
    return fired;
  }

  /**
   * Arms the host timer for the earliest key (at once when it is due by `processorNow`),
   * unless it is armed for that key already.
   */
  arm(processorNow: number, onTimer: () => void): void {
    const next = this.heap.peekDeadline();
    if (next === this.armedFor) return;
    this.disarm();
    this.armedFor = next;
    if (next === Number.POSITIVE_INFINITY) return;
    const delay =
      next <= processorNow ? 0 : Math.min(Math.max(next - this.clock.now(), 0), MAX_TIMER_DELAY_MS);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.armedFor = Number.NaN;
      onTimer();
    }, delay);
    (this.timer as { unref?: () => void } | undefined)?.unref?.();
  }

  /** Clears the host timer. */
  disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.NaN;
  }
}
