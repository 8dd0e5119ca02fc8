import { isValidTime } from 'uet-tag-status/engine';
import { type InputRecord, parseInputRecord } from '../records/inputRecord.js';
import { readPlainInputRecord } from '../records/plainInputRecord.js';
import { digitsBetween } from './digitsBetween.js';
import { IdInterner } from './IdInterner.js';
import { ReplayError } from './ReplayError.js';
import { accepted, BLANK, type LineParser, malformed, TOLD } from './replayRecord.js';

const KNOWN_COLUMNS = ['kind', 'tagId', 'at', 'goalId', 'goalType', 'tagAvailable'] as const;

/**
 * Parses CSV (RFC 4180 quoting, one record per line) whose first line names the columns:
 * the fields of the input records (`kind`, `tagId`, `at`, `goalId`, `goalType`,
 * `tagAvailable`; see the NDJSON format), each row one record. `tagId` is required; a row
 * without a `kind` (no such column, or an empty cell) is `activity`. An empty cell is a field left out; `at` may be
 * digits (epoch ms) or an ISO 8601 date-time; `tagAvailable` is `true` or `false`. A header
 * without `tagId`, or with a column that is not a record field, throws a
 * {@link ReplayError} naming `source`.
 *
 * @example
 * ```ts
 * const parser = createCsvParser();
 * parser.parse('tagId,at', 1);
 * parser.parse('shop,2024-03-01T09:00:00Z', 2);
 * // { kind: 'record', record: { kind: 'activity', tagId: 'shop', at: 1709283600000 } }
 * ```
 */
export function createCsvParser(source = 'file'): LineParser {
  let header: string[] | undefined;
  let layout: ActivityLayout | undefined;
  const row: ActivityRow = { tagId: '', at: 0 };
  const ids = new IdInterner();
  return {
    parse(line, lineNumber, activity) {
      // Most rows are plain activity without quotes, read by the header's layout (the same reading).
      if (layout !== undefined && readActivityRow(line, layout, ids, row)) {
        if (activity === undefined)
          return accepted({ kind: 'activity', tagId: row.tagId, at: row.at });
        activity.activity(row.tagId, row.at, lineNumber, line);
        return TOLD;
      }
      if (line.trim() === '') return BLANK;
      const fields = splitCsvLine(line);
      if (header === undefined) {
        header = checkedHeader(fields, source, lineNumber);
        layout = activityLayout(header);
        return BLANK;
      }
      if (fields === undefined) {
        return malformed(
          'bad quoting: a quoted field is not closed, or text follows its closing quote',
        );
      }
      if (fields.length !== header.length) {
        return malformed(
          `expected ${header.length} fields (${header.join(',')}), found ${fields.length}`,
        );
      }
      const record: Record<string, unknown> = { kind: 'activity' };
      for (let index = 0; index < header.length; index++) {
        const value = fields[index] as string;
        if (value !== '')
          record[header[index] as string] = cellValue(header[index] as string, value);
      }
      // Most rows are plain records, read without the schema (the same reading).
      const plain = readPlainInputRecord(record);
      if (plain !== undefined) return accepted(plain as InputRecord);
      const result = parseInputRecord(record);
      return result.ok ? accepted(result.record) : malformed(result.message);
    },
  };
}

function checkedHeader(fields: string[] | undefined, source: string, lineNumber: number): string[] {
  const unknown = fields?.filter((name) => !(KNOWN_COLUMNS as readonly string[]).includes(name));
  if (fields === undefined || !fields.includes('tagId') || (unknown?.length ?? 0) > 0) {
    throw new ReplayError(
      source,
      `line ${lineNumber}: a CSV file needs a header naming its columns, at least tagId, each one of ${KNOWN_COLUMNS.join(', ')}${unknown?.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
  }
  return fields;
}

/** Where a header puts the columns of an activity row. */
interface ActivityLayout {
  /** The number of columns. */
  readonly count: number;
  readonly tagId: number;
  /** The column of `at` and of `kind`; -1 when the header has none. */
  readonly at: number;
  readonly kind: number;
}

function activityLayout(header: readonly string[]): ActivityLayout {
  return {
    count: header.length,
    tagId: header.indexOf('tagId'),
    at: header.indexOf('at'),
    kind: header.indexOf('kind'),
  };
}

/** The tag and time of an activity row, as {@link readActivityRow} reads them. */
interface ActivityRow {
  tagId: string;
  at: number;
}

/**
 * Reads a row without quotes that is plainly an activity record by the header's layout,
 * without splitting it, into `row`: `kind` is `activity` or empty, `tagId` a valid id
 * (read by `ids`, which refuses a quote: no other cell of such a row can hold one),
 * `at` epoch ms digits, every other cell empty, and no cell needing a trim. It is exactly
 * what the full reading (`splitCsvLine`, `readPlainInputRecord`) makes of such a row;
 * anything else is `false`, for the full reading.
 */
function readActivityRow(
  line: string,
  layout: ActivityLayout,
  ids: IdInterner,
  row: ActivityRow,
): boolean {
  if (layout.at < 0) return false;
  let tagId: string | undefined;
  let at = -1;
  let start = 0;
  for (let column = 0; column < layout.count; column++) {
    const comma = line.indexOf(',', start);
    const last = column === layout.count - 1;
    if (last !== comma < 0) return false;
    const end = last ? line.length : comma;
    if (column === layout.tagId) {
      tagId = ids.read(line, start, end);
      if (tagId === undefined) return false;
    } else if (column === layout.at) {
      at = digitsBetween(line, start, end, 15);
      if (at < 0) return false;
    } else if (column === layout.kind) {
      if (end !== start && !(end - start === 8 && line.startsWith('activity', start))) {
        return false;
      }
    } else if (end !== start) return false;
    start = end + 1;
  }
  if (tagId === undefined || !isValidTime(at)) return false;
  row.tagId = tagId;
  row.at = at;
  return true;
}

/** A cell as the record field it fills: epoch ms digits as a number, `true`/`false` as booleans. */
function cellValue(column: string, value: string): unknown {
  if (column === 'at' && isDigits(value)) return Number(value);
  if (column === 'tagAvailable' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Splits one CSV line; `undefined` when a quoted field is not closed. */
function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let index = 0;
  for (;;) {
    if (line[index] === '"') {
      let value = '';
      index++;
      for (;;) {
        const quote = line.indexOf('"', index);
        if (quote === -1) return undefined;
        value += line.slice(index, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          index = quote + 2;
          continue;
        }
        index = quote + 1;
        break;
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', index);
      const end = comma === -1 ? line.length : comma;
      fields.push(line.slice(index, end).trim());
      index = end;
    }
    if (index >= line.length) return fields;
    if (line[index] !== ',') return undefined;
    index++;
  }
}

/** Whether `value` is one or more digits (`/^\d+$/`). */
function isDigits(value: string): boolean {
  if (value.length === 0) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
