import type { GoalStatusReport, TagStatusReport, TrackingWindows } from 'uet-tag-status';
import { isoTime } from 'uet-tag-status';
import { goalStatusLapses, tagStatusLapses, windowEndOf } from 'uet-tag-status/engine';

/**
 * When an `Active` tag turns `Inactive` if nothing arrives (SPEC R4): its last data plus
 * the activity window; `undefined` for a tag in any other status.
 *
 * @example
 * ```ts
 * nextDeadlineOf(monitor.status('5'), monitor.windows.activityWindowMs);
 * ```
 */
export function nextDeadlineOf(
  report: TagStatusReport,
  activityWindowMs: number,
): number | undefined {
  if (!tagStatusLapses(report.status) || report.lastDataAt === undefined) return undefined;
  return windowEndOf(report.lastDataAt, activityWindowMs);
}

/**
 * When a goal `RecordingConversions` stops recording if no conversion arrives (SPEC G3):
 * its last conversion plus the conversion window; `undefined` otherwise.
 */
export function goalDeadlineOf(
  goal: GoalStatusReport,
  conversionWindowMs: number,
): number | undefined {
  if (!goalStatusLapses(goal.status) || goal.lastConversionAt === undefined) return undefined;
  return windowEndOf(goal.lastConversionAt, conversionWindowMs);
}

/** A time as the service writes it: ISO 8601 UTC, or null. */
function timeOf(at: number | undefined): string | null {
  return at === undefined ? null : isoTime(at);
}

/** A goal as the service's queries answer it. */
export interface GoalView {
  readonly goalId: string;
  readonly goalType: string;
  readonly status: string;
  readonly since: string | null;
  readonly lastConversion: string | null;
  /** When the goal stops `RecordingConversions` if no conversion arrives. */
  readonly nextDeadline: string | null;
}

/** A tag as the service's queries answer it. */
export interface TagView {
  readonly tagId: string;
  readonly status: string;
  /** When the current status took effect. */
  readonly since: string | null;
  readonly lastData: string | null;
  /** "Inactive at this time if nothing arrives", for an `Active` tag. */
  readonly nextDeadline: string | null;
  readonly tagAvailable: boolean;
  readonly goals: readonly GoalView[];
}

/**
 * A tag's status report as JSON for the service's answers, times in ISO 8601 UTC.
 *
 * @example
 * ```ts
 * tagViewOf(monitor.status('5'), monitor.windows).nextDeadline; // '2024-03-02T09:00:00.000Z'
 * ```
 */
export function tagViewOf(report: TagStatusReport, windows: TrackingWindows): TagView {
  return {
    tagId: report.tagId,
    status: report.status,
    since: timeOf(report.since),
    lastData: timeOf(report.lastDataAt),
    nextDeadline: timeOf(nextDeadlineOf(report, windows.activityWindowMs)),
    tagAvailable: report.tagAvailable,
    goals: report.goals.map((goal) => goalViewOf(goal, windows)),
  };
}

/**
 * A goal's status report as JSON for the service's answers, times in ISO 8601 UTC.
 *
 * @example
 * ```ts
 * goalViewOf(monitor.status('5').goals[0], monitor.windows).status; // 'RecordingConversions'
 * ```
 */
export function goalViewOf(goal: GoalStatusReport, windows: TrackingWindows): GoalView {
  return {
    goalId: goal.goalId,
    goalType: goal.goalType,
    status: goal.status,
    since: timeOf(goal.since),
    lastConversion: timeOf(goal.lastConversionAt),
    nextDeadline: timeOf(goalDeadlineOf(goal, windows.conversionWindowMs)),
  };
}
