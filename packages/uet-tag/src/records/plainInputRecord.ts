import { isConversionGoalType, type MonitorInput } from 'uet-tag-status';
import { isValidId, isValidTime } from 'uet-tag-status/engine';

/**
 * Reads the records a stream is mostly made of (`activity`, and `conversion` and
 * `registerTag` with no more than their ids) when they are plainly valid: a JSON object
 * with exactly the record's fields, valid ids, and times in epoch milliseconds. For
 * anything else (another kind, ISO times, optional fields, any problem) it returns
 * `undefined`, and the line is for `parseInputLine`, whose schema gives the full reading
 * and every problem. What it returns is what `parseInputLine` reads from the same line
 * (a property test compares them), without loading the schema library: so the monitor
 * starts without it and reads a line in a fraction of the schema's time.
 *
 * @example
 * ```ts
 * readPlainInputLine('{"kind":"activity","tagId":"shop","at":1709283600000}');
 * // { kind: 'activity', tagId: 'shop', at: 1709283600000 }
 * readPlainInputLine('{"kind":"activity","tagId":"shop","at":"2024-03-01T09:00:00Z"}'); // undefined
 * ```
 */
export function readPlainInputLine(text: string): MonitorInput | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
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
