import { windowEndOf } from '../machines/windowArithmetic.js';
import type { TagFacts } from './tagFacts.js';

/** Slot number of "no time". */
export const NO_SLOT = -1;
/** Time slots of the event and the tag: the event's `at` and `now`, then the tag's three times. */
export const TAG_SLOTS = 5;
/** Time slots of each goal: its latest conversion, its decision, its latest change. */
export const GOAL_SLOTS = 3;

/**
 * The times a machine step of one tag reads, by slot (the event's `at` and `now`, the
 * tag's first and last data and latest change, each goal's latest conversion, decision
 * and change; NaN for none), and the order of those times and of each plus each window,
 * as ranks (ties share a rank, -1 for none). Two tags whose ranks are equal compare every
 * time, and every time plus a window, the same way. Reused from step to step: typed
 * arrays, grown when a tag has more goals.
 *
 * @example
 * ```ts
 * const ranks = new TimeRanks();
 * const slots = ranks.fillWithWindows(facts, event.at, Number.NaN, DAY_MS, 7 * DAY_MS);
 * ranks.rankFilled(slots);
 * ranks.ranks.subarray(0, 3 * slots); // the tag's kind, as far as times go
 * ```
 */
export class TimeRanks {
  /** The slot times, then each slot plus the activity window, then plus the conversion window. */
  times = new Float64Array(3 * (TAG_SLOTS + 4 * GOAL_SLOTS));
  /** The rank of each of {@link TimeRanks.times}. */
  ranks = new Int32Array(this.times.length);
  private order = new Int32Array(this.times.length);
  /** The defined slots, in the order of their times (see {@link TimeRanks.rankFilled}). */
  private sorted = new Int32Array(TAG_SLOTS + 4 * GOAL_SLOTS);

  /** How many of the slot times {@link TimeRanks.fill} filled in last are defined. */
  private definedSlots = 0;

  /** Fills the slot times (NaN for none); returns how many slots the tag has. */
  fill(facts: TagFacts, at: number, now: number): number {
    const slots = TAG_SLOTS + GOAL_SLOTS * facts.goals.length;
    if (this.times.length < 3 * slots) {
      this.times = new Float64Array(3 * slots);
      this.order = new Int32Array(3 * slots);
      this.ranks = new Int32Array(3 * slots);
      this.sorted = new Int32Array(slots);
    }
    const { times } = this;
    times[0] = at;
    times[1] = now;
    times[2] = facts.firstDataAt ?? Number.NaN;
    times[3] = facts.lastDataAt ?? Number.NaN;
    times[4] = facts.changedAt ?? Number.NaN;
    let slot = TAG_SLOTS;
    for (const goal of facts.goals) {
      times[slot] = goal.lastConversionAt ?? Number.NaN;
      times[slot + 1] = goal.decidedAt;
      times[slot + 2] = goal.changedAt ?? Number.NaN;
      slot += GOAL_SLOTS;
    }
    let defined = 0;
    for (slot = 0; slot < slots; slot++) if (!Number.isNaN(times[slot])) defined += 1;
    this.definedSlots = defined;
    return slots;
  }

  /**
   * Fills the slot times and each plus each window (NaN for none); returns how many slots
   * the tag has.
   */
  fillWithWindows(
    facts: TagFacts,
    at: number,
    now: number,
    activityWindowMs: number,
    conversionWindowMs: number,
  ): number {
    const slots = this.fill(facts, at, now);
    const { times } = this;
    for (let slot = 0; slot < slots; slot++) {
      const time = times[slot] as number;
      times[slots + slot] = windowEndOf(time, activityWindowMs);
      times[2 * slots + slot] = windowEndOf(time, conversionWindowMs);
    }
    return slots;
  }

  /**
   * Ranks the times {@link TimeRanks.fillWithWindows} filled in for `slots` slots into
   * {@link TimeRanks.ranks}. Each window end is its slot's time plus one constant, and
   * adding a constant keeps the order of doubles (ties may appear, never inversions): so
   * only the slot times are sorted, and the three runs (times, plus each window) merged.
   */
  rankFilled(slots: number): void {
    const { times, order, ranks, sorted } = this;
    // The defined slot times, sorted by insertion (a few dozen at most; stable, as ties go).
    const base = 2 * slots;
    let count = 0;
    for (let slot = 0; slot < slots; slot++) {
      const time = times[slot] as number;
      if (Number.isNaN(time)) {
        ranks[slot] = NO_SLOT;
        ranks[slots + slot] = NO_SLOT;
        ranks[base + slot] = NO_SLOT;
        continue;
      }
      let position = count;
      while (position > 0 && (times[sorted[position - 1] as number] as number) > time) {
        sorted[position] = sorted[position - 1] as number;
        position -= 1;
      }
      sorted[position] = slot;
      count += 1;
    }
    // The three sorted runs merged into `order` (on a tie, the earlier run first: the order
    // of a stable sort of all the times), and ranked.
    let first = 0;
    let second = 0;
    let third = 0;
    let rank = -1;
    let previous = Number.NaN;
    for (let position = 0; position < 3 * count; position++) {
      const a = first < count ? (times[sorted[first] as number] as number) : Infinity;
      const b = second < count ? (times[slots + (sorted[second] as number)] as number) : Infinity;
      const c = third < count ? (times[base + (sorted[third] as number)] as number) : Infinity;
      let index: number;
      let time: number;
      if (first < count && a <= b && a <= c) {
        index = sorted[first] as number;
        time = a;
        first += 1;
      } else if (second < count && b <= c) {
        index = slots + (sorted[second] as number);
        time = b;
        second += 1;
      } else {
        index = base + (sorted[third] as number);
        time = c;
        third += 1;
      }
      if (time !== previous) rank += 1;
      previous = time;
      ranks[index] = rank;
      order[position] = index;
    }
    this.defined = 3 * count;
  }

  /** How many times the last {@link TimeRanks.rankFilled} found defined. */
  private defined = 0;

  /**
   * The order of the times ranked last (their indices, earliest first) and, by position,
   * 1 where a time equals the one before it: what {@link TimeRanks.follows} checks.
   */
  orderAndTies(): { readonly order: Int32Array; readonly ties: Uint8Array } {
    const { times } = this;
    const order = this.order.slice(0, this.defined);
    const ties = new Uint8Array(order.length);
    for (let position = 1; position < order.length; position++) {
      if (times[order[position] as number] === times[order[position - 1] as number]) {
        ties[position] = 1;
      }
    }
    return { order, ties };
  }

  /**
   * Whether the times filled in last rank as those of `order` and `ties` did
   * (the same times defined, in that order, with the same ties): checked in one pass,
   * without sorting.
   */
  follows(order: Int32Array, ties: Uint8Array): boolean {
    // A slot's two window ends are defined exactly when it is.
    const defined = 3 * this.definedSlots;
    if (defined !== order.length) return false;
    if (defined === 0) return true;
    const { times } = this;
    let previous = times[order[0] as number] as number;
    if (Number.isNaN(previous)) return false;
    for (let position = 1; position < defined; position++) {
      const time = times[order[position] as number] as number;
      if (ties[position] === 1 ? time !== previous : !(time > previous)) return false;
      previous = time;
    }
    return true;
  }
}
