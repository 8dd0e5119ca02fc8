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

/**
 * A number as JSON writes it (`null` if not finite).
 *
 * @example
 * ```ts
 * jsonNumber(-0); // '0'
 * ```
 */
export function jsonNumber(value: number): string {
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
