import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import { MonitorStoreError } from 'uet-tag-status';
import { classifyFailure, refusal } from './storeErrors.js';

/** Who holds a database's writer lock, as its lock file records it. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** When it took the lock, UTC epoch ms. */
  readonly since: number;
}

/** A held writer lock; {@link WriterLock.release} gives it up. */
export interface WriterLock {
  /** Whether this store created the lock file (it did not exist before). */
  readonly createdFile: boolean;
  /**
   * Gives the lock up. With `removeFile`, the lock file is deleted first, while it is
   * still held, so that an opener that opened the old file sees it is gone and retries.
   */
  release(removeFile: boolean): void;
}

/**
 * The locks this process holds, by lock file. A second store of this process on the same
 * database is refused from here, without opening the lock file: POSIX drops every lock a
 * process holds on a file as soon as it closes any descriptor of that file, so this
 * process must never open and close the lock file of a lock it holds.
 */
const heldHere = new Map<string, LockOwner>();

/** How often the lock is tried again when its file was replaced while it was taken. */
const ATTEMPTS = 5;

/**
 * Takes the one writer lock of the database `file` (a real path), or throws `inUse` naming
 * the process that has it. The lock is SQLite's own lock on a companion database
 * `<file>-lock`: an `EXCLUSIVE` lock kept for the life of a connection in
 * `locking_mode = EXCLUSIVE`, taken at once or not at all (`busy_timeout = 0`). It is an
 * OS file lock, so it goes with the process: a writer that crashed leaves no stale lock.
 *
 * The lock file records its holder (pid, host, since when) as a view in page 1, the only
 * page of a 512-byte database written in one transaction without a journal file, so a
 * second opener can read it (from a copy) while the lock is held.
 *
 * @example
 * ```ts
 * const lock = acquireWriterLock('/data/tags.db', '/data/tags.db');
 * try { work(); } finally { lock.release(true); }
 * ```
 * @throws {@link MonitorStoreError} `inUse`, or `readOnly`/`io` when the lock file cannot
 * be created or is damaged.
 */
export function acquireWriterLock(file: string, description: string): WriterLock {
  const lockFile = `${file}-lock`;
  const holder = heldHere.get(lockFile);
  if (holder !== undefined) throw inUse(description, lockFile, holder, true);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const existed = fs.existsSync(lockFile);
    const taken = takeLock(lockFile, existed, description);
    if (taken === undefined) continue;
    const owner = taken.owner;
    heldHere.set(lockFile, owner);
    return {
      createdFile: !existed,
      release(removeFile) {
        heldHere.delete(lockFile);
        if (removeFile) fs.rmSync(lockFile, { force: true });
        taken.connection.close();
      },
    };
  }
  throw new MonitorStoreError(
    'io',
    description,
    `its lock file ${lockFile} was replaced ${ATTEMPTS} times while the store took it; the file was left untouched`,
  );
}

/**
 * One try: the connection holding the lock and the owner it recorded, or `undefined` when
 * the lock file was deleted or replaced meanwhile (the lock then guards nothing). A lock
 * file this try created is removed again when it cannot be used.
 */
function takeLock(
  lockFile: string,
  existed: boolean,
  description: string,
): { connection: Database.Database; owner: LockOwner } | undefined {
  let connection: Database.Database;
  try {
    connection = new Database(lockFile);
  } catch (error) {
    throw classifyFailure(error, description, `cannot open its lock file ${lockFile}`, true);
  }
  const opened = identityOf(lockFile);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: Date.now() };
  try {
    connection.pragma('busy_timeout = 0');
    connection.pragma('locking_mode = EXCLUSIVE');
    connection.pragma('journal_mode = MEMORY');
    connection.pragma('page_size = 512');
    connection.exec('BEGIN EXCLUSIVE');
    connection.exec('DROP VIEW IF EXISTS writer');
    connection.exec(`CREATE VIEW writer AS SELECT ${ownerColumns(owner)}`);
    connection.exec('COMMIT');
  } catch (error) {
    connection.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') {
      throw inUse(description, lockFile, readOwner(lockFile), false);
    }
    if (!existed) fs.rmSync(lockFile, { force: true });
    throw refusal(
      'io',
      description,
      `its lock file ${lockFile} cannot be used (${(error as Error).message}); if no monitor runs on the database, delete the lock file`,
      error,
    );
  }
  if (opened === undefined || opened !== identityOf(lockFile)) {
    connection.close();
    return undefined;
  }
  return { connection, owner };
}

/** The SQL select list that records `owner`. */
function ownerColumns(owner: LockOwner): string {
  const host = `'${owner.host.replaceAll("'", "''")}'`;
  return `${owner.pid} AS pid, ${host} AS host, ${owner.since} AS since`;
}

/**
 * The owner recorded in a lock file held by another process, read from a copy of the file
 * (the holder's `EXCLUSIVE` lock keeps SQLite connections out); `undefined` when it cannot
 * be read, as while its holder is still writing it.
 */
function readOwner(lockFile: string): LockOwner | undefined {
  try {
    const copy = new Database(fs.readFileSync(lockFile));
    try {
      const row = copy.prepare('SELECT pid, host, since FROM writer').get() as
        | Record<string, unknown>
        | undefined;
      const { pid, host, since } = row ?? {};
      if (!Number.isSafeInteger(pid) || typeof host !== 'string' || !Number.isSafeInteger(since)) {
        return undefined;
      }
      return { pid: pid as number, host, since: since as number };
    } finally {
      copy.close();
    }
  } catch {
    return undefined;
  }
}

function inUse(
  description: string,
  lockFile: string,
  owner: LockOwner | undefined,
  here: boolean,
): MonitorStoreError {
  if (owner === undefined) {
    return refusal(
      'inUse',
      description,
      `is in use by another writer (its lock file ${lockFile} is held, but does not say by which process); only one monitor may write to a database at a time`,
    );
  }
  const since = new Date(owner.since).toISOString();
  const who = here
    ? `another store of this process (pid ${owner.pid}), open since ${since}`
    : `process ${owner.pid} on host ${owner.host}, its writer since ${since}`;
  return refusal(
    'inUse',
    description,
    `is in use by ${who}; only one monitor may write to a database at a time`,
  );
}

/** The file at `file` as device and inode, or `undefined` when there is none. */
function identityOf(file: string): string | undefined {
  try {
    const stats = fs.statSync(file);
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}
