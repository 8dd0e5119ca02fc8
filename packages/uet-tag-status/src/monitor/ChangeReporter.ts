import type { FactChange } from '../engine/factChange.js';
import { type ErrorHandler, notifyListeners } from '../runtime/listeners.js';
import { statusChange } from '../runtime/statusChange.js';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import { ChangeHistory, type HistoryEntry } from './ChangeHistory.js';
import type { MonitorChangeListener, MonitorStatusChange } from './monitorInput.js';
import type { PendingCommit } from './PendingCommit.js';
import type { StoredChange } from './store/monitorStore.js';

const NO_CHANGES: readonly MonitorStatusChange[] = Object.freeze([]);

/**
 * The change reporting of a monitor: numbers each change the engine finds (its `seq`),
 * keeps it in the tag's bounded history and in the pending store commit, and, once that
 * commit is durable, tells the subscribers, each change once, in the order found.
 *
 * @example
 * ```ts
 * const reporter = new ChangeReporter(10, pending, undefined);
 * reporter.record(no, 'tag-1', changes, now);
 * store.commit(...);
 * reporter.tell(); // the changes, now told
 * ```
 */
export class ChangeReporter {
  private readonly history: ChangeHistory;
  private readonly listeners = new Set<MonitorChangeListener>();
  private found: MonitorStatusChange[] = [];
  private seq = 1;

  /**
   * @param historyLimit - changes kept per tag.
   * @param pending - the pending store commit, when there is a store.
   * @param onError - where listeners' errors go (see `reportError`).
   */
  constructor(
    historyLimit: number,
    private readonly pending: PendingCommit | undefined,
    private readonly onError: ErrorHandler | undefined,
  ) {
    this.history = new ChangeHistory(historyLimit);
  }

  /** The sequence number the next change gets. */
  get nextSeq(): number {
    return this.seq;
  }

  /** Restores the history and numbering a store kept (at start-up). */
  load(changes: readonly StoredChange[], isLive: (no: number) => boolean, nextSeq: number): void {
    for (const change of changes) {
      if (!isLive(change.tagNo)) continue;
      const dropped = this.history.add(change.tagNo, change);
      if (dropped !== undefined) this.pending?.dropChange(dropped);
    }
    this.seq = nextSeq;
  }

  /** Numbers and keeps the changes one step of tag `no` found, noticed at `noticedAt`. */
  record(no: number, tagId: string, changes: readonly FactChange[], noticedAt: number): void {
    for (const change of changes) {
      const seq = this.seq;
      this.seq += 1;
      const goalId = change.kind === 'goal' ? change.goalId : undefined;
      const { from, to, effectiveAt } = change;
      this.found.push(
        statusChange(
          change.kind === 'tag'
            ? { kind: 'tag', tagId, from: change.from, to: change.to, effectiveAt, noticedAt, seq }
            : {
                kind: 'goal',
                tagId,
                goalId: change.goalId,
                from: change.from,
                to: change.to,
                effectiveAt,
                noticedAt,
                seq,
              },
        ) as MonitorStatusChange,
      );
      if (this.pending === undefined) {
        // No store: the history alone keeps the change, without an entry object.
        this.history.addFields(no, seq, goalId, from, to, effectiveAt, noticedAt);
        continue;
      }
      const entry: HistoryEntry = {
        seq,
        goalId,
        from: change.from,
        to: change.to,
        effectiveAt: change.effectiveAt,
        noticedAt,
      };
      this.pending.logChange({ ...entry, tagId });
      const dropped = this.history.add(no, entry);
      if (dropped === seq) continue;
      this.pending.addChange({ ...entry, tagNo: no });
      if (dropped !== undefined) this.pending.dropChange(dropped);
    }
  }

  /** Forgets the changes found since the last {@link ChangeReporter.tell} (their commit failed). */
  discard(): void {
    this.found = [];
  }

  /** Tells the subscribers every change found since the last call; returns them. */
  tell(): readonly MonitorStatusChange[] {
    if (this.found.length === 0) return NO_CHANGES;
    const changes = this.found;
    this.found = [];
    for (const change of changes) notifyListeners(this.listeners, change, this.onError);
    return changes;
  }

  /** Subscribes a listener; returns the function that unsubscribes it. */
  subscribe(listener: MonitorChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A tag's kept changes, oldest first. */
  historyOf(no: number, tagId: string): MonitorStatusChange[] {
    return this.history.list(no).map((entry) => changeRecordOf(tagId, entry));
  }

  /** Forgets a removed tag's history. */
  forget(no: number): void {
    this.history.clear(no);
  }
}

/**
 * A kept change (a history entry, or a change of the change log) as the one status-change
 * record, for tag `tagId`.
 *
 * @example
 * ```ts
 * changeRecordOf('shop', { seq: 1, goalId: undefined, from: 'Unverified', to: 'Active', effectiveAt: 0, noticedAt: 0 });
 * ```
 */
export function changeRecordOf(tagId: string, entry: HistoryEntry): MonitorStatusChange {
  const { seq, effectiveAt, noticedAt } = entry;
  if (entry.goalId === undefined) {
    return statusChange({
      kind: 'tag',
      tagId,
      from: entry.from as UetTagTrackingStatus,
      to: entry.to as UetTagTrackingStatus,
      effectiveAt,
      noticedAt,
      seq,
    }) as MonitorStatusChange;
  }
  return statusChange({
    kind: 'goal',
    tagId,
    goalId: entry.goalId,
    from: entry.from as ConversionGoalTrackingStatus,
    to: entry.to as ConversionGoalTrackingStatus,
    effectiveAt,
    noticedAt,
    seq,
  }) as MonitorStatusChange;
}
