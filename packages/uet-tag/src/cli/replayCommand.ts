import { type Command, InvalidArgumentError } from 'commander';
import { REPLAY_FORMATS, type ReplayFormat } from '../replay/replayFormat.js';
import type { CliIo } from './cliIo.js';
import {
  durationArgument,
  goalList,
  goalPathList,
  integerAtLeast,
  regexList,
  statusList,
  timeArgument,
} from './parseOptions.js';
import type { ReplayCommandOptions } from './runReplay.js';

export type { ReplayCommandOptions } from './runReplay.js';

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
      const { runReplayCommand } = await import('./runReplay.js');
      await runReplayCommand(io, path, options);
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
