import Database from 'better-sqlite3';
import { type CommittedImage, companionOf, readCommittedImage, sizeOf } from './committedImage.js';
import { checkHeader, HEADER_BYTES, readHeaderBytes } from './databaseHeader.js';
import { expectedSchemaObjects, SCHEMA_OBJECTS_QUERY, type SchemaObject } from './schema.js';
import { readStoredContents, type StoredContents } from './storedContents.js';
import { classifyFailure, refusal } from './storeErrors.js';

/** What an inspection found the file to be. */
export interface Inspection {
  /** What the file holds; `undefined` when it holds no store yet (missing or empty). */
  readonly contents: StoredContents | undefined;
  /** Its schema version (`PRAGMA user_version`); 0 when it holds no store yet. */
  readonly version: number;
  /**
   * Ends the inspection once the writer connection has read the file, or with `refused`
   * when the file is refused after all (see {@link CommittedImage.finish}).
   */
  finish(refused: boolean): void;
}

/**
 * Checks a database file before anything is written to it, and reads it: with the file
 * system, its header (magic, format, `user_version`, `application_id`, size); then, on an
 * in-memory copy of the database as SQLite sees it (WAL or hot journal included),
 * `PRAGMA integrity_check` (which also finds damaged indexes), its schema against the one
 * this version creates, and every row. A file that fails any of them is refused with a
 * {@link MonitorStoreError} and is left exactly as it was, with nothing new beside it.
 * Call it while holding the database's writer lock, so that no writer changes the file
 * meanwhile.
 *
 * @example
 * ```ts
 * const inspection = inspectExistingFile('/data/tags.db', '/data/tags.db');
 * const writer = new Database('/data/tags.db');
 * inspection.finish(false);
 * ```
 * @throws {@link MonitorStoreError} `corrupt`, `notMonitorStore`, `newerSchema`, or `io`.
 */
export function inspectExistingFile(file: string, description: string): Inspection {
  const companion = companionOf(file);
  const size = sizeOf(file);
  if (size === 0) {
    if (companion !== 'none') {
      throw refusal(
        'corrupt',
        description,
        `is empty, but its ${companion} file beside it holds data, which SQLite would discard; move the ${companion} file away if it is not needed`,
      );
    }
    return { contents: undefined, version: 0, finish() {} };
  }
  let image: CommittedImage | undefined;
  try {
    checkHeader(readHeaderBytes(file), description, companion === 'none' ? size : undefined);
    image = readCommittedImage(file, companion);
    const { contents, version } = checkImage(image.bytes, description);
    return { contents, version, finish: image.finish };
  } catch (error) {
    image?.finish(true);
    if ((error as { code?: unknown }).code === 'SQLITE_ERROR') {
      // Reading a database, SQLite fails with a plain error only on what it cannot read.
      throw refusal(
        'corrupt',
        description,
        `is damaged or not a database: SQLite cannot read it (${(error as Error).message})`,
        error,
      );
    }
    throw classifyFailure(error, description, 'open', true);
  }
}

/**
 * Checks the database in `bytes` (the header, integrity, schema and rows) and reads it;
 * `undefined` for an empty, unlabelled database, which becomes a store.
 */
function checkImage(
  bytes: Buffer,
  description: string,
): { contents: StoredContents | undefined; version: number } {
  const verdict = checkHeader(bytes.subarray(0, HEADER_BYTES), description, bytes.length);
  // An in-memory database cannot be in WAL mode: read the copy as a rollback database.
  bytes[18] = 1;
  bytes[19] = 1;
  const copy = new Database(bytes);
  try {
    checkIntegrity(copy, description);
    const objects = copy.prepare(SCHEMA_OBJECTS_QUERY).all() as SchemaObject[];
    if (verdict === 'unlabelled') {
      if (objects.length === 0) return { contents: undefined, version: 0 };
      throw refusal(
        'notMonitorStore',
        description,
        'is a SQLite database of another program (it has tables, but no application_id); refusing to change it',
      );
    }
    const version = copy.pragma('user_version', { simple: true }) as number;
    checkSchema(objects, version, description);
    return { contents: readStoredContents(copy, description, version), version };
  } finally {
    copy.close();
  }
}

/** The most problems `PRAGMA integrity_check` lists before it stops. */
const INTEGRITY_PROBLEMS = 10;

function checkIntegrity(db: Database.Database, description: string): void {
  const problems = db.pragma(`integrity_check(${INTEGRITY_PROBLEMS})`, { simple: false }) as {
    integrity_check: string;
  }[];
  const messages = problems
    .flatMap((problem) => problem.integrity_check.split('\n'))
    .filter((message) => !message.startsWith('*** in database'));
  if (messages.length === 1 && messages[0] === 'ok') return;
  throw refusal(
    'corrupt',
    description,
    `is damaged or not a database: PRAGMA integrity_check reports ${messages.slice(0, 3).join('; ')}`,
  );
}

/** Refuses a schema that is not exactly the one schema `version` has. */
function checkSchema(objects: readonly SchemaObject[], version: number, description: string): void {
  const key = (object: SchemaObject) => `${object.type} ${object.name}`;
  const found = new Map(objects.map((object) => [key(object), object]));
  const wanted = new Map(expectedSchemaObjects(version).map((object) => [key(object), object]));
  const differences = [
    ...[...wanted.keys()].filter((name) => !found.has(name)).map((name) => `no ${name}`),
    ...[...found.keys()].filter((name) => !wanted.has(name)).map((name) => `an unknown ${name}`),
    ...[...wanted]
      .filter(([name, object]) => {
        const other = found.get(name);
        return (
          other !== undefined && (other.sql !== object.sql || other.tbl_name !== object.tbl_name)
        );
      })
      .map(([name]) => `a different definition of ${name}`),
  ];
  if (differences.length === 0) return;
  throw refusal(
    'corrupt',
    description,
    `does not hold the schema of a monitor's store (version ${version}): it has ${differences.join(', ')}`,
  );
}
