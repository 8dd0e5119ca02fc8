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

  /** Fills the slot times (NaN for none); returns how many slots the tag has. */
  fill(facts: TagFacts, at: number, now: number): number {
    const slots = TAG_SLOTS + GOAL_SLOTS * facts.goals.length;
    if (this.times.length < 3 * slots) {
      this.times = new Float64Array(3 * slots);
      this.order = new Int32Array(3 * slots);
      this.ranks = new Int32Array(3 * slots);
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

  /** Ranks the times filled in for `slots` slots into {@link TimeRanks.ranks}. */
  rankFilled(slots: number): void {
    const { times, order, ranks } = this;
    // The defined values, sorted by insertion (a few dozen at most), then ranked.
    let count = 0;
    for (let index = 0; index < 3 * slots; index++) {
      const time = times[index] as number;
      if (Number.isNaN(time)) {
        ranks[index] = NO_SLOT;
        continue;
      }
      let position = count;
      while (position > 0 && (times[order[position - 1] as number] as number) > time) {
        order[position] = order[position - 1] as number;
        position -= 1;
      }
      order[position] = index;
      count += 1;
    }
    let rank = 0;
    for (let position = 0; position < count; position++) {
      const index = order[position] as number;
      if (position > 0 && times[index] !== times[order[position - 1] as number]) rank += 1;
      ranks[index] = rank;
    }
    this.defined = count;
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
   * Whether the times filled in for `slots` slots rank as those of `order` and `ties` did
   * (the same times defined, in that order, with the same ties): checked in one pass,
   * without sorting.
   */
  follows(order: Int32Array, ties: Uint8Array, slots: number): boolean {
    const { times } = this;
    // A slot's two window ends are defined exactly when it is.
    let defined = 0;
    for (let slot = 0; slot < slots; slot++) if (!Number.isNaN(times[slot])) defined += 3;
    if (defined !== order.length) return false;
    if (defined === 0) return true;
    let previous = times[order[0] as number] as number;
    if (Number.isNaN(previous)) return false;
    for (let position = 1; position < order.length; position++) {
      const time = times[order[position] as number] as number;
      if (ties[position] === 1 ? time !== previous : !(time > previous)) return false;
      previous = time;
    }
    return true;
  }
}
