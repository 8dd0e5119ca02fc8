import fs from 'node:fs';
import path from 'node:path';
import { MonitorStoreError } from 'uet-tag-status';
import { isWritableFolder, refusal } from './storeErrors.js';

/** Where a store's database is, as checked before anything is created or opened. */
export interface StorePath {
  /** The database file with symbolic links resolved, as SQLite names its `-wal` and `-shm`. */
  readonly file: string;
  /** Whether the file exists (and is a file); when not, its folder exists and is writable. */
  readonly exists: boolean;
}

/**
 * Checks the path of a store's database with the file system alone, before SQLite opens
 * anything: a directory or another thing that is not a file (`notAFile`), a folder that
 * does not exist (`io`) and a file or folder that cannot be written (`readOnly`) are
 * refused with a message that says so.
 *
 * @example
 * ```ts
 * const { file, exists } = inspectStorePath('/data/tags.db', '/data/tags.db');
 * ```
 * @throws {@link MonitorStoreError} `notAFile`, `io` or `readOnly`.
 */
export function inspectStorePath(given: string, description: string): StorePath {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(given);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new MonitorStoreError('io', description, `cannot be looked at (${error})`, error);
    }
    return { file: creatablePath(given, description), exists: false };
  }
  if (stats.isDirectory()) {
    throw new MonitorStoreError(
      'notAFile',
      description,
      'is a directory; give the path of a database file (it is created when missing)',
    );
  }
  if (!stats.isFile()) {
    throw new MonitorStoreError('notAFile', description, 'is not a regular file');
  }
  const file = fs.realpathSync(given);
  if (!isAccessible(file, fs.constants.R_OK | fs.constants.W_OK)) {
    throw refusal('readOnly', description, 'cannot be written (read-only file or file system)');
  }
  if (!isWritableFolder(path.dirname(file))) {
    throw refusal(
      'readOnly',
      description,
      `its folder ${path.dirname(file)} cannot be written, and the store keeps its WAL and lock files there`,
    );
  }
  return { file, exists: true };
}

/** The real path a missing database would be created at, once its folder is checked. */
function creatablePath(given: string, description: string): string {
  const folder = path.dirname(given);
  let stats: fs.Stats;
  try {
    stats = fs.statSync(folder);
  } catch {
    throw new MonitorStoreError(
      'io',
      description,
      `cannot be created: its folder ${folder} does not exist`,
    );
  }
  if (!stats.isDirectory()) {
    throw new MonitorStoreError('io', description, `cannot be created: ${folder} is not a folder`);
  }
  if (!isWritableFolder(folder)) {
    throw new MonitorStoreError(
      'readOnly',
      description,
      `cannot be created: its folder ${folder} cannot be written`,
    );
  }
  return path.join(fs.realpathSync(folder), path.basename(given));
}

function isAccessible(file: string, mode: number): boolean {
  try {
    fs.accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}
