import { isoTime } from 'uet-tag-status';
import type { TimelineSubject, TrackingStatus } from '../timelines/timeline.js';
import { ITEM_INDENT, jsonNumber, MEMBER_INDENT, statusJson, subjectMembers } from './jsonText.js';

/**
 * Writes status changes as items of a report's top-level `changes`: each exactly the
 * text `JSON.stringify(report, null, 2)` gives there for its status change record
 * (without `seq`), written by concatenation; the members before the statuses are made
 * once per run of changes of one subject.
 *
 * @example
 * ```ts
 * const changeText = new ChangeJsonText();
 * changeText.of({ tagId: 'shop' }, 'Unverified', 'Active', 0, 5); // '    {\n      "kind": "tag", …'
 * ```
 */
export class ChangeJsonText {
  private subject: TimelineSubject | undefined;
  private opening = '';

  /** The item of one change of `subject` from `from` to `to`, effective and noticed at those times. */
  of(
    subject: TimelineSubject,
    from: TrackingStatus,
    to: TrackingStatus,
    effectiveAt: number,
    noticedAt: number,
  ): string {
    if (subject !== this.subject) {
      this.subject = subject;
      const kind = subject.goalId === undefined ? 'tag' : 'goal';
      this.opening = `${ITEM_INDENT}{\n${MEMBER_INDENT}"kind": "${kind}",\n${subjectMembers(subject)},\n${MEMBER_INDENT}"from": `;
    }
    const effectiveNumber = jsonNumber(effectiveAt);
    const effectiveTime = isoTime(effectiveAt);
    const same = noticedAt === effectiveAt;
    const noticedTime = same ? effectiveTime : isoTime(noticedAt);
    return (
      `${this.opening}${statusJson(from)},\n` +
      `${MEMBER_INDENT}"to": ${statusJson(to)},\n` +
      `${MEMBER_INDENT}"effectiveAt": ${effectiveNumber},\n` +
      `${MEMBER_INDENT}"effectiveTime": "${effectiveTime}",\n` +
      `${MEMBER_INDENT}"noticedAt": ${same ? effectiveNumber : jsonNumber(noticedAt)},\n` +
      `${MEMBER_INDENT}"noticedTime": "${noticedTime}"\n` +
      `${ITEM_INDENT}}`
    );
  }
}
