import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import { isoTime } from './isoTime.js';

/** What every status change carries, of a tag or of a goal (SPEC D5). */
interface ChangeTimes {
  /** The id of the tag (the goal's tag, for a goal's change). */
  readonly tagId: string;
  /**
   * When the change took effect, UTC epoch ms: the activity's time (R2, R5), the last
   * activity plus the activity window (R4), the last conversion plus the conversion
   * window (G3), or the tag's change for a goal that follows its tag (G2).
   */
  readonly effectiveAt: number;
  /** When the processor noticed it, UTC epoch ms; never before `effectiveAt` except by the allowed skew. */
  readonly noticedAt: number;
  /** `effectiveAt` in ISO 8601, UTC, with milliseconds (`2024-03-04T10:00:46.718Z`). */
  readonly effectiveTime: string;
  /** `noticedAt` in the same form. */
  readonly noticedTime: string;
  /**
   * The change's sequence number, where the processor numbers them (the monitor: unique
   * and increasing in the order changes are reported, across restarts too).
   */
  readonly seq?: number;
}

/** A tag's status changed (SPEC D5). */
export interface TagStatusChange extends ChangeTimes {
  readonly kind: 'tag';
  /** The status before. */
  readonly from: UetTagTrackingStatus;
  /** The status after. */
  readonly to: UetTagTrackingStatus;
}

/** A goal's status changed (SPEC D5). */
export interface GoalStatusChange extends ChangeTimes {
  readonly kind: 'goal';
  /** The goal's id. */
  readonly goalId: string;
  /** The status before. */
  readonly from: ConversionGoalTrackingStatus;
  /** The status after. */
  readonly to: ConversionGoalTrackingStatus;
}

/**
 * Any status change, of a tag or of a goal: the one status-change record of the project.
 * The runtime, the monitor, the simulators and every command print the same record;
 * `JSON.stringify` gives `{"kind","tagId","goalId"?,"from","to","effectiveAt",
 * "effectiveTime","noticedAt","noticedTime","seq"?}` (JSON Schema
 * `status-change.v1.json` of the `uet-tag` package).
 */
export type StatusChange = TagStatusChange | GoalStatusChange;

/** Receives status changes as they are noticed. */
export type StatusChangeListener = (change: StatusChange) => void;

/** The fields a status change is made from; its ISO times are derived from them. */
export type StatusChangeFields =
  | Omit<TagStatusChange, 'effectiveTime' | 'noticedTime'>
  | Omit<GoalStatusChange, 'effectiveTime' | 'noticedTime'>;

/**
 * The status change record: its fields as given, and its times in ISO 8601 as well,
 * derived when read (so a million changes cost no formatting unless they are printed).
 */
class StatusChangeRecord {
  readonly kind: 'tag' | 'goal';
  readonly tagId: string;
  readonly goalId?: string;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
  readonly noticedAt: number;
  readonly seq?: number;

  constructor(fields: StatusChangeFields) {
    this.kind = fields.kind;
    this.tagId = fields.tagId;
    if (fields.kind === 'goal') this.goalId = fields.goalId;
    this.from = fields.from;
    this.to = fields.to;
    this.effectiveAt = fields.effectiveAt;
    this.noticedAt = fields.noticedAt;
    if (fields.seq !== undefined) this.seq = fields.seq;
  }

  get effectiveTime(): string {
    return isoTime(this.effectiveAt);
  }

  get noticedTime(): string {
    return isoTime(this.noticedAt);
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      tagId: this.tagId,
      ...(this.goalId === undefined ? {} : { goalId: this.goalId }),
      from: this.from,
      to: this.to,
      effectiveAt: this.effectiveAt,
      effectiveTime: this.effectiveTime,
      noticedAt: this.noticedAt,
      noticedTime: this.noticedTime,
      ...(this.seq === undefined ? {} : { seq: this.seq }),
    };
  }
}

/**
 * Makes the status change record from its fields.
 *
 * @example
 * ```ts
 * const change = statusChange({ kind: 'tag', tagId: 'shop', from: 'Unverified', to: 'Active', effectiveAt: 0, noticedAt: 5 });
 * change.effectiveTime; // '1970-01-01T00:00:00.000Z'
 * JSON.stringify(change); // {"kind":"tag","tagId":"shop",...,"noticedTime":"1970-01-01T00:00:00.005Z"}
 * ```
 */
export function statusChange<T extends StatusChangeFields>(
  fields: T,
): T extends { kind: 'tag' } ? TagStatusChange : GoalStatusChange {
  return new StatusChangeRecord(fields) as never;
}
