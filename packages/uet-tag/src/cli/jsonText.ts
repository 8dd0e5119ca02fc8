import type { TimelineSubject, TrackingStatus } from '../timelines/timeline.js';

/*
 * Pieces of `uet-tag simulate --json` written by concatenation: exactly the text
 * `JSON.stringify(report, null, 2)` gives, without building the objects it would print
 * (a report can hold millions of them).
 */

/** The indentation of an item of a top-level array member of a report. */
export const ITEM_INDENT = '    ';
/** The indentation of the members of such an item. */
export const MEMBER_INDENT = `${ITEM_INDENT}  `;

/** `000` to `999`, by value. */
const THREE_DIGITS = Array.from({ length: 1_000 }, (_, value) => String(value).padStart(3, '0'));

/**
 * A number as JSON writes it (`null` if not finite). A whole number of 7 to 15 digits
 * (every epoch-ms time) is written from its millions and the rest, both small integers,
 * which is several times cheaper than turning the number itself into text.
 *
 * @example
 * ```ts
 * jsonNumber(1_704_067_200_000); // '1704067200000'
 * jsonNumber(-0); // '0'
 * ```
 */
export function jsonNumber(value: number): string {
  if (Number.isInteger(value) && value >= 1_000_000 && value < 1e15) {
    const millions = Math.floor(value / 1_000_000);
    const rest = value - millions * 1_000_000;
    const thousands = Math.floor(rest / 1_000);
    return `${millions}${THREE_DIGITS[thousands]}${THREE_DIGITS[rest - thousands * 1_000]}`;
  }
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Statuses as JSON strings, by status. */
const STATUS_JSON = new Map<string, string>();

/**
 * A status as a JSON string (made once per status).
 *
 * @example
 * ```ts
 * statusJson('Active'); // '"Active"'
 * ```
 */
export function statusJson(status: TrackingStatus): string {
  let json = STATUS_JSON.get(status);
  if (json === undefined) {
    json = JSON.stringify(status);
    STATUS_JSON.set(status, json);
  }
  return json;
}

/**
 * A subject's `"tagId"` and, for a goal, `"goalId"` members, as the first members of an
 * item (at {@link MEMBER_INDENT}).
 *
 * @example
 * ```ts
 * subjectMembers({ tagId: 'shop' }); // '      "tagId": "shop"'
 * ```
 */
export function subjectMembers(subject: TimelineSubject): string {
  let text = `${MEMBER_INDENT}"tagId": ${JSON.stringify(subject.tagId)}`;
  if (subject.goalId !== undefined) {
    text += `,\n${MEMBER_INDENT}"goalId": ${JSON.stringify(subject.goalId)}`;
  }
  return text;
}
