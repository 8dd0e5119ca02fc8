import fs from 'node:fs';
import path from 'node:path';
import { MonitorStoreError, type StoreSnapshot } from 'uet-tag-status';
import { inspectExistingFile } from './existingFile.js';

/**
 * Reads what a monitor's SQLite file holds, without writing to it and without its writer
 * lock, so that it can be read while `uet-tag monitor` runs: the file (with its WAL) is
 * read as one committed state through a read-only connection, then checked as
 * `createSqliteStore` checks it (header, integrity, schema, rows).
 *
 * @example
 * ```ts
 * const snapshot = readSqliteSnapshot('tags.db');
 * snapshot.tags.map((tag) => `${tag.tagId} ${tag.status}`);
 * ```
 * @throws `MonitorStoreError` `io` for a missing or unreadable file or one that
 * holds no monitor state yet; `corrupt`, `notMonitorStore` or `newerSchema` as the store.
 */
export function readSqliteSnapshot(file: string): StoreSnapshot {
  const description = path.resolve(file);
  let stats: fs.Stats;
  try {
    stats = fs.statSync(description);
  } catch (error) {
    throw new MonitorStoreError('io', description, `cannot be read (${(error as Error).message})`);
  }
  if (!stats.isFile()) {
    throw new MonitorStoreError('notAFile', description, 'is not a regular file');
  }
  const inspection = inspectExistingFile(fs.realpathSync(description), description);
  inspection.finish(false);
  if (inspection.contents === undefined) {
    throw new MonitorStoreError('io', description, 'holds no monitor state yet (it is empty)');
  }
  return inspection.contents.snapshot;
}
