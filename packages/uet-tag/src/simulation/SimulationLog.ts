import {
  ConversionGoalTrackingStatus,
  type StatusChange,
  statusChange,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import type { ChangeSink, SubjectSpan } from '../timelines/changeSink.js';
import {
  buildTimeline,
  type SubjectTimeline,
  type TimelineSubject,
  type TrackingStatus,
} from '../timelines/timeline.js';

/** Every status, by its code in the log. */
const STATUSES: readonly TrackingStatus[] = [
  ...Object.values(UetTagTrackingStatus),
  ...Object.values(ConversionGoalTrackingStatus),
];
const STATUS_CODES = new Map(STATUSES.map((status, code) => [status, code]));

/** Changes the log has room for at first; it doubles when full. */
const INITIAL_CAPACITY = 1_024;

/**
 * A simulated run's timelines and status changes in a compact form: per change, its
 * subject (a 32-bit index), statuses (a byte each) and effective and noticed times (two
 * 64-bit floats), 22 bytes in typed arrays that double when full (so at most 44 bytes
 * per change), instead of a change record and an interval object (about 225 bytes).
 * Timelines and change records are built from it one at a time, when read, so a run of
 * millions of changes can be reported in little more memory than the log.
 *
 * A tag's processor writes its changes straight into the log (it is the processor's
 * `ChangeSink`); the tag's subjects are added when it is done.
 *
 * @example
 * ```ts
 * const log = new SimulationLog();
 * const processor = new TagProcessor('shop', start, windows, { changeSink: log });
 * // … drive the processor to `end`, then:
 * log.endTag(processor.spans(end));
 * const out = new PieceWriter(write);
 * writeTimelinesText(out, log.timelines());
 * out.flush();
 * ```
 */
export class SimulationLog implements ChangeSink {
  /** The subjects of the tags ended so far, each tag's first. */
  private readonly subjects: SubjectSpan[] = [];
  /** Per tag, its first subject; then the number of subjects. */
  private readonly tagSubjects: number[] = [0];
  /** Per tag, its first change; then the number of changes. */
  private readonly tagChanges: number[] = [0];
  private subjectOf = new Int32Array(INITIAL_CAPACITY);
  private fromOf = new Uint8Array(INITIAL_CAPACITY);
  private toOf = new Uint8Array(INITIAL_CAPACITY);
  private effectiveAt = new Float64Array(INITIAL_CAPACITY);
  private noticedAt = new Float64Array(INITIAL_CAPACITY);
  /** How many changes the log holds. */
  changeCount = 0;

  /**
   * One change of the tag being logged: of its subject `subject` (0 for the tag, `n` for
   * its `n`-th goal attachment, as `TagProcessor.spans` orders them).
   */
  addChange(
    subject: number,
    from: TrackingStatus,
    to: TrackingStatus,
    effectiveAt: number,
    noticedAt: number,
  ): void {
    if (this.changeCount === this.subjectOf.length) this.grow();
    const at = this.changeCount;
    this.subjectOf[at] = this.subjects.length + subject;
    this.fromOf[at] = codeOf(from);
    this.toOf[at] = codeOf(to);
    this.effectiveAt[at] = effectiveAt;
    this.noticedAt[at] = noticedAt;
    this.changeCount += 1;
  }

  /**
   * Ends the tag being logged: its subjects' spans (the tag's first, as
   * `TagProcessor.spans` gives them); its changes are those added since the last tag.
   */
  endTag(spans: readonly SubjectSpan[]): void {
    const end = this.subjects.length + spans.length;
    for (let change = this.tagChanges.at(-1) as number; change < this.changeCount; change++) {
      if ((this.subjectOf[change] as number) >= end) {
        throw new Error('internal: a change of no subject was logged');
      }
    }
    this.subjects.push(...spans);
    this.tagSubjects.push(this.subjects.length);
    this.tagChanges.push(this.changeCount);
  }

  /** Each tag's timeline followed by its goals', in the order added. */
  *timelines(): Generator<SubjectTimeline> {
    for (let tag = 0; tag + 1 < this.tagSubjects.length; tag++) {
      const firstChange = this.tagChanges[tag] as number;
      const endChange = this.tagChanges[tag + 1] as number;
      const endSubject = this.tagSubjects[tag + 1] as number;
      for (let index = this.tagSubjects[tag] as number; index < endSubject; index++) {
        const { subject, status, from, to } = this.subjects[index] as SubjectSpan;
        const changes: { from: TrackingStatus; to: TrackingStatus; effectiveAt: number }[] = [];
        for (let change = firstChange; change < endChange; change++) {
          if (this.subjectOf[change] !== index) continue;
          changes.push({
            from: STATUSES[this.fromOf[change] as number] as TrackingStatus,
            to: STATUSES[this.toOf[change] as number] as TrackingStatus,
            effectiveAt: this.effectiveAt[change] as number,
          });
        }
        yield buildTimeline(subject, status, from, changes, to);
      }
    }
  }

  /** Every status change, tag by tag, each tag's in the order noticed. */
  *changes(): Generator<StatusChange> {
    for (let change = 0; change < this.changeCount; change++) {
      const { subject } = this.subjects[this.subjectOf[change] as number] as SubjectSpan;
      const common = {
        tagId: subject.tagId,
        effectiveAt: this.effectiveAt[change] as number,
        noticedAt: this.noticedAt[change] as number,
      };
      const from = STATUSES[this.fromOf[change] as number];
      const to = STATUSES[this.toOf[change] as number];
      yield subject.goalId === undefined
        ? statusChange({
            kind: 'tag',
            tagId: common.tagId,
            from: from as UetTagTrackingStatus,
            to: to as UetTagTrackingStatus,
            effectiveAt: common.effectiveAt,
            noticedAt: common.noticedAt,
          })
        : statusChange({
            kind: 'goal',
            tagId: common.tagId,
            goalId: subject.goalId,
            from: from as ConversionGoalTrackingStatus,
            to: to as ConversionGoalTrackingStatus,
            effectiveAt: common.effectiveAt,
            noticedAt: common.noticedAt,
          });
    }
  }

  /**
   * Calls `visit` with every status change's subject and fields, tag by tag, each tag's
   * in the order noticed: the changes of {@link SimulationLog.changes} without a record
   * made for each.
   */
  forEachChange(
    visit: (
      subject: TimelineSubject,
      from: TrackingStatus,
      to: TrackingStatus,
      effectiveAt: number,
      noticedAt: number,
    ) => void,
  ): void {
    for (let change = 0; change < this.changeCount; change++) {
      visit(
        (this.subjects[this.subjectOf[change] as number] as SubjectSpan).subject,
        STATUSES[this.fromOf[change] as number] as TrackingStatus,
        STATUSES[this.toOf[change] as number] as TrackingStatus,
        this.effectiveAt[change] as number,
        this.noticedAt[change] as number,
      );
    }
  }

  /** The bytes the log's change arrays take (their capacity, not only what is used). */
  changeBytes(): number {
    return (
      this.subjectOf.byteLength +
      this.fromOf.byteLength +
      this.toOf.byteLength +
      this.effectiveAt.byteLength +
      this.noticedAt.byteLength
    );
  }

  private grow(): void {
    const capacity = 2 * this.subjectOf.length;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(array: T, into: T): T => {
      into.set(array);
      return into;
    };
    this.subjectOf = grown(this.subjectOf, new Int32Array(capacity));
    this.fromOf = grown(this.fromOf, new Uint8Array(capacity));
    this.toOf = grown(this.toOf, new Uint8Array(capacity));
    this.effectiveAt = grown(this.effectiveAt, new Float64Array(capacity));
    this.noticedAt = grown(this.noticedAt, new Float64Array(capacity));
  }
}

function codeOf(status: string): number {
  const code = STATUS_CODES.get(status as TrackingStatus);
  if (code === undefined) throw new Error(`internal: no status ${status}`);
  return code;
}
