import type { StatusChange } from 'uet-tag-status';
import { formatTime } from '../time.js';
import type { SubjectTimeline } from '../timelines/timeline.js';

/**
 * Timelines as plain JSON: times as ISO 8601 UTC strings, durations in ms.
 *
 * @example
 * ```ts
 * JSON.stringify(timelinesJson(result.timelines));
 * ```
 */
export function timelinesJson(timelines: readonly SubjectTimeline[]) {
  return timelines.map((timeline) => ({
    tagId: timeline.tagId,
    ...(timeline.goalId === undefined
      ? {}
      : { goalId: timeline.goalId, goalType: timeline.goalType }),
    changes: timeline.changes,
    timeInStatus: timeline.timeInStatus,
    intervals: timeline.intervals.map((interval) => ({
      status: interval.status,
      from: formatTime(interval.from),
      to: formatTime(interval.to),
      durationMs: interval.to - interval.from,
    })),
  }));
}

/**
 * Status changes as plain JSON, with their effective and noticed times (SPEC D5).
 *
 * @example
 * ```ts
 * JSON.stringify(changesJson(result.changes));
 * ```
 */
export function changesJson(changes: readonly StatusChange[]) {
  return changes.map((change) => ({
    kind: change.kind,
    tagId: change.tagId,
    ...(change.kind === 'goal' ? { goalId: change.goalId } : {}),
    from: change.from,
    to: change.to,
    effectiveAt: formatTime(change.effectiveAt),
    noticedAt: formatTime(change.noticedAt),
  }));
}
