import type { ConversionGoalType } from '../valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { TrackingWindows } from '../windows.js';

/** Activity data from the tag was received (SPEC R2, R3, R5). */
export interface TagDataReceivedEvent {
  readonly type: 'tag.dataReceived';
  /** When the collector received the data (SPEC T3), UTC epoch ms. */
  readonly at: number;
  /** The processor's time when it handles the data; `at` may be older (SPEC D1). */
  readonly now: number;
}

/**
 * The activity window passed with no data (SPEC R4). Sent by the runtime that owns the
 * timers; the machine ignores it unless the window really elapsed since the last data.
 */
export interface TagSilenceElapsedEvent {
  readonly type: 'tag.silenceElapsed';
  /** The silence's effective time: last data time plus the activity window. */
  readonly at: number;
}

/** The account lost access to the tag, for example a shared tag withdrawn (SPEC G4). */
export interface TagAccessLostEvent {
  readonly type: 'tag.accessLost';
  /** When access was lost, UTC epoch ms. */
  readonly at: number;
}

/** The account has access to the tag again (SPEC G4). */
export interface TagAccessRestoredEvent {
  readonly type: 'tag.accessRestored';
  /** When access came back, UTC epoch ms. */
  readonly at: number;
}

/** A conversion goal was attached to the tag; it becomes a child actor. */
export interface GoalAttachedEvent {
  readonly type: 'goal.attached';
  /** The goal's id, unique within the tag. */
  readonly goalId: string;
  /** The goal's type; tag-based types follow the tag (SPEC G1), the others do not (G5). */
  readonly goalType: ConversionGoalType;
  /** When it was attached, UTC epoch ms. */
  readonly at: number;
}

/** A conversion goal was detached from the tag; its child actor stops. */
export interface GoalDetachedEvent {
  readonly type: 'goal.detached';
  /** The goal's id. */
  readonly goalId: string;
}

/** A conversion was recorded for a goal (SPEC G3; through the tag it is activity too, G6). */
export interface GoalConversionRecordedEvent {
  readonly type: 'goal.conversionRecorded';
  /** The goal's id. */
  readonly goalId: string;
  /** When the conversion was received, UTC epoch ms. */
  readonly at: number;
  /** The processor's time when it handles the conversion. */
  readonly now: number;
}

/**
 * The conversion window passed since a goal's last conversion (SPEC G3). Sent by the
 * runtime that owns the timers.
 */
export interface GoalConversionWindowElapsedEvent {
  readonly type: 'goal.conversionWindowElapsed';
  /** The goal's id. */
  readonly goalId: string;
  /** The effective time: last conversion time plus the conversion window. */
  readonly at: number;
}

/** The tag's status changed; the tag machine tells each tag-based goal (SPEC G2). */
export interface TagStatusChangedEvent {
  readonly type: 'tag.statusChanged';
  /** The tag's new status. */
  readonly status: UetTagTrackingStatus;
  /**
   * The time the goal decides its status for: the change's effective time, or the
   * processor's time when the activity that caused it is stamped ahead of it (SPEC D3).
   */
  readonly at: number;
}

/** Every event the tag machine accepts. */
export type TagEvent =
  | TagDataReceivedEvent
  | TagSilenceElapsedEvent
  | TagAccessLostEvent
  | TagAccessRestoredEvent
  | GoalAttachedEvent
  | GoalDetachedEvent
  | GoalConversionRecordedEvent
  | GoalConversionWindowElapsedEvent;

/** Every event the conversion goal machine accepts. */
export type GoalEvent =
  | GoalConversionRecordedEvent
  | GoalConversionWindowElapsedEvent
  | TagStatusChangedEvent
  | TagAccessLostEvent
  | TagAccessRestoredEvent;

/** A goal attached to a tag, as the tag machine keeps it. */
export interface AttachedGoal {
  /** The goal's id, unique within the tag: the id of its child actor. */
  readonly goalId: string;
  /** The goal's type; tag-based types follow the tag (SPEC G1), the others do not (G5). */
  readonly goalType: ConversionGoalType;
}

/** The facts a tag machine keeps; its status is the machine's state. */
export interface TagContext {
  /** See {@link TrackingWindows.activityWindowMs}. */
  readonly activityWindowMs: number;
  /** See {@link TrackingWindows.conversionWindowMs}; handed to each goal. */
  readonly conversionWindowMs: number;
  /** The earliest activity received, or `undefined` while none was (SPEC R7). */
  readonly firstDataAt: number | undefined;
  /** The latest activity received, or `undefined` while none was (SPEC R7). */
  readonly lastDataAt: number | undefined;
  /** Whether the account has access to the tag (SPEC G4). */
  readonly tagAvailable: boolean;
  /** The attached goals in attachment order; each one is a child actor whose id is its goal id. */
  readonly goals: readonly AttachedGoal[];
}

/** What a tag machine starts from. */
export interface TagMachineInput {
  /** The windows; SPEC T2 defaults for any left out. */
  readonly windows?: Partial<TrackingWindows>;
  /**
   * Whether the account has access to the tag.
   * @default true
   */
  readonly tagAvailable?: boolean;
}

/** The facts a conversion goal machine keeps; its status is the machine's state. */
export interface GoalContext {
  /** The goal's type. */
  readonly goalType: ConversionGoalType;
  /** The conversion window, ms. */
  readonly conversionWindowMs: number;
  /** The tag's status as last told (ignored by tagless goal types, SPEC G5). */
  readonly tagStatus: UetTagTrackingStatus;
  /** Whether the account has access to the goal's tag (SPEC G4). */
  readonly tagAvailable: boolean;
  /** The latest conversion received, or `undefined` while none was. */
  readonly lastConversionAt: number | undefined;
  /** The time the current status was decided for, UTC epoch ms. */
  readonly decidedAt: number;
}

/** What a conversion goal machine starts from. */
export interface GoalMachineInput {
  /** The goal's type. */
  readonly goalType: ConversionGoalType;
  /** The time the goal starts being tracked, UTC epoch ms. */
  readonly at: number;
  /**
   * The conversion window, ms.
   * @default 604_800_000 (7 days)
   */
  readonly conversionWindowMs?: number;
  /**
   * The tag's status when the goal is attached.
   * @default 'Unverified'
   */
  readonly tagStatus?: UetTagTrackingStatus;
  /**
   * Whether the account has access to the goal's tag.
   * @default true
   */
  readonly tagAvailable?: boolean;
}
