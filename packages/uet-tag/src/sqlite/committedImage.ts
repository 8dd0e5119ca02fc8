import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** What lies beside a database file that SQLite reads as part of it. */
export type Companion =
  /** Nothing: the file holds the whole database. */
  | 'none'
  /** A non-empty `-wal`: commits of a writer that stopped without a checkpoint. */
  | 'wal'
  /** A non-empty `-journal`: maybe a hot journal, rolled back when the file is next read. */
  | 'journal';

/** A database's bytes as SQLite will see them, read without writing anything. */
export interface CommittedImage {
  /** The database, every page as the next connection reads it. */
  readonly bytes: Buffer;
  /**
   * Ends the reading. Call it once the writer connection has read the file (so that,
   * with a WAL, both read through the same WAL index), or with `refused` to remove what
   * the reading created beside the file.
   */
  finish(refused: boolean): void;
}

/**
 * Reads the database `file` as SQLite will see it, changing nothing in it:
 *
 * - with no companion, the file's own bytes;
 * - with a WAL, through a read-only connection kept open until {@link CommittedImage.finish}
 *   (SQLite then creates nothing but a missing `-shm`, which a refusal removes);
 * - with a journal, from a copy of the file and the journal in a private temporary folder,
 *   where SQLite rolls the journal back as it would beside the file.
 *
 * @example
 * ```ts
 * const image = readCommittedImage('/data/tags.db', 'wal');
 * try { check(image.bytes); } catch (error) { image.finish(true); throw error; }
 * ```
 */
export function readCommittedImage(file: string, companion: Companion): CommittedImage {
  if (companion === 'wal') return readThroughWal(file);
  if (companion === 'journal') return { bytes: readThroughJournalCopy(file), finish() {} };
  return { bytes: fs.readFileSync(file), finish() {} };
}

/**
 * Which companion SQLite would read with `file`: a non-empty `-wal` first (SQLite opens a
 * WAL whenever one exists), else a non-empty `-journal`.
 *
 * @example
 * ```ts
 * companionOf('/data/tags.db'); // 'none' after a clean close
 * ```
 */
export function companionOf(file: string): Companion {
  if (sizeOf(`${file}-wal`) > 0) return 'wal';
  if (sizeOf(`${file}-journal`) > 0) return 'journal';
  return 'none';
}

/**
 * The size of a file in bytes, 0 when there is none.
 *
 * @example
 * ```ts
 * sizeOf('/data/tags.db-wal'); // 0
 * ```
 */
export function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function readThroughWal(file: string): CommittedImage {
  const shm = `${file}-shm`;
  const shmExisted = fs.existsSync(shm);
  const removeCreated = () => {
    if (!shmExisted) fs.rmSync(shm, { force: true });
  };
  let reader: Database.Database | undefined;
  try {
    reader = new Database(file, { readonly: true, fileMustExist: true });
    const bytes = reader.serialize();
    const opened = reader;
    return {
      bytes,
      finish(refused) {
        opened.close();
        if (refused) removeCreated();
      },
    };
  } catch (error) {
    reader?.close();
    removeCreated();
    throw error;
  }
}

function readThroughJournalCopy(file: string): Buffer {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-tag-check-'));
  try {
    const copy = path.join(folder, 'copy.db');
    fs.copyFileSync(file, copy);
    fs.copyFileSync(`${file}-journal`, `${copy}-journal`);
    const db = new Database(copy, { fileMustExist: true });
    try {
      return db.serialize();
    } finally {
      db.close();
    }
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
