import type { SubjectTimeline } from '../timelines/timeline.js';
import { ITEM_INDENT, jsonNumber, MEMBER_INDENT, statusJson, subjectMembers } from './jsonText.js';
import { PieceWriter } from './PieceWriter.js';

const INTERVAL_INDENT = `${MEMBER_INDENT}  `;
const INTERVAL_MEMBER_INDENT = `${INTERVAL_INDENT}  `;

/** The constant bytes of an interval item, before each of its values. */
const FIRST_INTERVAL = PieceWriter.encode(
  `[\n${INTERVAL_INDENT}{\n${INTERVAL_MEMBER_INDENT}"status": `,
);
const NEXT_INTERVAL = PieceWriter.encode(
  `,\n${INTERVAL_INDENT}{\n${INTERVAL_MEMBER_INDENT}"status": `,
);
const FROM = PieceWriter.encode(`,\n${INTERVAL_MEMBER_INDENT}"from": `);
const FROM_TIME = PieceWriter.encode(`,\n${INTERVAL_MEMBER_INDENT}"fromTime": "`);
const TO = PieceWriter.encode(`",\n${INTERVAL_MEMBER_INDENT}"to": `);
const TO_TIME = PieceWriter.encode(`,\n${INTERVAL_MEMBER_INDENT}"toTime": "`);
const DURATION = PieceWriter.encode(`",\n${INTERVAL_MEMBER_INDENT}"durationMs": `);
const INTERVAL_END = PieceWriter.encode(`\n${INTERVAL_INDENT}}`);

/** Each status as a JSON string, as bytes. */
const STATUS_BYTES = new Map<string, Uint8Array>();

/**
 * Writes a timeline as an item of a report's top-level `timelines`: exactly the text
 * `JSON.stringify(report, null, 2)` gives there for `timelinesJson([timeline])[0]`,
 * each interval written as bytes (its constants encoded once, its numbers and times
 * digit by digit).
 *
 * @example
 * ```ts
 * writeTimelineJson(out, timeline); // writes '    {\n      "tagId": "shop",\n      "changes": 1, …'
 * ```
 */
export function writeTimelineJson(out: PieceWriter, timeline: SubjectTimeline): void {
  let text = `${ITEM_INDENT}{\n${subjectMembers(timeline)}`;
  if (timeline.goalId !== undefined && timeline.goalType !== undefined) {
    text += `,\n${MEMBER_INDENT}"goalType": ${JSON.stringify(timeline.goalType)}`;
  }
  text += `,\n${MEMBER_INDENT}"changes": ${jsonNumber(timeline.changes)}`;
  text += `,\n${MEMBER_INDENT}"timeInStatus": `;
  const inStatus = Object.entries(timeline.timeInStatus).filter(([, ms]) => ms !== undefined);
  inStatus.forEach(([status, ms], index) => {
    text += `${index === 0 ? '{' : ','}\n${INTERVAL_INDENT}${JSON.stringify(status)}: ${jsonNumber(ms as number)}`;
  });
  text += inStatus.length === 0 ? '{}' : `\n${MEMBER_INDENT}}`;
  out.text(`${text},\n${MEMBER_INDENT}"intervals": `);
  const { intervals } = timeline;
  for (let index = 0; index < intervals.length; index++) {
    const interval = intervals[index] as SubjectTimeline['intervals'][number];
    out.bytes(index === 0 ? FIRST_INTERVAL : NEXT_INTERVAL);
    out.bytes(statusBytes(interval.status));
    out.bytes(FROM);
    out.number(interval.from);
    out.bytes(FROM_TIME);
    out.isoTime(interval.from);
    out.bytes(TO);
    out.number(interval.to);
    out.bytes(TO_TIME);
    out.isoTime(interval.to);
    out.bytes(DURATION);
    out.number(interval.to - interval.from);
    out.bytes(INTERVAL_END);
  }
  out.text(intervals.length === 0 ? `[]\n${ITEM_INDENT}}` : `\n${MEMBER_INDENT}]\n${ITEM_INDENT}}`);
}

/**
 * A status as the bytes of a JSON string (encoded once per status).
 *
 * @example
 * ```ts
 * out.bytes(statusBytes('Active')); // "Active"
 * ```
 */
export function statusBytes(status: string): Uint8Array {
  let bytes = STATUS_BYTES.get(status);
  if (bytes === undefined) {
    bytes = PieceWriter.encode(statusJson(status as Parameters<typeof statusJson>[0]));
    STATUS_BYTES.set(status, bytes);
  }
  return bytes;
}
