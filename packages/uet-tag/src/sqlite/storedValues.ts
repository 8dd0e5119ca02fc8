import { MonitorStoreError, type StoreCommit, TrackingInputError } from 'uet-tag-status';
import { assertEpochMs, assertId } from 'uet-tag-status/engine';
import { impossibleValue } from './storeErrors.js';

/**
 * The highest tag number a monitor can hold: its tag table packs `no * 4 + statusCode`
 * into an Int32, so numbers stay below 2^29.
 */
export const MAX_TAG_NO = 2 ** 29 - 1;

/** One stored value's place, for messages: the file, `table.column`, and which row. */
export interface Cell {
  readonly description: string;
  readonly column: string;
  /** Says which row the value is in; called only when a value is refused. */
  readonly row: () => string;
  /** The value's bytes as stored (`CAST(column AS BLOB)`), for text that may not be UTF-8. */
  readonly bytes?: () => unknown;
}

/**
 * The cells of `columns` of one table, made once and used for every row: `row` and
 * `bytes` read the row being checked, so that checking a row allocates nothing.
 *
 * @example
 * ```ts
 * let current: unknown[] = [];
 * const cells = cellsOf(file, 'tags', ['no', 'status'], () => `tag no ${current[0]}`);
 * ```
 */
export function cellsOf<Column extends string>(
  description: string,
  table: string,
  columns: readonly Column[],
  row: () => string,
  bytes: Partial<Record<Column, () => unknown>> = {},
): Record<Column, Cell> {
  const cells = {} as Record<Column, Cell>;
  for (const column of columns) {
    cells[column] = { description, column: `${table}.${column}`, row, bytes: bytes[column] };
  }
  return cells;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A stored time: UTC epoch milliseconds, as the monitor accepts them (a non-negative safe
 * integer).
 *
 * @example
 * ```ts
 * const decidedAt = storedTime(row.decided_at, cells.decided_at);
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the cell and the value.
 */
export function storedTime(value: unknown, cell: Cell): number {
  try {
    assertEpochMs(cell.column, value);
  } catch (error) {
    throw impossible(value, cell, error);
  }
  return value;
}

/**
 * A stored time or SQL `NULL` (`undefined`): see {@link storedTime}.
 *
 * @example
 * ```ts
 * const changedAt = optionalStoredTime(row.changed_at, cell);
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the cell and the value.
 */
export function optionalStoredTime(value: unknown, cell: Cell): number | undefined {
  return value === null ? undefined : storedTime(value, cell);
}

/**
 * A stored integer from `least` to `most`.
 *
 * @example
 * ```ts
 * const no = storedInteger(row.no, 0, MAX_TAG_NO, cell);
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the cell and the value.
 */
export function storedInteger(value: unknown, least: number, most: number, cell: Cell): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least || value > most) {
    throw impossibleValue(
      cell.description,
      cell.column,
      value,
      cell.row(),
      `an integer from ${least} to ${most}`,
    );
  }
  return value;
}

/**
 * A stored flag: the integer 0 or 1.
 *
 * @example
 * ```ts
 * const tagAvailable = storedFlag(row.tag_available, cell);
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the cell and the value.
 */
export function storedFlag(value: unknown, cell: Cell): boolean {
  return storedInteger(value, 0, 1, cell) === 1;
}

/**
 * Stored text, refused when it is not valid UTF-8 (a lone surrogate, a broken sequence):
 * such text would come back with replacement characters, that is as a different string.
 * Text is read as SQLite gives it, and only text that holds U+FFFD (which every invalid
 * sequence decodes to) is read again from its bytes (`cell.bytes`) as strict UTF-8.
 *
 * @example
 * ```ts
 * const checkpoint = storedText(row.value, cells.value);
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the cell and the value.
 */
export function storedText(value: unknown, cell: Cell): string {
  if (typeof value !== 'string') {
    throw impossibleValue(cell.description, cell.column, value, cell.row(), 'text');
  }
  if (!value.includes('\uFFFD')) return value;
  const bytes = cell.bytes?.();
  if (!Buffer.isBuffer(bytes)) throw new Error(`internal: no stored bytes for ${cell.column}`);
  try {
    return strictUtf8.decode(bytes as Buffer);
  } catch {
    throw impossibleValue(cell.description, cell.column, bytes, cell.row(), 'text in valid UTF-8');
  }
}

/**
 * A stored tag or goal id: {@link storedText} that the monitor accepts as an id
 * (`assertId`).
 *
 * @example
 * ```ts
 * const tagId = storedId(row.tag_id, cells.tag_id);
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the cell and the value.
 */
export function storedId(value: unknown, cell: Cell): string {
  const text = storedText(value, cell);
  try {
    assertId(cell.column, text);
  } catch (error) {
    throw impossible(text, cell, error);
  }
  return text;
}

/**
 * A stored value of a value set, checked by the value set's own guard.
 *
 * @example
 * ```ts
 * const status = storedMember(row.status, isUetTagTrackingStatus, UET_TAG_STATUSES, cell);
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the cell and the value.
 */
export function storedMember<Member extends string>(
  value: unknown,
  isMember: (value: unknown) => value is Member,
  members: readonly string[],
  cell: Cell,
): Member {
  if (!isMember(value)) {
    throw impossibleValue(
      cell.description,
      cell.column,
      value,
      cell.row(),
      `one of ${members.join(', ')}`,
    );
  }
  return value;
}

/** A refusal of `value` that says what the monitor's own check (which threw `error`) expected. */
function impossible(value: unknown, cell: Cell, error: unknown) {
  if (!(error instanceof TrackingInputError)) throw error;
  const expected = error.message.slice(error.message.indexOf('expected ') + 'expected '.length);
  return impossibleValue(cell.description, cell.column, value, cell.row(), expected);
}

/** A UTF-16 surrogate that is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Checks that a commit's text can be stored as it is: SQLite keeps text as UTF-8, which
 * has no lone UTF-16 surrogates, so an id holding one would come back as a different id
 * (and the file would then be refused as damaged). Such a commit is failed instead, and
 * nothing of it is kept.
 *
 * @example
 * ```ts
 * checkStorable(commit, '/data/tags.db');
 * ```
 * @throws {@link MonitorStoreError} `io` naming the text.
 */
export function checkStorable(commit: StoreCommit, description: string): void {
  const texts = [
    commit.state.checkpoint,
    ...commit.tags.flatMap((tag) => [tag.tagId, ...tag.goals.map((goal) => goal.goalId)]),
    ...commit.changes.map((change) => change.goalId),
  ];
  const unstorable = texts.find((text) => text !== undefined && LONE_SURROGATE.test(text));
  if (unstorable === undefined) return;
  throw new MonitorStoreError(
    'io',
    description,
    `commit: cannot store ${JSON.stringify(unstorable)}: it holds a lone UTF-16 surrogate, which SQLite text cannot keep; nothing of this commit was kept`,
  );
}
