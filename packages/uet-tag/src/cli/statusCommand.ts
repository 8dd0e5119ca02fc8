import { type Command, InvalidArgumentError } from 'commander';
import { ConversionGoalTrackingStatus } from 'uet-tag-status';
import type { CliIo } from './cliIo.js';
import { timeArgument } from './parseOptions.js';

/** The options `uet-tag status` takes. */
export interface StatusCommandOptions {
  readonly db: string;
  readonly format: 'text' | 'api';
  readonly returnAdditionalFields?: typeof INACTIVE_DUE_TO_TAG_UNAVAILABLE;
  readonly json?: boolean;
  readonly at?: number;
}

/**
 * Registers `uet-tag status --db <file>`: the statuses a monitor's SQLite file holds, as
 * of now (or `--at`), as a text table, `--json`, or in the API's shape (`--format api`).
 *
 * @example
 * ```ts
 * registerStatusCommand(program, processIo);
 * ```
 */
export function registerStatusCommand(program: Command, io: CliIo): void {
  program
    .command('status')
    .description(
      "print the statuses a monitor's SQLite file holds, as of now: a table, JSON, or the Microsoft Advertising API's UetTags and ConversionGoals",
    )
    .requiredOption(
      '--db <file>',
      'the SQLite file of uet-tag monitor (read only, also while it runs)',
    )
    .option(
      '--format <format>',
      'text, or api: {"UetTags":[…],"ConversionGoals":[…]} as Campaign Management returns them, TrackingStatus filled in',
      formatArgument,
      'text',
    )
    .option(
      '--return-additional-fields <field>',
      'with --format api: InactiveDueToTagUnavailable writes that status as such, instead of TagInactive as the API does by default (SPEC A3)',
      additionalFieldArgument,
    )
    .option('--json', 'print JSON instead of the table')
    .option(
      '--at <time>',
      "the time the statuses hold at (ISO 8601 with zone, or epoch ms); default: now; never before the monitor's own time",
      timeArgument,
    )
    .action(async (options: StatusCommandOptions) => {
      const { runStatusCommand } = await import('./runStatus.js');
      runStatusCommand(io, options);
    });
}

function formatArgument(value: string): 'text' | 'api' {
  if (value !== 'text' && value !== 'api') throw new InvalidArgumentError('expected text or api');
  return value;
}

/**
 * The one value of `--return-additional-fields`: the API returns a goal's
 * `InactiveDueToTagUnavailable` status only when asked by that name (SPEC A3).
 */
export const INACTIVE_DUE_TO_TAG_UNAVAILABLE =
  ConversionGoalTrackingStatus.InactiveDueToTagUnavailable;

function additionalFieldArgument(value: string): typeof INACTIVE_DUE_TO_TAG_UNAVAILABLE {
  if (value !== INACTIVE_DUE_TO_TAG_UNAVAILABLE) {
    throw new InvalidArgumentError(`expected ${INACTIVE_DUE_TO_TAG_UNAVAILABLE}`);
  }
  return value;
}
