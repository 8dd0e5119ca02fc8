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

/** The interval table's column titles. */
const INTERVAL_COLUMNS = ['from', 'to', 'status', 'duration'] as const;

/**
 * One timeline's text: its lines as `table` lays them out, each time formatted once (an
 * interval's end is the next one's start) and each row written by concatenation, since
 * a report can hold millions of rows.
 */
function formatTimeline(timeline: SubjectTimeline): string {
  const what = timeline.goalId === undefined ? 'tag' : `${timeline.goalType} goal`;
  const changes = `${timeline.changes} status ${timeline.changes === 1 ? 'change' : 'changes'}`;
  const { intervals } = timeline;
  const froms: string[] = [];
  const tos: string[] = [];
  const durations: string[] = [];
  const widths: number[] = INTERVAL_COLUMNS.map((title) => title.length);
  let lastAt = Number.NaN;
  let lastText = '';
  for (const interval of intervals) {
    const from = interval.from === lastAt ? lastText : formatTime(interval.from);
    lastAt = interval.to;
    lastText = formatTime(interval.to);
    froms.push(from);
    tos.push(lastText);
    durations.push(formatDuration(interval.to - interval.from, DURATION_UNITS));
    widths[0] = Math.max(widths[0] as number, from.length);
    widths[1] = Math.max(widths[1] as number, lastText.length);
    widths[2] = Math.max(widths[2] as number, interval.status.length);
  }
  const [fromWidth, toWidth, statusWidth] = widths as [number, number, number];
  let text = `${subjectLabel(timeline)} (${what}): ${changes}\n  ${INTERVAL_COLUMNS[0].padEnd(fromWidth)}  ${INTERVAL_COLUMNS[1].padEnd(toWidth)}  ${INTERVAL_COLUMNS[2].padEnd(statusWidth)}  ${INTERVAL_COLUMNS[3]}\n`;
  intervals.forEach((interval, row) => {
    text += `  ${(froms[row] as string).padEnd(fromWidth)}  ${(tos[row] as string).padEnd(toWidth)}  ${interval.status.padEnd(statusWidth)}  ${durations[row]}\n`;
  });
  const first = intervals[0];
  const last = intervals.at(-1);
  const span = first && last ? last.to - first.from : 0;
  return `${text}  time in status: ${formatTimeInStatus(timeline.timeInStatus, span)}\n`;
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
