import type { SubjectTimeline } from '../timelines/timeline.js';
import { PieceWriter } from './PieceWriter.js';
import { writeTimelinesText } from './timelineText.js';

/**
 * The text report of timelines: per tag and goal, a table of status intervals (from,
 * to, status, duration), the number of status changes, and the time in each status
 * with its share of the span, as {@link writeTimelinesText} writes them. The text is
 * decoded from those UTF-8 bytes, so an id holding a lone surrogate comes back with
 * U+FFFD in its place, as it is written to a file.
 *
 * @example
 * ```ts
 * io.stdout.write(formatTimelines(result.timelines));
 * ```
 */
export function formatTimelines(timelines: readonly SubjectTimeline[]): string {
  const pieces: Uint8Array[] = [];
  const out = new PieceWriter((bytes) => pieces.push(bytes));
  writeTimelinesText(out, timelines);
  out.flush();
  return Buffer.concat(pieces).toString('utf8');
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
