import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  MonitorStore,
  StoredChange,
  StoredGoal,
  StoredHits,
  StoredTag,
  StoreSnapshot,
  TrackingWindows,
} from 'uet-tag-status';
import {
  isConversionGoalTrackingStatus,
  isConversionGoalType,
  isUetTagTrackingStatus,
  MonitorStoreError,
  type MonitorStoreErrorCode,
} from 'uet-tag-status';
import { earliestReceived, latestReceived } from 'uet-tag-status/engine';
import { APPLICATION_ID, SCHEMA_V1, SCHEMA_VERSION } from './schema.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; created when missing. */
  readonly path: string;
  /**
   * `full` makes every commit survive a power loss (an fsync per commit); `normal`
   * survives a crash of the process but may lose the last commits on a power loss.
   * @default 'full'
   */
  readonly synchronous?: 'full' | 'normal';
  /**
   * How many status-neutral hits the log may hold before they are folded into the
   * `tags` table (within a commit).
   * @default 2_000_000
   */
  readonly foldThreshold?: number;
  /**
   * The most the database may grow to, in bytes (SQLite's `max_page_count`); a commit
   * that would need more fails with code `full`. No limit when left out.
   */
  readonly maxDatabaseBytes?: number;
}

type Row = Record<string, unknown>;
type MutableTag = { -readonly [Key in keyof StoredTag]: StoredTag[Key] };

/**
 * A durable {@link MonitorStore} in one SQLite file (better-sqlite3, WAL journal): a
 * commit is one transaction and returns once it is on disk. The schema is versioned
 * (`PRAGMA user_version`, `application_id`); a file from a newer version of this
 * library, a damaged file or another program's database is refused with a
 * {@link MonitorStoreError} before anything is written to it.
 *
 * Import it from `uet-tag-status/sqlite`, so programs that keep state elsewhere do not
 * load the native module.
 *
 * @example
 * ```ts
 * import { createTagMonitor } from 'uet-tag-status';
 * import { createSqliteStore } from 'uet-tag-status/sqlite';
 *
 * const monitor = createTagMonitor({ store: createSqliteStore({ path: 'tags.db' }) });
 * ```
 */
export function createSqliteStore(options: SqliteStoreOptions): MonitorStore {
  const file = path.resolve(options.path);
  const description = file;
  const foldThreshold = options.foldThreshold ?? 2_000_000;
  let db: Database.Database | undefined;
  let statements: Statements | undefined;
  let loggedHits = 0;

  const fail = (error: unknown, doing: string): MonitorStoreError =>
    error instanceof MonitorStoreError ? error : classify(error, description, file, doing);

  function fold(live: Database.Database, prepared: Statements): void {
    if (loggedHits === 0) return;
    const maxNo = (prepared.maxTagNo.pluck().get() as number | null) ?? -1;
    const first: (number | undefined)[] = new Array(maxNo + 1);
    const last: (number | undefined)[] = new Array(maxNo + 1);
    for (const blob of prepared.hitLog.pluck().iterate() as Iterable<Buffer>) {
      const { count, tagNos, ats } = decodeHits(blob, description);
      for (let index = 0; index < count; index++) {
        const no = tagNos[index] as number;
        if (no > maxNo) continue;
        const at = ats[index] as number;
        first[no] = earliestReceived(first[no], at);
        last[no] = latestReceived(last[no], at);
      }
    }
    for (let no = 0; no <= maxNo; no++) {
      const firstAt = first[no];
      const lastAt = last[no];
      if (firstAt === undefined || lastAt === undefined) continue;
      const row = prepared.dataTimes.get(no) as Row | undefined;
      if (row === undefined) continue;
      prepared.setDataTimes.run(
        earliestReceived(
          optionalTime(row.first_data_at, 'tags.first_data_at', description),
          firstAt,
        ),
        latestReceived(optionalTime(row.last_data_at, 'tags.last_data_at', description), lastAt),
        no,
      );
    }
    live.exec('DELETE FROM hit_log');
    loggedHits = 0;
  }

  return {
    description,
    open(windows) {
      if (db !== undefined) throw new MonitorStoreError('io', description, 'already open');
      inspectExisting(file, description);
      let live: Database.Database | undefined;
      try {
        live = new Database(file);
        const journal = live.pragma('journal_mode = WAL', { simple: true });
        if (journal !== 'wal') {
          throw new MonitorStoreError('io', description, `cannot use a WAL journal (${journal})`);
        }
        live.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
        if (options.maxDatabaseBytes !== undefined) {
          const pageSize = live.pragma('page_size', { simple: true }) as number;
          live.pragma(
            `max_page_count = ${Math.max(1, Math.floor(options.maxDatabaseBytes / pageSize))}`,
          );
        }
        const opened = live;
        opened.transaction(() => {
          if ((opened.pragma('user_version', { simple: true }) as number) === 0) {
            createSchema(opened, windows);
          }
        })();
        const prepared = prepare(opened);
        // Everything is read (and so checked) before anything is written.
        const snapshot = readSnapshot(opened, prepared, description);
        loggedHits = snapshot.loggedHits;
        opened.transaction(() => {
          const opens = opened.prepare("SELECT value FROM meta WHERE key = 'opens'").pluck().get();
          prepared.setMeta.run('opens', typeof opens === 'number' ? opens + 1 : 1);
          fold(opened, prepared);
        })();
        db = opened;
        statements = prepared;
        return snapshot.snapshot;
      } catch (error) {
        live?.close();
        throw fail(error, 'open');
      }
    },
    commit(commit) {
      if (db === undefined || statements === undefined) {
        throw new MonitorStoreError('closed', description, 'the store is closed');
      }
      const live = db;
      const prepared = statements;
      const loggedBefore = loggedHits;
      try {
        live.transaction(() => {
          if (commit.hits.count > 0) {
            prepared.logHits.run(encodeHits(commit.hits));
            loggedHits += commit.hits.count;
          }
          if (commit.removedTags.length > 0 || loggedHits > foldThreshold) fold(live, prepared);
          for (const no of commit.removedTags) {
            prepared.deleteTag.run(no);
            prepared.deleteGoals.run(no);
            prepared.deleteTagChanges.run(no);
          }
          for (const tag of commit.tags) writeTag(prepared, tag);
          for (const change of commit.changes) {
            prepared.insertChange.run(
              change.seq,
              change.tagNo,
              change.goalId ?? null,
              change.from,
              change.to,
              change.effectiveAt,
              change.noticedAt,
            );
          }
          for (const seq of commit.droppedChanges) prepared.deleteChange.run(seq);
          prepared.setMeta.run('now', commit.state.now);
          prepared.setMeta.run('nextSeq', commit.state.nextSeq);
          prepared.setMeta.run('checkpoint', commit.state.checkpoint ?? null);
        })();
      } catch (error) {
        loggedHits = loggedBefore;
        if (live.inTransaction) live.exec('ROLLBACK');
        throw fail(error, 'commit');
      }
    },
    close() {
      if (db === undefined || statements === undefined) return;
      const live = db;
      const prepared = statements;
      db = undefined;
      statements = undefined;
      try {
        live.transaction(() => fold(live, prepared))();
      } finally {
        live.close();
      }
    },
  };
}

interface Statements {
  readonly maxTagNo: Database.Statement;
  readonly hitLog: Database.Statement;
  readonly logHits: Database.Statement;
  readonly dataTimes: Database.Statement;
  readonly setDataTimes: Database.Statement;
  readonly deleteTag: Database.Statement;
  readonly deleteGoals: Database.Statement;
  readonly deleteTagChanges: Database.Statement;
  readonly upsertTag: Database.Statement;
  readonly insertGoal: Database.Statement;
  readonly insertChange: Database.Statement;
  readonly deleteChange: Database.Statement;
  readonly setMeta: Database.Statement;
  readonly allTags: Database.Statement;
  readonly allGoals: Database.Statement;
  readonly allChanges: Database.Statement;
}

function prepare(db: Database.Database): Statements {
  return {
    maxTagNo: db.prepare('SELECT max(no) FROM tags'),
    hitLog: db.prepare('SELECT hits FROM hit_log ORDER BY id'),
    logHits: db.prepare('INSERT INTO hit_log (hits) VALUES (?)'),
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
    insertChange: db.prepare(
      `INSERT INTO changes (seq, tag_no, goal_id, from_status, to_status, effective_at, noticed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    deleteChange: db.prepare('DELETE FROM changes WHERE seq = ?'),
    setMeta: db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    allTags: db.prepare(
      `SELECT no, tag_id, status, changed_at, first_data_at, last_data_at, tag_available
       FROM tags ORDER BY no`,
    ),
    allGoals: db.prepare(
      `SELECT tag_no, goal_id, goal_type, status, changed_at, last_conversion_at, decided_at
       FROM goals ORDER BY tag_no, position`,
    ),
    allChanges: db.prepare(
      `SELECT seq, tag_no, goal_id, from_status, to_status, effective_at, noticed_at
       FROM changes ORDER BY seq`,
    ),
  };
}

function writeTag(prepared: Statements, tag: StoredTag): void {
  prepared.upsertTag.run(
    tag.no,
    tag.tagId,
    tag.status,
    tag.changedAt ?? null,
    tag.firstDataAt ?? null,
    tag.lastDataAt ?? null,
    tag.tagAvailable ? 1 : 0,
  );
  prepared.deleteGoals.run(tag.no);
  tag.goals.forEach((goal, position) => {
    prepared.insertGoal.run(
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

function createSchema(db: Database.Database, windows: TrackingWindows): void {
  db.exec(SCHEMA_V1);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  setMeta.run('activityWindowMs', windows.activityWindowMs);
  setMeta.run('conversionWindowMs', windows.conversionWindowMs);
  setMeta.run('now', 0);
  setMeta.run('nextSeq', 1);
  setMeta.run('checkpoint', null);
}

/**
 * Reads an existing file read-only and refuses it, untouched, when it is damaged, from a
 * newer version, or another program's database.
 */
function inspectExisting(file: string, description: string): void {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return;
  }
  if (size === 0) return;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const objects = db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get() as number;
    if (applicationId !== APPLICATION_ID) {
      if (objects === 0 && version === 0) return;
      throw new MonitorStoreError(
        'notMonitorStore',
        description,
        `is a SQLite database of another program (application_id ${applicationId}); refusing to change it`,
      );
    }
    if (version > SCHEMA_VERSION) {
      throw new MonitorStoreError(
        'newerSchema',
        description,
        `was written by a newer version of uet-tag-status (schema ${version}; this version reads up to ${SCHEMA_VERSION}); upgrade the library, the file was left untouched`,
      );
    }
    if (version < 1) {
      throw new MonitorStoreError(
        'corrupt',
        description,
        `has no schema version (user_version ${version}); the file was left untouched`,
      );
    }
  } catch (error) {
    throw error instanceof MonitorStoreError
      ? error
      : classify(error, description, file, 'inspect');
  } finally {
    db?.close();
  }
}

function readSnapshot(
  db: Database.Database,
  prepared: Statements,
  description: string,
): { snapshot: StoreSnapshot; loggedHits: number } {
  const meta = new Map<string, unknown>(
    db.prepare('SELECT key, value FROM meta').raw().all() as [string, unknown][],
  );
  const windows: TrackingWindows = {
    activityWindowMs: metaTime(meta, 'activityWindowMs', description),
    conversionWindowMs: metaTime(meta, 'conversionWindowMs', description),
  };
  const checkpoint = meta.get('checkpoint');
  if (checkpoint !== null && typeof checkpoint !== 'string') {
    throw corrupt(description, 'meta checkpoint', checkpoint);
  }
  const goalsByTag = new Map<number, StoredGoal[]>();
  for (const row of prepared.allGoals.all() as Row[]) {
    const tagNo = row.tag_no as number;
    const goals = goalsByTag.get(tagNo) ?? [];
    goals.push(goalFromRow(row, description));
    goalsByTag.set(tagNo, goals);
  }
  const tags: MutableTag[] = [];
  const byNo: (MutableTag | undefined)[] = [];
  for (const row of prepared.allTags.all() as Row[]) {
    const tag = tagFromRow(row, goalsByTag.get(row.no as number) ?? [], description);
    tags.push(tag);
    byNo[tag.no] = tag;
  }
  let loggedHits = 0;
  for (const blob of prepared.hitLog.pluck().all() as Buffer[]) {
    const { count, tagNos, ats } = decodeHits(blob, description);
    loggedHits += count;
    for (let index = 0; index < count; index++) {
      const tag = byNo[tagNos[index] as number];
      if (tag === undefined) continue;
      const at = ats[index] as number;
      tag.firstDataAt = earliestReceived(tag.firstDataAt, at);
      tag.lastDataAt = latestReceived(tag.lastDataAt, at);
    }
  }
  const changes = (prepared.allChanges.all() as Row[]).map((row) =>
    changeFromRow(row, description),
  );
  return {
    snapshot: {
      windows,
      now: metaTime(meta, 'now', description),
      nextSeq: metaTime(meta, 'nextSeq', description),
      checkpoint: checkpoint ?? undefined,
      tags,
      changes,
    },
    loggedHits,
  };
}

function tagFromRow(row: Row, goals: StoredGoal[], description: string): MutableTag {
  const status = row.status;
  if (!isUetTagTrackingStatus(status)) throw corrupt(description, 'tags.status', status);
  return {
    no: row.no as number,
    tagId: text(row.tag_id, 'tags.tag_id', description),
    status,
    changedAt: optionalTime(row.changed_at, 'tags.changed_at', description),
    firstDataAt: optionalTime(row.first_data_at, 'tags.first_data_at', description),
    lastDataAt: optionalTime(row.last_data_at, 'tags.last_data_at', description),
    tagAvailable: row.tag_available === 1,
    goals,
  };
}

function goalFromRow(row: Row, description: string): StoredGoal {
  const { status, goal_type: goalType } = row;
  if (!isConversionGoalTrackingStatus(status)) throw corrupt(description, 'goals.status', status);
  if (!isConversionGoalType(goalType)) throw corrupt(description, 'goals.goal_type', goalType);
  return {
    goalId: text(row.goal_id, 'goals.goal_id', description),
    goalType,
    status,
    changedAt: optionalTime(row.changed_at, 'goals.changed_at', description),
    lastConversionAt: optionalTime(row.last_conversion_at, 'goals.last_conversion_at', description),
    decidedAt: time(row.decided_at, 'goals.decided_at', description),
  };
}

function changeFromRow(row: Row, description: string): StoredChange {
  return {
    seq: time(row.seq, 'changes.seq', description),
    tagNo: time(row.tag_no, 'changes.tag_no', description),
    goalId: row.goal_id === null ? undefined : text(row.goal_id, 'changes.goal_id', description),
    from: text(row.from_status, 'changes.from_status', description),
    to: text(row.to_status, 'changes.to_status', description),
    effectiveAt: time(row.effective_at, 'changes.effective_at', description),
    noticedAt: time(row.noticed_at, 'changes.noticed_at', description),
  };
}

const HIT_BYTES = 12;

function encodeHits(hits: StoredHits): Buffer {
  const buffer = new ArrayBuffer(hits.count * HIT_BYTES);
  new Float64Array(buffer, 0, hits.count).set(hits.ats.subarray(0, hits.count));
  new Uint32Array(buffer, hits.count * 8, hits.count).set(hits.tagNos.subarray(0, hits.count));
  return Buffer.from(buffer);
}

function decodeHits(blob: Buffer, description: string): StoredHits {
  if (blob.length % HIT_BYTES !== 0) {
    throw new MonitorStoreError('corrupt', description, 'the hit log has a truncated entry');
  }
  const count = blob.length / HIT_BYTES;
  const bytes = new Uint8Array(blob.length);
  bytes.set(blob);
  return {
    count,
    ats: new Float64Array(bytes.buffer, 0, count),
    tagNos: new Uint32Array(bytes.buffer, count * 8, count),
  };
}

function metaTime(meta: Map<string, unknown>, key: string, description: string): number {
  return time(meta.get(key), `meta ${key}`, description);
}

function time(value: unknown, field: string, description: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw corrupt(description, field, value);
  }
  return value;
}

function optionalTime(value: unknown, field: string, description: string): number | undefined {
  return value === null ? undefined : time(value, field, description);
}

function text(value: unknown, field: string, description: string): string {
  if (typeof value !== 'string' || value.length === 0) throw corrupt(description, field, value);
  return value;
}

function corrupt(description: string, field: string, value: unknown): MonitorStoreError {
  return new MonitorStoreError(
    'corrupt',
    description,
    `holds an impossible ${field} (${JSON.stringify(value)}); the file was left untouched`,
  );
}

const CODES: ReadonlyArray<[RegExp, MonitorStoreErrorCode, string]> = [
  [/^SQLITE_(NOTADB|CORRUPT)/, 'corrupt', 'is damaged or not a database; it was left untouched'],
  [/^SQLITE_FULL/, 'full', 'the disk or the database size limit is full'],
  [/^SQLITE_READONLY/, 'readOnly', 'cannot be written (read-only file or file system)'],
  [/^(EROFS|EACCES|EPERM)$/, 'readOnly', 'cannot be written (read-only file or file system)'],
  [/^ENOSPC$/, 'full', 'the disk is full'],
];

/** Turns a SQLite or file system error into a {@link MonitorStoreError}. */
function classify(
  error: unknown,
  description: string,
  file: string,
  doing: string,
): MonitorStoreError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  for (const [pattern, storeCode, explanation] of CODES) {
    if (typeof code === 'string' && pattern.test(code)) {
      return new MonitorStoreError(
        storeCode,
        description,
        `${doing}: ${explanation} (${message})`,
        error,
      );
    }
  }
  if (code === 'SQLITE_CANTOPEN' && !isWritable(path.dirname(file))) {
    return new MonitorStoreError(
      'readOnly',
      description,
      `${doing}: its folder cannot be written, and SQLite needs to create its WAL files there (${message})`,
      error,
    );
  }
  return new MonitorStoreError('io', description, `${doing}: ${message}`, error);
}

function isWritable(folder: string): boolean {
  try {
    fs.accessSync(folder, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
