import type Database from 'better-sqlite3';
import type { StoredTag } from 'uet-tag-status';

/** The statements a store's writer connection runs, prepared once when it opens. */
export interface WriterStatements {
  readonly maxTagNo: Database.Statement;
  readonly hitLog: Database.Statement;
  readonly logHits: Database.Statement;
  readonly clearHitLog: Database.Statement;
  readonly dataTimes: Database.Statement;
  readonly setDataTimes: Database.Statement;
  readonly deleteTag: Database.Statement;
  readonly deleteGoals: Database.Statement;
  readonly deleteTagChanges: Database.Statement;
  readonly upsertTag: Database.Statement;
  readonly insertGoal: Database.Statement;
  readonly deleteDefinitions: Database.Statement;
  readonly insertDefinition: Database.Statement;
  readonly insertChange: Database.Statement;
  readonly deleteChange: Database.Statement;
  readonly setMeta: Database.Statement;
  readonly logChange: Database.Statement;
  readonly pruneChangeLog: Database.Statement;
  readonly readChangeLog: Database.Statement;
}

/**
 * Prepares the writer statements on `db`, which holds the current schema.
 *
 * @example
 * ```ts
 * const statements = prepareWriterStatements(db);
 * statements.setMeta.run('now', Date.now());
 * ```
 */
export function prepareWriterStatements(db: Database.Database): WriterStatements {
  return {
    maxTagNo: db.prepare('SELECT max(no) FROM tags'),
    hitLog: db.prepare('SELECT hits FROM hit_log ORDER BY id'),
    logHits: db.prepare('INSERT INTO hit_log (hits) VALUES (?)'),
    clearHitLog: db.prepare('DELETE FROM hit_log'),
    dataTimes: db.prepare('SELECT first_data_at, last_data_at FROM tags WHERE no = ?'),
    setDataTimes: db.prepare('UPDATE tags SET first_data_at = ?, last_data_at = ? WHERE no = ?'),
    deleteTag: db.prepare('DELETE FROM tags WHERE no = ?'),
    deleteGoals: db.prepare('DELETE FROM goals WHERE tag_no = ?'),
    deleteTagChanges: db.prepare('DELETE FROM changes WHERE tag_no = ?'),
    upsertTag: db.prepare(
      `INSERT INTO tags (no, tag_id, status, changed_at, first_data_at, last_data_at, tag_available)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (no) DO UPDATE SET tag_id = excluded.tag_id, status = excluded.status,
         changed_at = excluded.changed_at, first_data_at = excluded.first_data_at,
         last_data_at = excluded.last_data_at, tag_available = excluded.tag_available`,
    ),
    insertGoal: db.prepare(
      `INSERT INTO goals (tag_no, position, goal_id, goal_type, status, changed_at,
         last_conversion_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteDefinitions: db.prepare('DELETE FROM goal_definitions WHERE tag_no = ?'),
    insertDefinition: db.prepare(
      'INSERT INTO goal_definitions (tag_no, position, definition) VALUES (?, ?, ?)',
    ),
    insertChange: db.prepare(
      `INSERT INTO changes (seq, tag_no, goal_id, from_status, to_status, effective_at, noticed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteChange: db.prepare('DELETE FROM changes WHERE seq = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    logChange: db.prepare(
      `INSERT INTO change_log (seq, tag_id, goal_id, from_status, to_status, effective_at, noticed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    pruneChangeLog: db.prepare('DELETE FROM change_log WHERE seq <= ?'),
    readChangeLog: db.prepare(
      `SELECT seq, tag_id, goal_id, from_status, to_status, effective_at, noticed_at
       FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?`,
    ),
  };
}

/**
 * Writes a tag whole: its row, inserted or replaced, and its goals in attachment order,
 * with their definitions.
 *
 * @example
 * ```ts
 * writeTag(statements, snapshotTag);
 * ```
 */
export function writeTag(statements: WriterStatements, tag: StoredTag): void {
  statements.upsertTag.run(
    tag.no,
    tag.tagId,
    tag.status,
    tag.changedAt ?? null,
    tag.firstDataAt ?? null,
    tag.lastDataAt ?? null,
    tag.tagAvailable ? 1 : 0,
  );
  statements.deleteGoals.run(tag.no);
  statements.deleteDefinitions.run(tag.no);
  tag.goals.forEach((goal, position) => {
    if (goal.definition !== undefined) {
      statements.insertDefinition.run(tag.no, position, JSON.stringify(goal.definition));
    }
    statements.insertGoal.run(
      tag.no,
      position,
      goal.goalId,
      goal.goalType,
      goal.status,
      goal.changedAt ?? null,
      goal.lastConversionAt ?? null,
      goal.decidedAt,
    );
  });
}
