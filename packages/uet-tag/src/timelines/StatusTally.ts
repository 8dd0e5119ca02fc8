import {
  type SubjectSummary,
  subjectLabel,
  type TimelineSubject,
  type TrackingStatus,
} from './timeline.js';

/** An interval whose end was after the processor's time when it closed (input skew). */
interface PendingInterval {
  readonly status: TrackingStatus;
  readonly from: number;
  readonly to: number;
}

/**
 * A subject's timeline summary (change count, time in each status) accumulated as its
 * changes come, without keeping them: what {@link buildTimeline} would report from the
 * same changes, in O(statuses) memory. Intervals are those of `buildTimeline`: each
 * change ends the current one at the latest effective time so far, clamped to the
 * summary's end; an interval that ends after the time it closed at is held until that
 * time passes, so that an end chosen later still clamps it exactly.
 *
 * @example
 * ```ts
 * const tally = new StatusTally({ tagId: 't' }, 'Unverified', 0);
 * tally.add('Unverified', 'Active', 10, 10);
 * tally.summary(100); // { tagId: 't', changes: 1, timeInStatus: { Unverified: 10, Active: 90 } }
 * ```
 */
export class StatusTally {
  /**
   * The statuses with time so far, in the order first counted, and each one's time: two
   * small arrays searched by identity, where an object keyed by status takes a shape per
   * order of statuses and makes every update a slow, megamorphic one.
   */
  private readonly statuses: TrackingStatus[] = [];
  private readonly totals: number[] = [];
  private readonly pending: PendingInterval[] = [];
  private status: TrackingStatus;
  private since: number;
  private changes = 0;

  /** Starts the tally of `subject` in `status` at `from` (not after any later `now`). */
  constructor(
    private readonly subject: TimelineSubject,
    status: TrackingStatus,
    from: number,
  ) {
    this.status = status;
    this.since = from;
  }

  /**
   * Counts a change from `from` to `to` effective at `effectiveAt`, recorded when the
   * processor's time is `now` (every later summary end is at or after it).
   */
  add(from: TrackingStatus, to: TrackingStatus, effectiveAt: number, now: number): void {
    if (from !== this.status) {
      throw new Error(
        `internal: ${subjectLabel(this.subject)} changed from ${from} while ${this.status} at ${effectiveAt}`,
      );
    }
    if (this.pending.length > 0) this.settle(now);
    const at = Math.max(effectiveAt, this.since);
    const slot = this.slotOf(from);
    if (at <= now && this.pending.length === 0) {
      this.totals[slot] = (this.totals[slot] as number) + (at - this.since);
    } else {
      this.pending.push({ status: from, from: this.since, to: at });
    }
    this.status = to;
    this.since = at;
    this.changes++;
  }

  /** The summary up to `end` (at or after every `now` given so far), as `buildTimeline` gives it. */
  summary(end: number): SubjectSummary {
    const timeInStatus: Partial<Record<TrackingStatus, number>> = {};
    this.statuses.forEach((status, slot) => {
      timeInStatus[status] = this.totals[slot] as number;
    });
    for (const interval of this.pending) {
      timeInStatus[interval.status] =
        (timeInStatus[interval.status] ?? 0) +
        Math.min(interval.to, end) -
        Math.min(interval.from, end);
    }
    const since = Math.min(this.since, end);
    timeInStatus[this.status] = (timeInStatus[this.status] ?? 0) + Math.max(since, end) - since;
    return { ...this.subject, changes: this.changes, timeInStatus };
  }

  /** The slot of `status` in {@link StatusTally.totals}, added (with no time) if it has none. */
  private slotOf(status: TrackingStatus): number {
    const { statuses } = this;
    for (let slot = 0; slot < statuses.length; slot++) if (statuses[slot] === status) return slot;
    statuses.push(status);
    this.totals.push(0);
    return statuses.length - 1;
  }

  /** Adds the held intervals that ended by `now`, oldest first. */
  private settle(now: number): void {
    let settled = 0;
    for (const interval of this.pending) {
      if (interval.to > now) break;
      const slot = this.slotOf(interval.status);
      this.totals[slot] = (this.totals[slot] as number) + interval.to - interval.from;
      settled++;
    }
    if (settled > 0) this.pending.splice(0, settled);
  }
}
