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
  const fields = Object.keys(record).length;
  const { kind, tagId } = record;
  if (!isValidId(tagId)) return undefined;
  if (kind === 'activity') {
    const { at } = record;
    return fields === 3 && isValidTime(at) ? { kind, tagId, at } : undefined;
  }
  if (kind === 'conversion') {
    const { goalId, at, goalType } = record;
    if (!isValidId(goalId) || !isValidTime(at)) return undefined;
    if (goalType === undefined) {
      return fields === 4 && !('goalType' in record) ? { kind, tagId, goalId, at } : undefined;
    }
    return fields === 5 && isConversionGoalType(goalType)
      ? { kind, tagId, goalId, at, goalType }
      : undefined;
  }
  if (kind === 'registerTag') return fields === 2 ? { kind, tagId } : undefined;
  return undefined;
}
