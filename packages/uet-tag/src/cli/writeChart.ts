import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
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

/**
 * Whether the text or JSON report goes to stdout: not when the chart does (`--svg -`),
 * so that what is written there is one document. `--svg -` with `--json` is refused.
 *
 * @example
 * ```ts
 * if (reportOnStdout(options)) io.stdout.write(report);
 * ```
 * @throws {@link InvalidArgumentError} for `--svg -` with `--json`.
 */
export function reportOnStdout(options: {
  readonly svg?: string;
  readonly json?: boolean;
}): boolean {
  if (options.svg !== '-') return true;
  if (options.json) {
    throw new InvalidArgumentError(
      '--svg - and --json would both write to stdout; give --svg a file',
    );
  }
  return false;
}
