/**
 * Why a monitor's store failed.
 *
 * - `newerSchema`: written by a newer version of this library; left untouched.
 * - `corrupt`: not readable as a monitor's store (damaged, inconsistent, or not a
 *   database); left untouched.
 * - `notMonitorStore`: a readable database that some other program owns; left untouched.
 * - `inUse`: another writer (a process, or another store of this one) has it open; left
 *   untouched.
 * - `notAFile`: the path names a directory or another thing that is not a file.
 * - `readOnly`: the file or its folder cannot be written.
 * - `full`: the disk, or the database's size limit, is full.
 * - `io`: any other read or write failure.
 * - `closed`: used after `close()`.
 * - `failed`: an earlier commit failed, so the monitor stopped; reopen it from the store.
 * - `noChangeLog`: the change log was asked for, and the monitor has no store that keeps one.
 */
export type MonitorStoreErrorCode =
  | 'newerSchema'
  | 'corrupt'
  | 'notMonitorStore'
  | 'inUse'
  | 'notAFile'
  | 'readOnly'
  | 'full'
  | 'io'
  | 'closed'
  | 'failed'
  | 'noChangeLog';

/**
 * A monitor's store could not be opened, read or written. When it is thrown by a
 * commit, nothing of that commit was kept and no input of it was acknowledged.
 *
 * @example
 * ```ts
 * try {
 *   monitor.recordActivity('tag-1', Date.now());
 * } catch (error) {
 *   if (error instanceof MonitorStoreError && error.code === 'full') freeSomeSpace();
 * }
 * ```
 */
export class MonitorStoreError extends Error {
  /** What kind of failure it is. */
  readonly code: MonitorStoreErrorCode;
  /** The store, for example the database file's path. */
  readonly store: string;

  constructor(code: MonitorStoreErrorCode, store: string, message: string, cause?: unknown) {
    super(`${store}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'MonitorStoreError';
    this.code = code;
    this.store = store;
  }
}
