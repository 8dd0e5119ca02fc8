import type { TimelineSubject, TrackingStatus } from '../timelines/timeline.js';
import { ITEM_INDENT, MEMBER_INDENT, subjectMembers } from './jsonText.js';
import { PieceWriter } from './PieceWriter.js';
import { statusBytes } from './timelineJsonText.js';

/** Subjects whose opening is kept (those of a few tags; cleared when full). */
const CACHED_SUBJECTS = 64;

const TO = PieceWriter.encode(`,\n${MEMBER_INDENT}"to": `);
const EFFECTIVE_AT = PieceWriter.encode(`,\n${MEMBER_INDENT}"effectiveAt": `);
const EFFECTIVE_TIME = PieceWriter.encode(`,\n${MEMBER_INDENT}"effectiveTime": "`);
const NOTICED_AT = PieceWriter.encode(`",\n${MEMBER_INDENT}"noticedAt": `);
const NOTICED_TIME = PieceWriter.encode(`,\n${MEMBER_INDENT}"noticedTime": "`);
const END = PieceWriter.encode(`"\n${ITEM_INDENT}}`);

/**
 * Writes status changes as items of a report's top-level `changes`: each exactly the
 * text `JSON.stringify(report, null, 2)` gives there for its status change record
 * (without `seq`), as bytes; the members before the statuses are encoded once per
 * subject.
 *
 * @example
 * ```ts
 * const changes = new ChangeJsonText();
 * changes.write(out, { tagId: 'shop' }, 'Unverified', 'Active', 0, 5); // writes '    {\n      "kind": "tag", …'
 * ```
 */
export class ChangeJsonText {
  /** The bytes of each recent subject's item up to its `from` status. */
  private readonly openings = new Map<TimelineSubject, Uint8Array>();

  /** Writes the item of one change of `subject` from `from` to `to`, effective and noticed at those times. */
  write(
    out: PieceWriter,
    subject: TimelineSubject,
    from: TrackingStatus,
    to: TrackingStatus,
    effectiveAt: number,
    noticedAt: number,
  ): void {
    out.bytes(this.openingOf(subject));
    out.bytes(statusBytes(from));
    out.bytes(TO);
    out.bytes(statusBytes(to));
    out.bytes(EFFECTIVE_AT);
    out.number(effectiveAt);
    out.bytes(EFFECTIVE_TIME);
    out.isoTime(effectiveAt);
    out.bytes(NOTICED_AT);
    out.number(noticedAt);
    out.bytes(NOTICED_TIME);
    out.isoTime(noticedAt);
    out.bytes(END);
  }

  private openingOf(subject: TimelineSubject): Uint8Array {
    let opening = this.openings.get(subject);
    if (opening === undefined) {
      if (this.openings.size >= CACHED_SUBJECTS) this.openings.clear();
      const kind = subject.goalId === undefined ? 'tag' : 'goal';
      opening = PieceWriter.encode(
        `${ITEM_INDENT}{\n${MEMBER_INDENT}"kind": "${kind}",\n${subjectMembers(subject)},\n${MEMBER_INDENT}"from": `,
      );
      this.openings.set(subject, opening);
    }
    return opening;
  }
}
