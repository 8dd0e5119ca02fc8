import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';

/** A tag's status changed (SPEC D5). */
export interface TagStatusChange {
  readonly kind: 'tag';
  /** The tag's id. */
  readonly tagId: string;
  /** The status before. */
  readonly from: UetTagTrackingStatus;
  /** The status after. */
  readonly to: UetTagTrackingStatus;
  /** When the change took effect: the activity's time (R2, R5) or last activity + 24 h (R4). */
  readonly effectiveAt: number;
  /** When the processor noticed it; never before `effectiveAt` except by the allowed skew. */
  readonly noticedAt: number;
}

/** A goal's status changed (SPEC D5). */
export interface GoalStatusChange {
  readonly kind: 'goal';
  /** The id of the tag the goal is attached to. */
  readonly tagId: string;
  /** The goal's id. */
  readonly goalId: string;
  /** The status before. */
  readonly from: ConversionGoalTrackingStatus;
  /** The status after. */
  readonly to: ConversionGoalTrackingStatus;
  /** When the change took effect (the tag's change, the conversion, or last conversion + 7 d). */
  readonly effectiveAt: number;
  /** When the processor noticed it. */
  readonly noticedAt: number;
}

/** Any status change, of a tag or of a goal. */
export type StatusChange = TagStatusChange | GoalStatusChange;

/** Receives status changes as they are noticed. */
export type StatusChangeListener = (change: StatusChange) => void;
