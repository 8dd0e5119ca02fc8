import {
  checkGoalDefinition,
  type GoalDefinition,
  isConversionGoalTrackingStatus,
  isConversionGoalType,
  isUetTagTrackingStatus,
  MonitorStoreError,
  type StoredChange,
  type StoredGoal,
  type StoredTag,
  TrackingInputError,
} from 'uet-tag-status';
import type { SqlStatement } from './SyncPostgres.js';

/** The reads of one shard's snapshot, in the order {@link tagsFromRows} and {@link changesFromRows} take them. */
export function snapshotStatements(shard: number): SqlStatement[] {
  return [
    {
      text: `SELECT no, tag_id, status, changed_at, first_data_at, last_data_at, tag_available
             FROM tags WHERE shard = $1 ORDER BY no`,
      values: [shard],
    },
    {
      text: `SELECT no, goal_id, goal_type, status, changed_at, last_conversion_at, decided_at,
                    definition
             FROM goals WHERE shard = $1 ORDER BY no, position`,
      values: [shard],
    },
    {
      text: `SELECT seq, tag_no, goal_id, from_status, to_status, effective_at, noticed_at
             FROM history WHERE shard = $1 ORDER BY seq`,
      values: [shard],
    },
  ];
}

/** Reads rows as stored values, refusing any that the monitor could not have written. */
class RowReader {
  constructor(
    private readonly description: string,
    private readonly table: string,
  ) {}

  time(value: unknown, column: string, row: string): number {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    throw this.refuse(column, value, row, 'a time (integer UTC epoch ms >= 0)');
  }

  optionalTime(value: unknown, column: string, row: string): number | undefined {
    return value === null ? undefined : this.time(value, column, row);
  }

  text<T extends string>(
    value: unknown,
    column: string,
    row: string,
    check: (text: string) => boolean = () => true,
  ): T {
    if (typeof value === 'string' && check(value)) return value as T;
    throw this.refuse(column, value, row, 'a value this library writes');
  }

  /** A goal definition as `checkGoalDefinition` accepts it, of the goal of its row. */
  definition(value: unknown, goal: StoredGoal, row: string): GoalDefinition {
    const expected = `a goal definition of goal ${JSON.stringify(goal.goalId)} (${goal.goalType})`;
    let definition: GoalDefinition;
    try {
      definition = checkGoalDefinition('definition', value);
    } catch (error) {
      if (!(error instanceof TrackingInputError)) throw error;
      throw this.refuse('definition', value, row, expected);
    }
    if (definition.goalId !== goal.goalId || definition.goalType !== goal.goalType) {
      throw this.refuse('definition', value, row, expected);
    }
    return definition;
  }

  private refuse(column: string, value: unknown, row: string, expected: string): MonitorStoreError {
    return new MonitorStoreError(
      'corrupt',
      this.description,
      `${this.table}.${column} of ${row} is ${JSON.stringify(value)}, not ${expected}`,
    );
  }
}

/**
 * The tags of a snapshot from its `tags` and `goals` rows (as {@link snapshotStatements}
 * reads them), goals in attachment order.
 * @throws {@link MonitorStoreError} `corrupt` naming the table, column, row and value.
 */
export function tagsFromRows(
  tagRows: readonly unknown[][],
  goalRows: readonly unknown[][],
  description: string,
): StoredTag[] {
  const goalsByNo = new Map<number, StoredGoal[]>();
  const goalReader = new RowReader(description, 'goals');
  for (const [
    no,
    goalId,
    goalType,
    status,
    changedAt,
    lastConversionAt,
    decidedAt,
    definition,
  ] of goalRows) {
    const row = `tag no ${String(no)} goal ${String(goalId)}`;
    const read: StoredGoal = {
      goalId: goalReader.text(goalId, 'goal_id', row),
      goalType: goalReader.text(goalType, 'goal_type', row, isConversionGoalType),
      status: goalReader.text(status, 'status', row, isConversionGoalTrackingStatus),
      changedAt: goalReader.optionalTime(changedAt, 'changed_at', row),
      lastConversionAt: goalReader.optionalTime(lastConversionAt, 'last_conversion_at', row),
      decidedAt: goalReader.time(decidedAt, 'decided_at', row),
    };
    const goal =
      definition === null
        ? read
        : { ...read, definition: goalReader.definition(definition, read, row) };
    const list = goalsByNo.get(no as number);
    if (list === undefined) goalsByNo.set(no as number, [goal]);
    else list.push(goal);
  }
  const reader = new RowReader(description, 'tags');
  return tagRows.map(([no, tagId, status, changedAt, firstDataAt, lastDataAt, available]) => {
    const row = `tag no ${String(no)}`;
    return {
      no: no as number,
      tagId: reader.text(tagId, 'tag_id', row),
      status: reader.text(status, 'status', row, isUetTagTrackingStatus),
      changedAt: reader.optionalTime(changedAt, 'changed_at', row),
      firstDataAt: reader.optionalTime(firstDataAt, 'first_data_at', row),
      lastDataAt: reader.optionalTime(lastDataAt, 'last_data_at', row),
      tagAvailable: available as boolean,
      goals: goalsByNo.get(no as number) ?? [],
    };
  });
}

/**
 * The kept history from its `history` rows, by increasing `seq`.
 * @throws {@link MonitorStoreError} `corrupt` naming the column, row and value.
 */
export function changesFromRows(rows: readonly unknown[][], description: string): StoredChange[] {
  const reader = new RowReader(description, 'history');
  return rows.map(([seq, tagNo, goalId, from, to, effectiveAt, noticedAt]) => {
    const row = `seq ${String(seq)}`;
    return {
      seq: seq as number,
      tagNo: tagNo as number,
      goalId: goalId === null ? undefined : reader.text(goalId, 'goal_id', row),
      from: reader.text(from, 'from_status', row),
      to: reader.text(to, 'to_status', row),
      effectiveAt: reader.time(effectiveAt, 'effective_at', row),
      noticedAt: reader.time(noticedAt, 'noticed_at', row),
    };
  });
}
