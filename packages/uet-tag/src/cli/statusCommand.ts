import { type Command, InvalidArgumentError } from 'commander';
import { ConversionGoalTrackingStatus, isoTime } from 'uet-tag-status';
import { apiFieldsOf } from '../advertising/goalDefinitionOf.js';
import {
  type ConversionGoalsResponse,
  type GoalWriteOptions,
  reportedGoalStatus,
  type UetTagsResponse,
  uetTagsResponseOf,
} from '../advertising/writeAdvertisingObjects.js';
import { readSqliteSnapshot } from '../sqlite/readSqliteSnapshot.js';
import { type StatusesAt, statusesAt } from '../status/statusesAt.js';
import { formatTime } from '../time.js';
import type { CliIo } from './cliIo.js';
import { timeArgument } from './parseOptions.js';
import { reportFailure } from './reportFailure.js';

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
    .action((options: StatusCommandOptions) => {
      try {
        runStatus(io, options);
      } catch (error) {
        reportFailure(io, error);
      }
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
const INACTIVE_DUE_TO_TAG_UNAVAILABLE = ConversionGoalTrackingStatus.InactiveDueToTagUnavailable;

function additionalFieldArgument(value: string): typeof INACTIVE_DUE_TO_TAG_UNAVAILABLE {
  if (value !== INACTIVE_DUE_TO_TAG_UNAVAILABLE) {
    throw new InvalidArgumentError(`expected ${INACTIVE_DUE_TO_TAG_UNAVAILABLE}`);
  }
  return value;
}

function runStatus(io: CliIo, options: StatusCommandOptions): void {
  const statuses = statusesAt(readSqliteSnapshot(options.db), options.at ?? Date.now());
  if (options.format === 'api') {
    const returnInactiveDueToTagUnavailable =
      options.returnAdditionalFields === INACTIVE_DUE_TO_TAG_UNAVAILABLE;
    io.stdout.write(
      `${JSON.stringify(apiResponseOf(statuses, { returnInactiveDueToTagUnavailable }), null, 2)}\n`,
    );
  } else if (options.json) {
    io.stdout.write(`${JSON.stringify(statusJson(statuses), null, 2)}\n`);
  } else {
    io.stdout.write(formatStatuses(statuses));
  }
}

/**
 * The statuses in the API's shape (SPEC A3): one document holding a `GetUetTagsByIds`
 * response's `UetTags` and a `GetConversionGoalsByTagIds` response's `ConversionGoals`
 * (with each goal's definition, when it was attached with one), which `--api` and
 * `--goals` read back.
 *
 * @example
 * ```ts
 * apiResponseOf(statusesAt(snapshot, Date.now()), { returnInactiveDueToTagUnavailable: false });
 * ```
 */
export function apiResponseOf(
  statuses: StatusesAt,
  options: GoalWriteOptions,
): {
  UetTags: UetTagsResponse['UetTags'];
  ConversionGoals: ConversionGoalsResponse['ConversionGoals'];
  PartialErrors: [];
} {
  const tags = uetTagsResponseOf(
    statuses.tags.map((tag) => ({ Id: tag.tagId, TrackingStatus: tag.status })),
  );
  const goals = statuses.tags.flatMap((tag) =>
    tag.goals.map((goal) => ({
      Id: goal.goalId,
      Type: goal.goalType,
      TagId: tag.tagId,
      ...(goal.definition === undefined ? {} : apiFieldsOf(goal.definition)),
      TrackingStatus: reportedGoalStatus(goal.status, options),
    })),
  );
  return { UetTags: tags.UetTags, ConversionGoals: goals, PartialErrors: [] };
}

const timeOrNull = (at: number | undefined) => (at === undefined ? null : isoTime(at));

function statusJson(statuses: StatusesAt) {
  return {
    schema: 'status-report.v1',
    at: isoTime(statuses.at),
    storedAt: isoTime(statuses.storedAt),
    tags: statuses.tags.map((tag) => ({
      tagId: tag.tagId,
      status: tag.status,
      since: timeOrNull(tag.since),
      lastDataAt: timeOrNull(tag.lastDataAt),
      tagAvailable: tag.tagAvailable,
      goals: tag.goals.map((goal) => ({
        goalId: goal.goalId,
        goalType: goal.goalType,
        status: goal.status,
        since: timeOrNull(goal.since),
        lastConversionAt: timeOrNull(goal.lastConversionAt),
      })),
    })),
  };
}

function formatStatuses(statuses: StatusesAt): string {
  const rows: string[][] = [];
  for (const tag of statuses.tags) {
    const access = tag.tagAvailable ? '' : ' (no access)';
    rows.push([
      tag.tagId,
      'tag',
      `${tag.status}${access}`,
      since(tag.since),
      since(tag.lastDataAt),
    ]);
    for (const goal of tag.goals) {
      rows.push([
        `  ${goal.goalId}`,
        `${goal.goalType} goal`,
        goal.status,
        since(goal.since),
        since(goal.lastConversionAt),
      ]);
    }
  }
  const header = ['id', 'what', 'status', 'since', 'last data / conversion'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `statuses at ${formatTime(statuses.at)} (the monitor's time: ${formatTime(statuses.storedAt)})`,
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}

function since(at: number | undefined): string {
  return at === undefined ? '-' : formatTime(at);
}
