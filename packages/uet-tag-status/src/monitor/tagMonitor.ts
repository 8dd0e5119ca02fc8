import type { GoalDefinition } from '../uet/goalDefinition.js';
import type { UetHit } from '../uet/UetHit.js';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { ConversionGoalType } from '../valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { TrackingWindows } from '../windows.js';
import type {
  BatchResult,
  MonitorChangeListener,
  MonitorInput,
  MonitorStatusChange,
} from './monitorInput.js';

/** A goal's status, as {@link TagMonitor.status} reports it. */
export interface GoalStatusReport {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
  readonly status: ConversionGoalTrackingStatus;
  /** Effective time of the goal's latest status change, if any. */
  readonly since: number | undefined;
  readonly lastConversionAt: number | undefined;
}

/** A tag's status and its goals', as {@link TagMonitor.status} reports them. */
export interface TagStatusReport {
  readonly tagId: string;
  readonly status: UetTagTrackingStatus;
  /** Effective time of the tag's latest status change, if any. */
  readonly since: number | undefined;
  readonly lastDataAt: number | undefined;
  readonly tagAvailable: boolean;
  /** Goals in attachment order. */
  readonly goals: readonly GoalStatusReport[];
}

/** Options of {@link TagMonitor.registerTag}. */
export interface RegisterTagOptions {
  /** Goals attached at once, in this order. */
  readonly goals?: readonly GoalDefinition[];
  /**
   * Whether the account has access to the tag (SPEC G4).
   * @default true
   */
  readonly tagAvailable?: boolean;
}

/** Options of {@link TagMonitor.apply}. */
export interface ApplyOptions {
  /**
   * A position in the caller's input to commit with the batch (see
   * {@link TagMonitor.checkpoint}).
   */
  readonly checkpoint?: string;
  /**
   * Whether each input is processed at its own time (`at`) when that is later than the
   * monitor's: the monitor's time moves to it (never past the clock's time), and every
   * silence due by then is applied first, as a live processor would have (SPEC D1, D5).
   * For replaying recorded inputs through a monitor (a backlog, a test) so that it reports
   * what a live one would have; inputs without a time, and older ones, are processed at
   * the monitor's time, and an input later than the clock at the clock's (rejected beyond
   * the allowed skew, as always). The batch does not first move the monitor to the clock's
   * time.
   * @default false (every input at the monitor's time: the clock's)
   */
  readonly atInputTimes?: boolean;
}

/**
 * Many tags and their goals, watched with one deadline structure and one timer. Every
 * mutating call returns once its effects are durable in the store (when there is one);
 * it then reports the status changes it caused to subscribers, each once.
 */
export interface TagMonitor {
  /** The monitor's time: the clock's, but never going backwards (SPEC D6). */
  now(): number;
  /** How many tags are registered. */
  readonly size: number;
  /**
   * The windows in force: the store's when it existed already, else those given (SPEC T2
   * defaults for any left out). A tag `Active` turns `Inactive` at its `lastDataAt` plus
   * `activityWindowMs` if nothing arrives (R4).
   */
  readonly windows: TrackingWindows;
  /** The checkpoint committed with the latest batch that had one (see {@link ApplyOptions}). */
  readonly checkpoint: string | undefined;
  /**
   * The sequence number of the latest committed change (0 before any): the head of the
   * change feed, where a reader that wants only new changes starts ({@link changesAfter}).
   */
  readonly lastSeq: number;
  /**
   * Registers a tag, `Unverified` (SPEC R1).
   * @throws {@link TrackingInputError} `invalidId`, `duplicateTag`, `unknownGoalType`, `duplicateGoal`.
   */
  registerTag(tagId: string, options?: RegisterTagOptions): void;
  /**
   * Removes a tag with its goals and history.
   * @throws {@link TrackingInputError} `unknownTag`.
   */
  removeTag(tagId: string): void;
  /**
   * Attaches a goal; its first status comes from the goal machine.
   * @throws {@link TrackingInputError} `unknownTag`, `invalidId`, `unknownGoalType`, `duplicateGoal`.
   */
  attachGoal(tagId: string, goal: GoalDefinition): void;
  /**
   * Detaches a goal.
   * @throws {@link TrackingInputError} `unknownTag`, `unknownGoal`.
   */
  detachGoal(tagId: string, goalId: string): void;
  /**
   * Records activity received at `at` (SPEC R2, R3, R5, D1–D4).
   * @throws {@link TrackingInputError} `unknownTag`, `invalidTime`, `futureTime`.
   */
  recordActivity(tagId: string, at: number): void;
  /**
   * Records a conversion received at `at` (SPEC G3, G6).
   * @throws {@link TrackingInputError} `unknownTag`, `unknownGoal`, `invalidTime`, `futureTime`.
   */
  recordConversion(tagId: string, goalId: string, at: number): void;
  /**
   * Records a UET hit received at `at` (SPEC U1–U5, M1–M7): activity of the tag it names,
   * and a conversion of every goal of that tag whose definition it matches (goals attached
   * with a definition; see `GoalDefinition`). With `autoRegister`, a hit of an unknown tag
   * registers it.
   *
   * @param hit - its fields, or the beacon's request target, URL or query string.
   * @returns the ids of the goals it converted, in attachment order.
   * @example
   * ```ts
   * monitor.attachGoal('5', { goalId: 'thanks', goalType: 'Url', url: { operator: 'BeginsWith', expression: 'contoso.com/thanks' } });
   * monitor.recordHit('/action/0?ti=5&evt=pageLoad&p=https%3A%2F%2Fwww.contoso.com%2Fthanks', Date.now()); // ['thanks']
   * ```
   * @throws {@link TrackingInputError} `invalidHit`, `invalidId`, `unknownTag`, `invalidTime`, `futureTime`.
   */
  recordHit(hit: UetHit | string, at: number): readonly string[];
  /** The account lost access to the tag (SPEC G4), now. */
  loseTagAccess(tagId: string): void;
  /** The account has access to the tag again (SPEC G4), now. */
  restoreTagAccess(tagId: string): void;
  /**
   * Applies a batch as one durable step: good inputs are applied, each bad one is
   * reported with its index and reason (SPEC D4).
   */
  apply(inputs: readonly MonitorInput[], options?: ApplyOptions): BatchResult;
  /**
   * A tag's status and its goals'.
   * @throws {@link TrackingInputError} `unknownTag`.
   */
  status(tagId: string): TagStatusReport;
  /** Every tag's status, in registration-number order. */
  statuses(): IterableIterator<TagStatusReport>;
  /** The ids of the tags in a status. */
  tagsInStatus(status: UetTagTrackingStatus): string[];
  /** The goals in a status, with their tags' ids. */
  goalsInStatus(status: ConversionGoalTrackingStatus): { tagId: string; goalId: string }[];
  /** A tag's latest status changes (its goals' included), oldest first. */
  history(tagId: string): MonitorStatusChange[];
  /**
   * The committed changes of every tag after sequence number `afterSeq`, oldest first, at
   * most `limit` (1 to 100,000; default 1,000), from the store's change log: a feed that
   * resumes where its reader stopped (Server-Sent Events, webhooks). Sequence numbers are
   * gapless: a first `seq` beyond `afterSeq + 1` means the changes between are no longer
   * kept (the store's retention).
   * @throws {@link MonitorStoreError} `noChangeLog` without a store that keeps one.
   */
  changesAfter(afterSeq: number, limit?: number): MonitorStatusChange[];
  /** Subscribes to status changes; returns the function that unsubscribes. */
  subscribe(listener: MonitorChangeListener): () => void;
  /** Stops the timer and closes the store. Later calls throw `closed`. */
  close(): void;
}
