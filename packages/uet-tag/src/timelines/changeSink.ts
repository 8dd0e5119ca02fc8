import type { TimelineSubject, TrackingStatus } from './timeline.js';

/**
 * Receives a processor's status changes as they are noticed, as plain fields (no record
 * is made): a compact log of millions of changes writes them straight into its arrays.
 */
export interface ChangeSink {
  /**
   * One change of the processor's subject `subject`: 0 for the tag, `n` for its `n`-th
   * goal attachment (the order of `TagProcessor.spans`).
   */
  addChange(
    subject: number,
    from: TrackingStatus,
    to: TrackingStatus,
    effectiveAt: number,
    noticedAt: number,
  ): void;
}

/** A tag's or goal's span of history: what it is, from when in which status, until when. */
export interface SubjectSpan {
  readonly subject: TimelineSubject;
  /** Its status when its history starts (the tag's creation, the goal's attachment). */
  readonly status: TrackingStatus;
  readonly from: number;
  /** Its history's end: the horizon's end, or the goal's detachment. */
  readonly to: number;
}
