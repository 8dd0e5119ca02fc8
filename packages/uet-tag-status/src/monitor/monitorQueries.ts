import { TrackingInputError } from '../TrackingInputError.js';
import {
  type ConversionGoalTrackingStatus,
  isConversionGoalTrackingStatus,
} from '../valueSets/conversionGoalTrackingStatus.js';
import { isUetTagTrackingStatus, UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { TagTable } from './TagTable.js';
import type { TagStatusReport } from './tagMonitor.js';

/**
 * A live tag's status and its goals', read from the table (a copy).
 *
 * @example
 * ```ts
 * statusReport(table, no).goals.map((goal) => goal.status);
 * ```
 */
export function statusReport(table: TagTable, no: number): TagStatusReport {
  const facts = table.view(no);
  return {
    tagId: table.idOf(no),
    status: facts.status,
    since: facts.changedAt,
    lastDataAt: facts.lastDataAt,
    tagAvailable: facts.tagAvailable,
    goals: facts.goals.map((goal) => ({
      goalId: goal.goalId,
      goalType: goal.goalType,
      status: goal.status,
      since: goal.changedAt,
      lastConversionAt: goal.lastConversionAt,
    })),
  };
}

/**
 * The ids of the tags in a status, in registration-number order.
 *
 * @throws {@link TrackingInputError} `invalidInput` when `status` is not a tag status.
 */
export function tagsInStatus(table: TagTable, status: unknown): string[] {
  if (!isUetTagTrackingStatus(status)) {
    throw new TrackingInputError(
      'invalidInput',
      'status',
      status,
      `one of ${Object.values(UetTagTrackingStatus).join(', ')}`,
    );
  }
  return table.numbersInStatus(status).map((no) => table.idOf(no));
}

/**
 * The goals in a status with their tags' ids, tags in registration-number order and each
 * tag's goals in attachment order.
 *
 * @throws {@link TrackingInputError} `invalidInput` when `status` is not a goal status.
 */
export function goalsInStatus(
  table: TagTable,
  status: unknown,
): { tagId: string; goalId: string }[] {
  if (!isConversionGoalTrackingStatus(status)) {
    throw new TrackingInputError(
      'invalidInput',
      'status',
      status,
      'a ConversionGoalTrackingStatus value',
    );
  }
  const wanted: ConversionGoalTrackingStatus = status;
  const found: { tagId: string; goalId: string }[] = [];
  for (const no of table.liveNumbers()) {
    for (const goal of table.goalsOf(no)) {
      if (goal.status === wanted) found.push({ tagId: table.idOf(no), goalId: goal.goalId });
    }
  }
  return found;
}
