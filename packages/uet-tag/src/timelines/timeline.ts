import type {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  StatusChange,
  TrackingWindows,
  UetTagTrackingStatus,
} from 'uet-tag-status';

/** A tag's or a goal's status. */
export type TrackingStatus = UetTagTrackingStatus | ConversionGoalTrackingStatus;

/** A span of time `[from, to)` in one status, UTC epoch ms. */
export interface StatusInterval {
  readonly status: TrackingStatus;
  readonly from: number;
  readonly to: number;
}

/** What a timeline is about: a tag, or one goal of a tag. */
export interface TimelineSubject {
  /** The tag's id. */
  readonly tagId: string;
  /** The goal's id; absent for the tag itself. */
  readonly goalId?: string;
  /** The goal's type; absent for the tag itself. */
  readonly goalType?: ConversionGoalType;
}

/** How a tag or goal fared over a span of time: its change count and time in each status. */
export interface SubjectSummary extends TimelineSubject {
  /** How many times the status changed. */
  readonly changes: number;
  /** Total ms spent in each status that occurred. */
  readonly timeInStatus: Readonly<Partial<Record<TrackingStatus, number>>>;
}

/** The status history of a tag or goal over a span of time, with its summary. */
export interface SubjectTimeline extends SubjectSummary {
  /** Consecutive intervals covering `[from, to)` exactly, in time order. */
  readonly intervals: readonly StatusInterval[];
}

/**
 * What a simulation or a replay yields: the timelines and changes of tags and goals over
 * a stretch of time.
 */
export interface TimelineReport {
  /** The stretch's start, UTC epoch ms. */
  readonly start: number;
  /** The stretch's end, UTC epoch ms: the last statuses are those at this time. */
  readonly end: number;
  /** The windows used. */
  readonly windows: TrackingWindows;
  /** Each tag's timeline followed by its goals'. */
  readonly timelines: readonly SubjectTimeline[];
  /** Every status change, tag by tag, each in effective-time order. */
  readonly changes: readonly StatusChange[];
}

/**
 * Builds a subject's timeline from its status at `from` and its changes in effective-time
 * order (SPEC D5), up to `to`. Every change makes a new interval, even a zero-length one,
 * so no change is hidden; `changes` counts them.
 *
 * @example
 * ```ts
 * buildTimeline({ tagId: 't' }, 'Unverified', 0, [
 *   { kind: 'tag', tagId: 't', from: 'Unverified', to: 'Active', effectiveAt: 10, noticedAt: 10 },
 * ], 100).intervals;
 * // [{ status: 'Unverified', from: 0, to: 10 }, { status: 'Active', from: 10, to: 100 }]
 * ```
 */
export function buildTimeline(
  subject: TimelineSubject,
  initialStatus: TrackingStatus,
  from: number,
  changes: readonly Pick<StatusChange, 'from' | 'to' | 'effectiveAt'>[],
  to: number,
): SubjectTimeline {
  const intervals: StatusInterval[] = [];
  let status = initialStatus;
  let since = from;
  for (const change of changes) {
    if (change.from !== status) {
      throw new Error(
        `internal: ${subjectLabel(subject)} changed from ${change.from} while ${status} at ${change.effectiveAt}`,
      );
    }
    const at = Math.min(Math.max(change.effectiveAt, since), to);
    intervals.push({ status, from: since, to: at });
    status = change.to;
    since = at;
  }
  intervals.push({ status, from: since, to: Math.max(since, to) });
  const timeInStatus: Partial<Record<TrackingStatus, number>> = {};
  for (const interval of intervals) {
    timeInStatus[interval.status] =
      (timeInStatus[interval.status] ?? 0) + interval.to - interval.from;
  }
  return { ...subject, intervals, changes: changes.length, timeInStatus };
}

/**
 * A subject's label: the tag id, or `tag/goal` for a goal.
 *
 * @example
 * ```ts
 * subjectLabel({ tagId: 'shop', goalId: 'signup' }); // 'shop/signup'
 * ```
 */
export function subjectLabel(subject: TimelineSubject): string {
  return subject.goalId === undefined ? subject.tagId : `${subject.tagId}/${subject.goalId}`;
}
