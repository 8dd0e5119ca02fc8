import type { FactChange } from '../engine/factChange.js';
import { type ErrorHandler, notifyListeners } from '../runtime/listeners.js';
import { ChangeHistory, type HistoryEntry } from './ChangeHistory.js';
import { changeRecordOf } from './changeRecordOf.js';
import { FoundChanges } from './FoundChanges.js';
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
  private found = new FoundChanges();
  /** The buffer of the last {@link ChangeReporter.tell}, emptied, for the next one. */
  private spare: FoundChanges | undefined;
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
    for (let index = 0; index < changes.length; index++) {
      const change = changes[index] as FactChange;
      const seq = this.seq;
      this.seq += 1;
      const goalId = change.kind === 'goal' ? change.goalId : undefined;
      const { from, to, effectiveAt } = change;
      this.found.add(tagId, goalId, from, to, effectiveAt, noticedAt, seq);
      if (this.pending === undefined) {
        // No store: the history alone keeps the change, without an entry object; a tag's
        // own change is added with the others of the run, in tag order, before it is told.
        if (goalId === undefined) this.history.queue(no, seq, from, to, effectiveAt, noticedAt);
        else this.history.addFields(no, seq, goalId, from, to, effectiveAt, noticedAt);
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

  /**
   * Reads the histories of tags `tags[from..to)` ahead of recording their changes (see
   * `TagTable.warm`), when they are added at once (with a store; else they are queued).
   */
  warm(tags: Int32Array, from: number, to: number): number {
    return this.pending === undefined ? 0 : this.history.warm(tags, from, to);
  }

  /** Makes room for about `count` changes about to be recorded (a storm's). */
  expect(count: number): void {
    this.found.reserve(count);
    if (this.pending === undefined) this.history.reserveQueue(count);
  }

  /** Forgets the changes found since the last {@link ChangeReporter.tell} (their commit failed). */
  discard(): void {
    this.found.clear();
  }

  /**
   * Tells the subscribers every change found since the last call; returns them, unless
   * `collect` is false (a timer's call, whose result nobody reads): then each record is
   * only handed to the listeners.
   */
  tell(collect = true): readonly MonitorStatusChange[] {
    this.history.addQueued();
    const found = this.found;
    if (found.size === 0) return NO_CHANGES;
    // A listener may call the monitor, which finds and tells changes of its own.
    this.found = this.spare ?? new FoundChanges();
    this.spare = undefined;
    const told: MonitorStatusChange[] = [];
    for (let index = 0; index < found.size; index++) {
      const change = found.recordAt(index);
      if (collect) told.push(change);
      notifyListeners(this.listeners, change, this.onError);
    }
    found.clear();
    this.spare = found;
    return collect ? told : NO_CHANGES;
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
