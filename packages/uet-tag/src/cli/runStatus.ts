import { isoTime } from 'uet-tag-status';
import { apiFieldsOf } from '../advertising/goalDefinitionOf.js';
import {
  type ConversionGoalsResponse,
  type GoalWriteOptions,
  reportedGoalStatus,
  type UetTagsResponse,
  uetTagsResponseOf,
} from '../advertising/writeAdvertisingObjects.js';
import type { StatusReport } from '../records/dataReportSchemas.js';
import { readSqliteSnapshot } from '../sqlite/readSqliteSnapshot.js';
import { type StatusesAt, statusesAt } from '../status/statusesAt.js';
import { formatTime } from '../time.js';
import type { CliIo } from './cliIo.js';
import { reportFailure } from './reportFailure.js';
import { INACTIVE_DUE_TO_TAG_UNAVAILABLE, type StatusCommandOptions } from './statusCommand.js';

/**
 * Runs `uet-tag status` (with the command's modules, loaded only for it): prints the
 * statuses, or the failure.
 *
 * @example
 * ```ts
 * runStatusCommand(processIo, { db: 'uet-tag-monitor.db', format: 'text' });
 * ```
 */
export function runStatusCommand(io: CliIo, options: StatusCommandOptions): void {
  try {
    runStatus(io, options);
  } catch (error) {
    reportFailure(io, error);
  }
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

function statusJson(statuses: StatusesAt): StatusReport {
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
