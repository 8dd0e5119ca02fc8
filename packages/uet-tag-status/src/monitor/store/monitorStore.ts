import type { GoalDefinition } from '../../uet/goalDefinition.js';
import type { ConversionGoalTrackingStatus } from '../../valueSets/conversionGoalTrackingStatus.js';
import type { ConversionGoalType } from '../../valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from '../../valueSets/uetTagTrackingStatus.js';
import type { TrackingWindows } from '../../windows.js';

/** A goal as a store keeps it: the engine's goal facts. */
export interface StoredGoal {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
  readonly status: ConversionGoalTrackingStatus;
  /** Effective time of the goal's latest status change, if any. */
  readonly changedAt: number | undefined;
  readonly lastConversionAt: number | undefined;
  /** The time the goal machine last decided its status for. */
  readonly decidedAt: number;
  /**
   * The goal's definition, for a goal attached with one (what hits are matched against,
   * SPEC M2–M6): a store keeps it as given and returns it on `open`. A store that leaves
   * it out keeps the goal's status but not its matching across a restart.
   */
  readonly definition?: GoalDefinition;
}

/** A tag as a store keeps it: the engine's tag facts, its goals in attachment order. */
export interface StoredTag {
  /** The monitor's number for the tag, unique among live tags; reused after removal. */
  readonly no: number;
  readonly tagId: string;
  readonly status: UetTagTrackingStatus;
  /** Effective time of the tag's latest status change, if any. */
  readonly changedAt: number | undefined;
  readonly firstDataAt: number | undefined;
  readonly lastDataAt: number | undefined;
  readonly tagAvailable: boolean;
  readonly goals: readonly StoredGoal[];
}

/** One reported status change, as kept in a tag's bounded history. */
export interface StoredChange {
  /** The change's sequence number: unique, increasing in the order changes were reported. */
  readonly seq: number;
  readonly tagNo: number;
  /** The goal's id for a goal's change; `undefined` for the tag's own. */
  readonly goalId: string | undefined;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
  readonly noticedAt: number;
}

/**
 * A change as the change log keeps it: every change a commit reports, by its tag's id (tag
 * numbers are reused after a tag is removed), whatever the history limit keeps. Sequence
 * numbers of committed changes are gapless, so a reader that gets a first `seq` beyond the
 * one it asked after knows the changes in between are no longer kept.
 */
export interface LoggedChange {
  readonly seq: number;
  readonly tagId: string;
  /** The goal's id for a goal's change; `undefined` for the tag's own. */
  readonly goalId: string | undefined;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
  readonly noticedAt: number;
}

/**
 * Activity that changed no status (the engine's fast path): each one only moves the
 * tag's first and last data times (`min` and `max`). Kept apart so a store can write
 * them cheaply; applying them in any order gives the same result.
 */
export interface StoredHits {
  readonly count: number;
  /** Tag numbers; only the first `count` entries are used. */
  readonly tagNos: Uint32Array;
  /** Activity times, UTC epoch ms; only the first `count` entries are used. */
  readonly ats: Float64Array;
}

/** The monitor-wide facts a store keeps with the tags. */
export interface StoredMonitorState {
  /** The monitor's time: it never goes backwards, across restarts too (SPEC D6). */
  readonly now: number;
  /** The sequence number the next change gets. */
  readonly nextSeq: number;
  /**
   * An opaque position in the caller's input (for example a byte offset in a followed
   * file), committed atomically with the inputs it covers.
   */
  readonly checkpoint: string | undefined;
}

/** Everything a store holds, as read when it is opened. */
export interface StoreSnapshot extends StoredMonitorState {
  /** The windows the store was created with. */
  readonly windows: TrackingWindows;
  /** Every live tag, with the stored hits already applied. */
  readonly tags: readonly StoredTag[];
  /** The kept history, by increasing `seq`. */
  readonly changes: readonly StoredChange[];
}

/**
 * One atomic, durable step of a monitor. A store applies the parts in this order:
 * `hits`, then `removedTags` (with their goals and history), then `tags` (whole rows,
 * inserted or replaced), then `changes` added and `droppedChanges` (by `seq`) removed,
 * then `log` appended, then `state`. A tag number never stands for two different tags
 * within one commit, and `changes` holds none of a tag removed in it.
 */
export interface StoreCommit {
  readonly hits: StoredHits;
  readonly removedTags: readonly number[];
  readonly tags: readonly StoredTag[];
  /** History entries added (the last changes of each tag, up to the history limit). */
  readonly changes: readonly StoredChange[];
  readonly droppedChanges: readonly number[];
  /** Every change reported by this commit, by increasing `seq`, for the change log. */
  readonly log: readonly LoggedChange[];
  readonly state: StoredMonitorState;
}

/**
 * Where a monitor keeps its state so that it survives a restart (SPEC D7). `commit`
 * returns only once the commit is durable, or throws and keeps nothing of it.
 *
 * @see createMemoryStore
 */
export interface MonitorStore {
  /** What the store is, for messages (for example the file's path). */
  readonly description: string;
  /**
   * Opens the store and reads it. A new store takes `windows` and starts empty.
   * @throws {@link MonitorStoreError} when it cannot be read or is not a monitor's store.
   */
  open(windows: TrackingWindows): StoreSnapshot;
  /**
   * Applies one commit atomically and durably.
   * @throws {@link MonitorStoreError} when it cannot be written; nothing of it is kept.
   */
  commit(commit: StoreCommit): void;
  /** Releases the store; `open` may be called again later. */
  close(): void;
  /**
   * The committed changes after `afterSeq`, by increasing `seq`, at most `limit` of them,
   * from the change log, for feeds that resume where a reader stopped (a store keeps the
   * log within a retention of its own; see {@link LoggedChange} for telling a gap).
   * Stores without a change log leave it out.
   * @throws {@link MonitorStoreError} when the store is closed or cannot be read.
   */
  readChanges?(afterSeq: number, limit: number): readonly LoggedChange[];
}
