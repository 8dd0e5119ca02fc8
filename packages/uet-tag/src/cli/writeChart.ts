import { writeFile } from 'node:fs/promises';
import type { SubjectTimeline } from '../timelines/timeline.js';
import type { CliIo } from './cliIo.js';

/**
 * Renders timelines as an SVG chart, writes it to `path` and says so on stderr (stdout
 * stays the report, so `--json --svg` can be piped). The charting library is loaded only
 * here, so commands that draw no chart start without it.
 *
 * @example
 * ```ts
 * await writeChart(io, 'timeline.svg', result.timelines, 'Weekend outage');
 * ```
 */
export async function writeChart(
  io: CliIo,
  path: string,
  timelines: readonly SubjectTimeline[],
  title: string,
): Promise<void> {
  const { renderTimelineSvg } = await import('../chart/timelineChart.js');
  await writeFile(path, await renderTimelineSvg(timelines, { title }));
  io.stderr.write(`chart written to ${path}\n`);
}
