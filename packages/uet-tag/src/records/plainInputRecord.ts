import { isConversionGoalType, type MonitorInput } from 'uet-tag-status';
import { isValidId, isValidTime } from 'uet-tag-status/engine';

/** How an activity record is written by `JSON.stringify`, up to its tag id. */
const ACTIVITY_HEAD = '{"kind":"activity","tagId":"';
/** What follows the tag id. */
const ACTIVITY_AT = '","at":';
/**
 * The longest id read from an activity line by slicing it: longer slices of the line would
 * be views into the whole chunk it was read from (V8 copies shorter ones), and a tag keeps
 * its id; longer ids are read by `JSON.parse`, which makes strings of their own.
 */
const MAX_SLICED_ID = 12;

/**
 * Reads the records a stream is mostly made of (`activity`, and `conversion` and
 * `registerTag` with no more than their ids) when they are plainly valid: a JSON object
 * with exactly the record's fields, valid ids, and times in epoch milliseconds. For
 * anything else (another kind, ISO times, optional fields, any problem) it returns
 * `undefined`, and the line is for `parseInputLine`, whose schema gives the full reading
 * and every problem. What it returns is what `parseInputLine` reads from the same line
 * (a property test compares them), without loading the schema library: so the monitor
 * starts without it and reads a line in a fraction of the schema's time. An activity
 * record written as `JSON.stringify` writes it (`{"kind":"activity","tagId":"…","at":…}`,
 * a short plain id) is read without `JSON.parse`.
 *
 * @example
 * ```ts
 * readPlainInputLine('{"kind":"activity","tagId":"shop","at":1709283600000}');
 * // { kind: 'activity', tagId: 'shop', at: 1709283600000 }
 * readPlainInputLine('{"kind":"activity","tagId":"shop","at":"2024-03-01T09:00:00Z"}'); // undefined
 * ```
 */
export function readPlainInputLine(text: string): MonitorInput | undefined {
  const activity = readCompactActivity(text);
  if (activity !== undefined) return activity;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return readPlainInputRecord(value);
}

/**
 * {@link readPlainInputLine} for a value already parsed (a CSV row made an object, say):
 * the value itself when it is plainly a valid `activity`, `conversion` or `registerTag`
 * record with exactly the record's fields, else `undefined` (for `parseInputRecord`).
 *
 * @example
 * ```ts
 * readPlainInputRecord({ kind: 'activity', tagId: 'shop', at: 1709283600000 }); // the same object
 * readPlainInputRecord({ kind: 'activity', tagId: 'shop', at: '2024-03-01T09:00:00Z' }); // undefined
 * ```
 */
export function readPlainInputRecord(value: unknown): MonitorInput | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const { kind, tagId } = record;
  if (!isValidId(tagId)) return undefined;
  // The parsed object itself is the input when it holds exactly the record's fields.
  if (kind === 'activity') {
    return isValidTime(record.at) && fieldCount(record) === 3
      ? (record as unknown as MonitorInput)
      : undefined;
  }
  if (kind === 'conversion') {
    const { goalId, at, goalType } = record;
    if (!isValidId(goalId) || !isValidTime(at)) return undefined;
    if (goalType === undefined) {
      return fieldCount(record) === 4 && !('goalType' in record)
        ? (record as unknown as MonitorInput)
        : undefined;
    }
    return fieldCount(record) === 5 && isConversionGoalType(goalType)
      ? (record as unknown as MonitorInput)
      : undefined;
  }
  if (kind === 'registerTag' && fieldCount(record) === 2) return record as unknown as MonitorInput;
  return undefined;
}

/** How many own fields a parsed JSON object has (JSON objects inherit none). */
function fieldCount(record: Record<string, unknown>): number {
  let count = 0;
  for (const _ in record) count += 1;
  return count;
}

/**
 * Reads `{"kind":"activity","tagId":"<id>","at":<digits>}` exactly (no white space, no
 * escape in the id, at most {@link MAX_SLICED_ID} characters, an integer time without a
 * leading zero), as `JSON.parse` would; `undefined` for anything else.
 */
function readCompactActivity(text: string): MonitorInput | undefined {
  if (!text.startsWith(ACTIVITY_HEAD)) return undefined;
  const idStart = ACTIVITY_HEAD.length;
  const idEnd = text.indexOf('"', idStart);
  if (idEnd < 0 || idEnd - idStart > MAX_SLICED_ID || !text.startsWith(ACTIVITY_AT, idEnd)) {
    return undefined;
  }
  const digitsStart = idEnd + ACTIVITY_AT.length;
  const last = text.length - 1;
  if (text.charCodeAt(last) !== 125 || last === digitsStart || last - digitsStart > 15) {
    return undefined;
  }
  if (text.charCodeAt(digitsStart) === 48 && last - digitsStart > 1) return undefined;
  let at = 0;
  for (let index = digitsStart; index < last; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    at = at * 10 + digit;
  }
  const tagId = text.slice(idStart, idEnd);
  // A backslash or a control character: JSON.parse reads (or refuses) it.
  for (let index = 0; index < tagId.length; index++) {
    const code = tagId.charCodeAt(index);
    if (code < 0x20 || code === 92) return undefined;
  }
  if (!isValidId(tagId) || !isValidTime(at)) return undefined;
  return { kind: 'activity', tagId, at };
}
