import { formatDuration, formatTime } from '../time.js';
import type { SubjectTimeline, TrackingStatus } from '../timelines/timeline.js';
import { subjectLabel } from '../timelines/timeline.js';

/** Durations in tables show their three largest units. */
const DURATION_UNITS = 3;

/**
 * The text report of timelines: per tag and goal, a table of status intervals (from,
 * to, status, duration), the number of status changes, and the time in each status
 * with its share of the span.
 *
 * @example
 * ```ts
 * io.stdout.write(formatTimelines(result.timelines));
 * ```
 */
export function formatTimelines(timelines: readonly SubjectTimeline[]): string {
  return timelines.map(formatTimeline).join('\n');
}

function formatTimeline(timeline: SubjectTimeline): string {
  const what = timeline.goalId === undefined ? 'tag' : `${timeline.goalType} goal`;
  const changes = `${timeline.changes} status ${timeline.changes === 1 ? 'change' : 'changes'}`;
  const rows = timeline.intervals.map((interval) => [
    formatTime(interval.from),
    formatTime(interval.to),
    interval.status,
    formatDuration(interval.to - interval.from, DURATION_UNITS),
  ]);
  const first = timeline.intervals[0];
  const last = timeline.intervals.at(-1);
  const span = first && last ? last.to - first.from : 0;
  return [
    `${subjectLabel(timeline)} (${what}): ${changes}`,
    ...table(['from', 'to', 'status', 'duration'], rows).map((line) => `  ${line}`),
    `  time in status: ${formatTimeInStatus(timeline.timeInStatus, span)}`,
    '',
  ].join('\n');
}

function formatTimeInStatus(
  timeInStatus: Readonly<Partial<Record<TrackingStatus, number>>>,
  span: number,
): string {
  return (Object.entries(timeInStatus) as [TrackingStatus, number][])
    .sort(([, a], [, b]) => b - a)
    .map(([status, ms]) => `${status} ${formatDuration(ms, DURATION_UNITS)} (${percent(ms, span)})`)
    .join(', ');
}

/**
 * A share as a percentage with one decimal.
 *
 * @example
 * ```ts
 * percent(1, 3); // '33.3%'
 * ```
 */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

/**
 * Lines of a left-aligned text table with a header row.
 *
 * @example
 * ```ts
 * table(['a', 'b'], [['1', '22']]); // ['a  b', '1  22']
 * ```
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
