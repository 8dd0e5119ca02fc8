import {
  type DueSilence,
  isTagSilenceAt,
  nextSilence,
  nextSilenceAt,
} from '../engine/nextSilence.js';
import type { TagFacts } from '../engine/tagFacts.js';
import type { TagEvent } from '../machines/types.js';
import { MAX_TIMER_DELAY_MS, type RuntimeClock } from '../runtime/clock.js';
import type { TrackingWindows } from '../windows.js';
import { DeadlineHeap } from './DeadlineHeap.js';
import { DueSorter } from './DueSorter.js';
import type { TagTable } from './TagTable.js';

/** How many due entries {@link SilenceScheduler.fireDue} takes off the heap (or reads ahead) at a time. */
const DUE_RUN = 256;
/** The fewest deadlines for which a storm's due ones are taken off the heap all at once. */
const BULK_FROM = 4_096;
/** The most due entries whose sorted columns are kept for the next storm. */
const BULK_KEPT = 65_536;

/**
 * Applies one due silence to a tag (as a full machine step), noticed at `now`: must change
 * a status, and leave `facts` (the tag's view) as it stored them.
 */
export type ApplySilence = (no: number, facts: TagFacts, event: TagEvent, now: number) => void;

/**
 * Reads what applying the silences of tags `tags[from..to)` will touch, ahead, in one
 * tight loop (see `TagTable.warm`); returns a number made of what it read.
 */
export type WarmTags = (tags: Int32Array, from: number, to: number) => number;

/**
 * Applies the silence of tag `no`, due at `key` (its key), noticed at `now`, on a fast
 * path when it can: returns the tag's next silence after it (`Infinity` for none), or NaN
 * when it did nothing (then the general path runs).
 */
export type FireSilenceFast = (no: number, key: number, now: number) => number;

/** How a monitor applies due silences: in general, and its shortcuts for storms. */
export interface SilenceTarget {
  readonly apply: ApplySilence;
  readonly warm: WarmTags;
  readonly fireFast: FireSilenceFast;
  /** About `count` silences are about to fire (a storm's, taken off the heap at once). */
  expect(count: number): void;
}

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
 * scheduler.fireDue(now, windows, Infinity, silenceApplier); // a SilenceTarget
 * scheduler.arm(now, onTimer);
 * ```
 */
export class SilenceScheduler {
  private readonly heap = new DeadlineHeap();
  /** The run of due entries taken off the heap (see {@link SilenceScheduler.fireDue}). */
  private readonly dueTags = new Int32Array(DUE_RUN);
  private readonly dueKeys = new Float64Array(DUE_RUN);
  /** A storm's due entries, taken off the heap at once and sorted (see {@link SilenceScheduler.fireDue}). */
  private readonly sorter = new DueSorter();
  /** The event of a tag's own silence, reused (see {@link SilenceScheduler.silenceEventOf}). */
  private readonly tagSilence = { type: 'tag.silenceElapsed' as const, at: 0 };
  /**
   * A number made of what the last {@link WarmTags} read, of no meaning: stored, so that
   * the compiler keeps those reads.
   */
  readAheadSum = 0;
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
    const at = nextSilenceAt(this.table.view(no), windows);
    if (at === Number.POSITIVE_INFINITY) this.heap.delete(no);
    else this.heap.set(no, at);
  }

  /** Forgets tag `no` (it was removed). */
  remove(no: number): void {
    this.heap.delete(no);
  }

  /**
   * Fires the silences due by `now` (all of them, or the first `limit`) through `target`,
   * in effective-time order; returns how many fired. When many deadlines are due at once
   * (a storm: a quarter or more of them), they are all taken off the heap together,
   * sorted (`DeadlineHeap.takeAllDue`); else due entries are popped a run at a time, in
   * one tight loop (the heap's top stays in cache). Either way they are fired in order,
   * a run at a time with the run's tags read ahead, each after any silence an earlier
   * one made due before it.
   */
  fireDue(now: number, windows: TrackingWindows, limit: number, target: SilenceTarget): number {
    let fired = 0;
    const { heap, dueTags, dueKeys, sorter } = this;
    if (heap.size >= BULK_FROM && heap.peekDeadline() <= now && heap.isMostlyDue(now)) {
      const due = heap.takeAllDue(now, sorter);
      target.expect(Math.min(due, limit));
      fired = this.fireInOrder(
        sorter.tags,
        sorter.deadlines,
        due,
        fired,
        now,
        windows,
        limit,
        target,
      );
      if (due > BULK_KEPT) sorter.release();
    }
    while (fired < limit && heap.peekDeadline() <= now) {
      const taken = heap.popDue(now, dueTags, dueKeys, Math.min(DUE_RUN, limit - fired));
      fired = this.fireInOrder(dueTags, dueKeys, taken, fired, now, windows, limit, target);
    }
    return fired;
  }

  /**
   * Fires the `count` entries taken off the heap (`tags` and their `keys`, in order), each
   * after any earlier silence on the heap, until `limit` silences fired in all (counting
   * the `fired` before); puts the rest back then. Returns the silences fired in all.
   */
  private fireInOrder(
    tags: Int32Array,
    keys: Float64Array,
    count: number,
    firedBefore: number,
    now: number,
    windows: TrackingWindows,
    limit: number,
    target: SilenceTarget,
  ): number {
    const { heap } = this;
    let fired = firedBefore;
    for (let from = 0; from < count; from += DUE_RUN) {
      const to = Math.min(count, from + DUE_RUN);
      this.readAheadSum = target.warm(tags, from, to);
      for (let index = from; index < to; index++) {
        const no = tags[index] as number;
        const key = keys[index] as number;
        while (fired < limit && heap.isFirstBefore(key, no)) {
          fired += this.fireFirst(now, windows, target);
        }
        if (fired >= limit) {
          for (let rest = index; rest < count; rest++) {
            heap.set(tags[rest] as number, keys[rest] as number);
          }
          return fired;
        }
        fired += this.fireTaken(no, key, now, windows, target);
      }
    }
    return fired;
  }

  /** Fires the heap's first silence if it is due as keyed (else corrects its key); 1 if fired. */
  private fireFirst(now: number, windows: TrackingWindows, target: SilenceTarget): number {
    const no = this.heap.peekTag();
    const key = this.heap.peekDeadline();
    this.heap.pop();
    return this.fireTaken(no, key, now, windows, target);
  }

  /**
   * Fires the silence of tag `no`, taken off the heap with key `key`, when it is due then
   * (the key may be early: activity moved it later), and keys the tag again by what is
   * next; 1 if it fired.
   */
  private fireTaken(
    no: number,
    key: number,
    now: number,
    windows: TrackingWindows,
    target: SilenceTarget,
  ): number {
    const fastNext = target.fireFast(no, key, now);
    if (!Number.isNaN(fastNext)) {
      if (fastNext !== Number.POSITIVE_INFINITY) this.heap.set(no, fastNext);
      return 1;
    }
    const facts = this.table.view(no);
    const at = nextSilenceAt(facts, windows);
    if (at === Number.POSITIVE_INFINITY) return 0;
    if (at !== key) {
      this.heap.set(no, at);
      return 0;
    }
    target.apply(no, facts, this.silenceEventOf(facts, at, windows), now);
    // `facts` is what `apply` left, and stored.
    const next = nextSilenceAt(facts, windows);
    if (next !== Number.POSITIVE_INFINITY) this.heap.set(no, next);
    return 1;
  }

  /**
   * The event of the silence of `facts` due at `at` (`nextSilence`'s): for the tag's own
   * silence, the one record this scheduler reuses (a storm fires a million; the step reads
   * it and keeps nothing of it), else a new one.
   */
  private silenceEventOf(facts: TagFacts, at: number, windows: TrackingWindows): TagEvent {
    if (isTagSilenceAt(facts, windows, at)) {
      this.tagSilence.at = at;
      return this.tagSilence;
    }
    return (nextSilence(facts, windows) as DueSilence).event;
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
