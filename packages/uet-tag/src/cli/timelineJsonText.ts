import { isoTime } from 'uet-tag-status';
import type { SubjectTimeline } from '../timelines/timeline.js';
import { ITEM_INDENT, jsonNumber, MEMBER_INDENT, statusJson, subjectMembers } from './jsonText.js';

const INTERVAL_INDENT = `${MEMBER_INDENT}  `;
const INTERVAL_MEMBER_INDENT = `${INTERVAL_INDENT}  `;

/**
 * A timeline as an item of a report's top-level `timelines`: exactly the text
 * `JSON.stringify(report, null, 2)` gives there for `timelinesJson([timeline])[0]`,
 * written by concatenation (each time formatted once: an interval's end is the next
 * one's start).
 *
 * @example
 * ```ts
 * timelineJsonText(timeline); // '    {\n      "tagId": "shop",\n      "changes": 1, …'
 * ```
 */
export function timelineJsonText(timeline: SubjectTimeline): string {
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
  text += `,\n${MEMBER_INDENT}"intervals": `;
  let lastAt = Number.NaN;
  let lastNumber = '';
  let lastTime = '';
  timeline.intervals.forEach((interval, index) => {
    const same = interval.from === lastAt;
    const fromNumber = same ? lastNumber : jsonNumber(interval.from);
    const fromTime = same ? lastTime : isoTime(interval.from);
    lastAt = interval.to;
    lastNumber = jsonNumber(interval.to);
    lastTime = isoTime(interval.to);
    text +=
      `${index === 0 ? '[' : ','}\n${INTERVAL_INDENT}{\n` +
      `${INTERVAL_MEMBER_INDENT}"status": ${statusJson(interval.status)},\n` +
      `${INTERVAL_MEMBER_INDENT}"from": ${fromNumber},\n` +
      `${INTERVAL_MEMBER_INDENT}"fromTime": "${fromTime}",\n` +
      `${INTERVAL_MEMBER_INDENT}"to": ${lastNumber},\n` +
      `${INTERVAL_MEMBER_INDENT}"toTime": "${lastTime}",\n` +
      `${INTERVAL_MEMBER_INDENT}"durationMs": ${jsonNumber(interval.to - interval.from)}\n` +
      `${INTERVAL_INDENT}}`;
  });
  text += timeline.intervals.length === 0 ? '[]' : `\n${MEMBER_INDENT}]`;
  return `${text}\n${ITEM_INDENT}}`;
}
