import { type ReplayOptions, type ReplayResult, replayFile } from '../replay/replayFile.js';
import type { ReplayFormat } from '../replay/replayFormat.js';
import { loadAccountObjects } from '../replay/replayGoals.js';
import { formatDuration, formatTime } from '../time.js';
import type { CliIo } from './cliIo.js';
import { formatTimelines } from './formatTimelines.js';
import { replayReport } from './jsonReport.js';
import { createProgress } from './progressBar.js';
import { reportFailure } from './reportFailure.js';
import { reportOnStdout, writeChart } from './writeChart.js';

/** The options `uet-tag replay` takes. */
export interface ReplayCommandOptions {
  readonly format?: ReplayFormat;
  readonly tagId: string;
  readonly path?: RegExp[];
  readonly excludePath?: RegExp[];
  readonly status?: string[];
  readonly goal?: ReplayOptions['goals'];
  readonly goalPath?: ReplayOptions['goalPaths'];
  readonly goals?: string[];
  readonly attribution: 'none' | 'click';
  readonly reorderWindow: number;
  readonly until?: number;
  readonly activityWindow?: number;
  readonly conversionWindow?: number;
  readonly malformed: number;
  readonly json?: boolean;
  readonly svg?: string;
  readonly fastPath: boolean;
}

/**
 * Runs `uet-tag replay` on the file at `path` (with the command's modules, loaded only
 * for it): prints the report, or the failure.
 *
 * @example
 * ```ts
 * await runReplayCommand(processIo, 'access.log', { tagId: 'site', reorderWindow: 300_000, malformed: 5, fastPath: true, attribution: 'none' });
 * ```
 */
export async function runReplayCommand(
  io: CliIo,
  path: string,
  options: ReplayCommandOptions,
): Promise<void> {
  try {
    await runReplay(io, path, options);
  } catch (error) {
    reportFailure(io, error);
  }
}

async function runReplay(io: CliIo, path: string, options: ReplayCommandOptions): Promise<void> {
  const printReport = reportOnStdout(options);
  const account = await loadAccountObjects(options.goals ?? []);
  const progress = createProgress(io, 'replay');
  let result: ReplayResult;
  try {
    result = await replayFile(path, {
      definitions: account.definitions,
      tagIds: account.tagIds,
      matching: { attribution: options.attribution },
      format: options.format,
      tagId: options.tagId,
      paths: options.path,
      excludePaths: options.excludePath,
      statuses: options.status,
      goals: options.goal,
      goalPaths: options.goalPath,
      reorderWindowMs: options.reorderWindow,
      until: options.until,
      windows: {
        activityWindowMs: options.activityWindow,
        conversionWindowMs: options.conversionWindow,
      },
      malformedSamples: options.malformed,
      fastPath: options.fastPath,
      onProgress: (bytes, total) => progress.update(bytes, total),
    });
  } finally {
    progress.stop();
  }
  const { statistics } = result;
  if (!printReport) {
    // The chart goes to stdout instead.
  } else if (options.json) {
    io.stdout.write(`${JSON.stringify(replayReport(result), null, 2)}\n`);
  } else if (statistics.records === 0) {
    io.stdout.write(
      [
        `${result.source}${result.format === undefined ? '' : ` (${result.format})`}: holds no records to replay`,
        `lines: ${statistics.lines}; filtered out: ${statistics.filtered}; malformed: ${statistics.malformed}; after --until: ${statistics.afterUntil}`,
        '',
      ].join('\n'),
    );
  } else {
    io.stdout.write(
      [
        `${result.source} (${result.format}): ${formatTime(result.start)} to ${formatTime(result.end)} (${formatDuration(result.end - result.start, 3)})`,
        `windows: activity ${formatDuration(result.windows.activityWindowMs)}, conversion ${formatDuration(result.windows.conversionWindowMs)}`,
        `lines: ${statistics.lines}; records used: ${statistics.records}; filtered out: ${statistics.filtered}; malformed: ${statistics.malformed}; processed late: ${statistics.late}; after --until: ${statistics.afterUntil}`,
        ...formatHitCounts(result),
        '',
        formatTimelines(result.timelines),
      ].join('\n'),
    );
  }
  for (const bad of statistics.malformedLines) {
    io.stderr.write(`${result.source}:${bad.line}: malformed: ${bad.reason}\n  ${bad.text}\n`);
  }
  const hidden = statistics.malformed - statistics.malformedLines.length;
  if (hidden > 0) io.stderr.write(`${result.source}: ${hidden} more malformed lines not shown\n`);
  if (options.svg !== undefined) {
    await writeChart(io, options.svg, result.timelines, result.source);
  }
}

/** The hits and conversions lines of the text report, one per tag with hits. */
function formatHitCounts(result: ReplayResult): string[] {
  return result.hits.map((tag) => {
    const goals = tag.goals.map((goal) => `${goal.goalId} ${goal.conversions}`).join(', ');
    const last = tag.lastHitAt === undefined ? '' : `, the last at ${formatTime(tag.lastHitAt)}`;
    return `hits of tag ${tag.tagId}: ${tag.hits}${last}; conversions: ${goals === '' ? 'none' : goals}`;
  });
}
