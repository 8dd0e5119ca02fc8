import { writeFile } from 'node:fs/promises';
import type { SubjectTimeline } from '../timelines/timeline.js';
import type { CliIo } from './cliIo.js';

/**
 * Renders timelines as an SVG chart and writes it to `path`, saying so on stderr (stdout
 * stays the report, so `--json --svg` can be piped); `-` writes the chart to stdout
 * instead (then use it without `--json`, or the two would mix). The charting library is
 * loaded only here, so commands that draw no chart start without it.
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
  const svg = await renderTimelineSvg(timelines, { title });
  if (path === '-') {
    io.stdout.write(svg.endsWith('\n') ? svg : `${svg}\n`);
    return;
  }
  await writeFile(path, svg);
  io.stderr.write(`chart written to ${path}\n`);
}
