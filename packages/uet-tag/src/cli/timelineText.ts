import { type DurationUnit, eachDurationPart, formatDuration } from '../time.js';
import type { SubjectTimeline, TrackingStatus } from '../timelines/timeline.js';
import { subjectLabel } from '../timelines/timeline.js';
import { PieceWriter } from './PieceWriter.js';

/** Durations in tables show their three largest units. */
const DURATION_UNITS = 3;
/** The interval table's column titles. */
const INTERVAL_COLUMNS = ['from', 'to', 'status', 'duration'] as const;
const NEWLINE = PieceWriter.encode('\n');
/** Rows are indented by two spaces. */
const INDENT = 2;
/** A row's cells are two spaces apart. */
const GAP = 2;
/** Each unit of a duration, as bytes. */
const UNITS: Record<DurationUnit, Uint8Array> = {
  d: PieceWriter.encode('d'),
  h: PieceWriter.encode('h'),
  m: PieceWriter.encode('m'),
  s: PieceWriter.encode('s'),
  ms: PieceWriter.encode('ms'),
};
const NO_DURATION = PieceWriter.encode('0s');

/**
 * Writes one timeline's text: a title line, a table of its status intervals (from, to,
 * status, duration; columns as wide as their widest cell, two spaces apart), then the
 * time in each status with its share of the span. The rows are written as bytes (times
 * digit by digit, padding as spaces), since a report can hold millions of them.
 *
 * @example
 * ```ts
 * const out = new PieceWriter((bytes) => process.stdout.write(bytes));
 * writeTimelineText(out, timeline); // 'shop (tag): 1 status change\n  from  …'
 * out.flush();
 * ```
 */
export function writeTimelineText(out: PieceWriter, timeline: SubjectTimeline): void {
  const what = timeline.goalId === undefined ? 'tag' : `${timeline.goalType} goal`;
  const changes = `${timeline.changes} status ${timeline.changes === 1 ? 'change' : 'changes'}`;
  const { intervals } = timeline;
  let fromWidth: number = INTERVAL_COLUMNS[0].length;
  let toWidth: number = INTERVAL_COLUMNS[1].length;
  let statusWidth: number = INTERVAL_COLUMNS[2].length;
  for (const interval of intervals) {
    fromWidth = Math.max(fromWidth, PieceWriter.isoTimeLength(interval.from, true));
    toWidth = Math.max(toWidth, PieceWriter.isoTimeLength(interval.to, true));
    statusWidth = Math.max(statusWidth, interval.status.length);
  }
  out.text(
    `${subjectLabel(timeline)} (${what}): ${changes}\n  ${INTERVAL_COLUMNS[0].padEnd(fromWidth)}  ${INTERVAL_COLUMNS[1].padEnd(toWidth)}  ${INTERVAL_COLUMNS[2].padEnd(statusWidth)}  ${INTERVAL_COLUMNS[3]}\n`,
  );
  // Each status cell with its padding and gap, as bytes, once per timeline.
  const statusCells = new Map<string, Uint8Array>();
  // A duration's parts as formatDuration writes them, as bytes.
  let parts = 0;
  const writePart = (amount: number, unit: DurationUnit) => {
    if (parts++ > 0) out.spaces(1);
    // A safe integer: interval times are valid dates (isoTimeLength refuses others).
    out.number(amount);
    out.bytes(UNITS[unit]);
  };
  for (const { status, from, to } of intervals) {
    out.spaces(INDENT);
    out.isoTime(from, true);
    out.spaces(fromWidth - PieceWriter.isoTimeLength(from, true) + GAP);
    out.isoTime(to, true);
    out.spaces(toWidth - PieceWriter.isoTimeLength(to, true) + GAP);
    let cell = statusCells.get(status);
    if (cell === undefined) {
      cell = PieceWriter.encode(status.padEnd(statusWidth + GAP));
      statusCells.set(status, cell);
    }
    out.bytes(cell);
    parts = 0;
    eachDurationPart(to - from, DURATION_UNITS, writePart);
    if (parts === 0) out.bytes(NO_DURATION);
    out.bytes(NEWLINE);
  }
  const first = intervals[0];
  const last = intervals.at(-1);
  const span = first && last ? last.to - first.from : 0;
  out.text(`  time in status: ${formatTimeInStatus(timeline.timeInStatus, span)}\n`);
}

/**
 * Writes timelines' text, each as {@link writeTimelineText} writes it, a blank line between
 * them; `timelines` is read once, one at a time (a run's log hands them out lazily).
 *
 * @example
 * ```ts
 * writeTimelinesText(out, log.timelines());
 * ```
 */
export function writeTimelinesText(out: PieceWriter, timelines: Iterable<SubjectTimeline>): void {
  let first = true;
  for (const timeline of timelines) {
    if (!first) out.bytes(NEWLINE);
    writeTimelineText(out, timeline);
    first = false;
  }
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
