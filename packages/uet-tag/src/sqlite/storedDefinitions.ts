import type Database from 'better-sqlite3';
import { checkGoalDefinition, type StoredGoal, TrackingInputError } from 'uet-tag-status';
import type { MutableTag, Row } from './storedRows.js';
import { cellsOf, MAX_TAG_NO, storedInteger, storedText } from './storedValues.js';
import { impossibleValue } from './storeErrors.js';

/**
 * Reads `goal_definitions` (schema 3) into the goals already read: each row names a stored
 * goal by tag number and position, and holds the JSON of a goal definition that
 * `checkGoalDefinition` accepts, with that goal's id and type.
 *
 * @example
 * ```ts
 * readGoalDefinitions(checkedCopy, tags, '/data/tags.db');
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the column, the value and the row.
 */
export function readGoalDefinitions(
  db: Database.Database,
  tags: Map<number, MutableTag>,
  description: string,
): void {
  let current: Row = [];
  const bytesOf = db
    .prepare(
      'SELECT CAST(definition AS BLOB) FROM goal_definitions WHERE tag_no = ? AND position = ?',
    )
    .pluck();
  const where = () =>
    `goal definition of tag no ${String(current[0])} at position ${String(current[1])}`;
  const cells = cellsOf(
    description,
    'goal_definitions',
    ['tag_no', 'position', 'definition'],
    where,
    {
      definition: () => bytesOf.get(current[0], current[1]),
    },
  );
  const rows = db
    .prepare('SELECT tag_no, position, definition FROM goal_definitions ORDER BY tag_no, position')
    .raw()
    .iterate() as Iterable<Row>;
  for (const row of rows) {
    current = row;
    const tag = tags.get(storedInteger(row[0], 0, MAX_TAG_NO, cells.tag_no));
    const goals = tag?.goals as StoredGoal[] | undefined;
    const position = storedInteger(row[1], 0, Number.MAX_SAFE_INTEGER, cells.position);
    const goal = goals?.[position];
    if (goals === undefined || goal === undefined) {
      throw impossibleValue(
        description,
        'goal_definitions.position',
        row[1],
        where(),
        'the position of a stored goal',
      );
    }
    const text = storedText(row[2], cells.definition);
    const expected = `the JSON of a goal definition of goal ${JSON.stringify(goal.goalId)} (${goal.goalType})`;
    let definition: StoredGoal['definition'];
    try {
      definition = checkGoalDefinition('definition', JSON.parse(text));
    } catch (error) {
      if (!(error instanceof SyntaxError) && !(error instanceof TrackingInputError)) throw error;
      throw impossibleValue(description, 'goal_definitions.definition', text, where(), expected);
    }
    if (definition.goalId !== goal.goalId || definition.goalType !== goal.goalType) {
      throw impossibleValue(description, 'goal_definitions.definition', text, where(), expected);
    }
    goals[position] = { ...goal, definition };
  }
}
