import { type Command, InvalidArgumentError } from 'commander';
import { type ReplayOptions, type ReplayResult, replayFile } from '../replay/replayFile.js';
import { REPLAY_FORMATS, type ReplayFormat } from '../replay/replayFormat.js';
import { loadAccountObjects } from '../replay/replayGoals.js';
import { formatDuration, formatTime } from '../time.js';
import type { CliIo } from './cliIo.js';
import { formatTimelines } from './formatTimelines.js';
import { replayReport } from './jsonReport.js';
import {
  durationArgument,
  goalList,
  goalPathList,
  integerAtLeast,
  regexList,
  statusList,
  timeArgument,
} from './parseOptions.js';
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
 * Registers `uet-tag replay <file>`: replays recorded activity (NDJSON, CSV) or a web
 * server access log (Common, Combined, TSV) and prints the same report as `simulate`,
 * with what was read (records, filtered, malformed lines with their numbers).
 *
 * @example
 * ```ts
 * registerReplayCommand(program, processIo);
 * ```
 */
export function registerReplayCommand(program: Command, io: CliIo): void {
  program
    .command('replay')
    .description(
      'replay recorded activity or a web server access log through the model and print the status intervals',
    )
    .argument(
      '<file>',
      'NDJSON input records or beacon log ({"url","at"}), CSV, Common/Combined Log Format or TSV access log (beacon requests are hits), HAR, Conversions API bodies; gzip is read as it is; - for stdin',
    )
    .option(
      '--format <format>',
      `the file's format: ${REPLAY_FORMATS.join(', ')} (default: detected)`,
      formatArgument,
    )
    .option(
      '--tag-id <id>',
      'access logs: the tag every request that is not a beacon is activity of; Conversions API bodies: the tag they were posted to',
      'site',
    )
    .option(
      '--path <regex>',
      'access logs: count only requests whose target matches (repeatable)',
      regexList,
    )
    .option(
      '--exclude-path <regex>',
      'access logs: never count requests whose target matches (repeatable)',
      regexList,
    )
    .option(
      '--status <list>',
      'access logs: count only these HTTP statuses, e.g. 2xx,304 (repeatable)',
      statusList,
    )
    .option(
      '--goal <goalId=type>',
      'attach a goal of this type to every tag (repeatable)',
      goalList,
    )
    .option(
      '--goals <file>',
      "tags and goals in the Microsoft Advertising API's JSON (GetUetTagsByIds, GetConversionGoalsByTagIds responses, arrays or objects): each goal is attached to its tag and hits are matched against it (repeatable)",
      fileList,
    )
    .option(
      '--attribution <mode>',
      'none: every match converts; click: only after an ad click of the visitor within the conversion window (SPEC M6)',
      attributionArgument,
      'none',
    )
    .option(
      '--goal-path <goalId=regex>',
      'access logs: requests whose target matches are conversions of this Url goal (repeatable)',
      goalPathList,
    )
    .option(
      '--reorder-window <duration>',
      'put records up to this far out of time order back in order; older ones are processed late (SPEC D1)',
      durationArgument(true),
      300_000,
    )
    .option(
      '--until <time>',
      'end of the replay (ISO 8601 with zone, or epoch ms); default: the last record',
      timeArgument,
    )
    .option('--activity-window <duration>', 'the activity window (default 24h)', durationArgument())
    .option(
      '--conversion-window <duration>',
      'the conversion window (default 7d)',
      durationArgument(),
    )
    .option('--malformed <n>', 'how many malformed lines to show', integerAtLeast(0), 5)
    .option('--json', 'print JSON instead of tables')
    .option('--svg <file>', 'write a timeline chart as SVG, - for stdout')
    .option('--no-fast-path', 'step the machines on every single record (slow; for comparison)')
    .action(async (path: string, options: ReplayCommandOptions) => {
      try {
        await runReplay(io, path, options);
      } catch (error) {
        reportFailure(io, error);
      }
    });
}

function fileList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function attributionArgument(value: string): 'none' | 'click' {
  if (value !== 'none' && value !== 'click')
    throw new InvalidArgumentError('expected none or click');
  return value;
}

function formatArgument(value: string): ReplayFormat {
  const format = REPLAY_FORMATS.find((candidate) => candidate === value);
  if (format === undefined) {
    throw new InvalidArgumentError(`expected one of ${REPLAY_FORMATS.join(', ')}`);
  }
  return format;
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
