import fs from 'node:fs';
import path from 'node:path';
import { MonitorStoreError, type MonitorStoreErrorCode } from 'uet-tag-status';

/** The end of every refusal's message: the store checked before it wrote anything. */
const UNTOUCHED = 'the file was left untouched';

/**
 * A refusal of a file that the store has not changed: `problem` says what is wrong, and
 * the message adds that the file was left untouched.
 *
 * @example
 * ```ts
 * throw refusal('newerSchema', '/data/tags.db', 'was written by schema 2');
 * // message: "/data/tags.db: was written by schema 2; the file was left untouched"
 * ```
 */
export function refusal(
  code: MonitorStoreErrorCode,
  description: string,
  problem: string,
  cause?: unknown,
): MonitorStoreError {
  return new MonitorStoreError(code, description, `${problem}; ${UNTOUCHED}`, cause);
}

/**
 * A refusal (code `corrupt`) of a stored value that no monitor writes, naming the table,
 * the column, the value, the row and what was expected.
 *
 * @example
 * ```ts
 * throw impossibleValue('/data/tags.db', 'tags.no', 2_000_000_000, 'tag 2000000000', 'below 2^29');
 * ```
 */
export function impossibleValue(
  description: string,
  column: string,
  value: unknown,
  row: string,
  expected: string,
): MonitorStoreError {
  return refusal(
    'corrupt',
    description,
    `holds an impossible ${column} ${shown(value)} (${row}): expected ${expected}`,
  );
}

/** A value as a message shows it: JSON where it can be, bytes as hex. */
function shown(value: unknown): string {
  if (Buffer.isBuffer(value)) return `x'${value.toString('hex').slice(0, 64)}'`;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** What a failure of SQLite or of the file system means, by its code. */
const MEANINGS: ReadonlyArray<[RegExp, MonitorStoreErrorCode, string]> = [
  [/^SQLITE_(NOTADB|CORRUPT)/, 'corrupt', 'is damaged or not a database'],
  [/^SQLITE_FULL/, 'full', 'the disk or the database size limit is full'],
  [/^SQLITE_READONLY/, 'readOnly', 'cannot be written (read-only file or file system)'],
  [/^(EROFS|EACCES|EPERM)$/, 'readOnly', 'cannot be written (read-only file or file system)'],
  [/^ENOSPC$/, 'full', 'the disk is full'],
];

/**
 * Turns a failure of SQLite or of the file system into a {@link MonitorStoreError} (one
 * already typed is returned as it is). `untouched` says whether the store had written
 * nothing yet, so that only then does the message say the file was left untouched.
 *
 * @example
 * ```ts
 * try { db.exec('COMMIT'); } catch (error) { throw classifyFailure(error, file, 'commit', false); }
 * ```
 */
export function classifyFailure(
  error: unknown,
  description: string,
  doing: string,
  untouched: boolean,
): MonitorStoreError {
  if (error instanceof MonitorStoreError) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const ending = untouched ? `; ${UNTOUCHED}` : '';
  for (const [pattern, storeCode, meaning] of MEANINGS) {
    if (typeof code === 'string' && pattern.test(code)) {
      return new MonitorStoreError(
        storeCode,
        description,
        `${meaning} (${doing}: ${message})${ending}`,
        error,
      );
    }
  }
  if (code === 'SQLITE_CANTOPEN' && !isWritableFolder(path.dirname(description))) {
    return new MonitorStoreError(
      'readOnly',
      description,
      `its folder cannot be written, and SQLite needs to create its WAL files there (${doing}: ${message})${ending}`,
      error,
    );
  }
  return new MonitorStoreError('io', description, `${doing}: ${message}${ending}`, error);
}

/**
 * Whether files can be created in `folder`.
 *
 * @example
 * ```ts
 * if (!isWritableFolder('/data')) console.error('cannot create the database there');
 * ```
 */
export function isWritableFolder(folder: string): boolean {
  try {
    fs.accessSync(folder, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
