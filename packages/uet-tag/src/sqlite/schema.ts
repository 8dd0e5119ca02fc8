import Database from 'better-sqlite3';
import type { TrackingWindows } from 'uet-tag-status';

/**
 * The schema version this library writes; `PRAGMA user_version` of every monitor file.
 *
 * @example
 * ```ts
 * new Database('tags.db').pragma('user_version', { simple: true }) === SCHEMA_VERSION;
 * ```
 */
export const SCHEMA_VERSION = 4;

/**
 * `PRAGMA application_id` of every monitor file: the bytes "UETM".
 *
 * @example
 * ```ts
 * new Database('tags.db').pragma('application_id', { simple: true }) === APPLICATION_ID;
 * ```
 */
export const APPLICATION_ID = 0x5545544d;

/**
 * Schema version 1. Times are UTC epoch ms (integers); statuses are spelled as the value
 * sets spell them, so the file can be queried directly:
 * `SELECT tag_id FROM tags WHERE status = 'Inactive'`.
 *
 * `hit_log` holds activity that changed no status, as blobs of little-endian float64
 * times followed by uint32 tag numbers; each one only moves its tag's first and last
 * data times, so the log is folded into `tags` now and then and at start-up.
 */
const SCHEMA_V1 = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value
) WITHOUT ROWID;
CREATE TABLE tags (
  no INTEGER PRIMARY KEY,
  tag_id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  changed_at INTEGER,
  first_data_at INTEGER,
  last_data_at INTEGER,
  tag_available INTEGER NOT NULL
);
CREATE TABLE goals (
  tag_no INTEGER NOT NULL,
  position INTEGER NOT NULL,
  goal_id TEXT NOT NULL,
  goal_type TEXT NOT NULL,
  status TEXT NOT NULL,
  changed_at INTEGER,
  last_conversion_at INTEGER,
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (tag_no, position)
) WITHOUT ROWID;
CREATE TABLE changes (
  seq INTEGER PRIMARY KEY,
  tag_no INTEGER NOT NULL,
  goal_id TEXT,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  effective_at INTEGER NOT NULL,
  noticed_at INTEGER NOT NULL
);
CREATE INDEX changes_by_tag ON changes (tag_no, seq);
CREATE TABLE hit_log (
  id INTEGER PRIMARY KEY,
  hits BLOB NOT NULL
);
`;

/**
 * Schema version 2 adds the change log: every committed change by its tag's id, whatever
 * the history keeps, within the store's retention (`changeLogLimit`), for feeds that resume
 * where a reader stopped.
 */
const SCHEMA_V2 = `
CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY,
  tag_id TEXT NOT NULL,
  goal_id TEXT,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  effective_at INTEGER NOT NULL,
  noticed_at INTEGER NOT NULL
);
`;

/**
 * Schema version 3 adds goal definitions: for a goal attached with one, what hits are
 * matched against (SPEC M2–M6), as the JSON of its `GoalDefinition`, by the goal's tag
 * number and position in `goals`.
 */
const SCHEMA_V3 = `
CREATE TABLE goal_definitions (
  tag_no INTEGER NOT NULL,
  position INTEGER NOT NULL,
  definition TEXT NOT NULL,
  PRIMARY KEY (tag_no, position)
) WITHOUT ROWID;
`;

/**
 * Schema version 4 adds the webhook outbox of `uet-tag serve`: each target's cursor in the
 * change log, and the deliveries not acknowledged yet (pending or dead), unique by target
 * and idempotency key. Monitors that run no webhooks leave both tables empty.
 */
const SCHEMA_V4 = `
CREATE TABLE webhook_cursor (
  target TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE webhook_outbox (
  id INTEGER PRIMARY KEY,
  target TEXT NOT NULL,
  key TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'dead')),
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  UNIQUE (target, key)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (state, next_attempt_at, id);
`;

/**
 * The migrations, in order: the first creates schema version 1, each next one takes a
 * database from the version before to its own. A file of an older version is migrated
 * once it has been checked against that version's schema, in one transaction.
 */
const MIGRATIONS: readonly string[] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4];

/** One object of a database's schema, as `sqlite_schema` lists it. */
export interface SchemaObject {
  readonly type: string;
  readonly name: string;
  readonly tbl_name: string;
  readonly sql: string | null;
}

/** Lists a database's schema objects in a stable order. */
export const SCHEMA_OBJECTS_QUERY =
  'SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name';

const expected = new Map<number, readonly SchemaObject[]>();

/**
 * The objects schema `version` has (tables, indexes and SQLite's own automatic indexes),
 * found by running its migrations in an in-memory database, so that the list is never
 * written out a second time.
 *
 * @example
 * ```ts
 * expectedSchemaObjects(SCHEMA_VERSION).map((object) => object.name); // ['change_log', 'changes_by_tag', ...]
 * ```
 */
export function expectedSchemaObjects(version: number): readonly SchemaObject[] {
  let objects = expected.get(version);
  if (objects === undefined) {
    const scratch = new Database(':memory:');
    try {
      for (const migration of MIGRATIONS.slice(0, version)) scratch.exec(migration);
      objects = scratch.prepare(SCHEMA_OBJECTS_QUERY).all() as SchemaObject[];
      expected.set(version, objects);
    } finally {
      scratch.close();
    }
  }
  return objects;
}

/**
 * Migrates a monitor's database of schema `version` to {@link SCHEMA_VERSION}. Call it
 * inside a transaction, once the file was checked against schema `version`.
 *
 * @example
 * ```ts
 * db.transaction(() => migrateSchema(db, 1))();
 * ```
 */
export function migrateSchema(db: Database.Database, version: number): void {
  for (const migration of MIGRATIONS.slice(version)) db.exec(migration);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/**
 * Creates schema {@link SCHEMA_VERSION} in an empty database, labelled with
 * {@link APPLICATION_ID}, and its monitor-wide facts for a store with `windows`: time 0,
 * the first sequence number 1 and no checkpoint. Call it inside a transaction.
 *
 * @example
 * ```ts
 * db.transaction(() => createSchema(db, DEFAULT_WINDOWS))();
 * ```
 */
export function createSchema(db: Database.Database, windows: TrackingWindows): void {
  migrateSchema(db, 0);
  db.pragma(`application_id = ${APPLICATION_ID}`);
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  setMeta.run('activityWindowMs', windows.activityWindowMs);
  setMeta.run('conversionWindowMs', windows.conversionWindowMs);
  setMeta.run('now', 0);
  setMeta.run('nextSeq', 1);
  setMeta.run('checkpoint', null);
}
