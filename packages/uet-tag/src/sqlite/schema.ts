/**
 * The schema version this library writes; `PRAGMA user_version` of every monitor file.
 *
 * @example
 * ```ts
 * new Database('tags.db').pragma('user_version', { simple: true }) === SCHEMA_VERSION;
 * ```
 */
export const SCHEMA_VERSION = 1;

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
export const SCHEMA_V1 = `
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
