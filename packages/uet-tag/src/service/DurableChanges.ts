import type { MonitorChangeListener, MonitorStatusChange, TagMonitor } from 'uet-tag-status';
import { DurableQueue } from '../sqlite/DurableQueue.js';

/** Where the change stream and the webhooks read changes: the monitor, or {@link DurableChanges}. */
export type ChangeSource = Pick<TagMonitor, 'subscribe' | 'changesAfter' | 'lastSeq'>;

/**
 * The monitor's changes, each let out only once its commit is durable, for a store whose
 * commits return before the disk has them (`deferSync`): the change stream and the
 * webhooks must not send a change that a power loss could take back (its sequence number
 * would then be given to another change). Subscribers get every change once durable, in
 * order; `changesAfter` reads the change log up to the first change still held, so a
 * client resuming from the log and then listening sees each change once.
 *
 * Create it right after a sync, so that everything in the change log is durable.
 *
 * @example
 * ```ts
 * await store.sync();
 * const changes = new DurableChanges(monitor, () => store.sync(), (error) => log.error(error));
 * const feed = new ChangeFeed(changes);
 * ```
 */
export class DurableChanges implements ChangeSource {
  private readonly listeners = new Set<MonitorChangeListener>();
  private readonly held: DurableQueue<MonitorStatusChange>;

  /**
   * @param durable Resolves once every commit made before the call is durable.
   * @param failed Told when a sync or a subscriber fails (the changes stay held).
   */
  constructor(
    private readonly monitor: TagMonitor,
    durable: () => Promise<void>,
    failed: (error: unknown) => void,
  ) {
    this.held = new DurableQueue(
      durable,
      (change) => {
        for (const listener of this.listeners) {
          try {
            listener(change);
          } catch (error) {
            failed(error);
          }
        }
      },
      failed,
    );
    monitor.subscribe((change) => this.held.push(change));
  }

  /** Subscribes to the changes as they become durable; returns the function that unsubscribes. */
  subscribe(listener: MonitorChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The seq of the latest durable change (see `TagMonitor.lastSeq`). */
  get lastSeq(): number {
    const firstHeld = this.held.oldest;
    return firstHeld === undefined ? this.monitor.lastSeq : firstHeld.seq - 1;
  }

  /** The logged changes after `afterSeq` (see `TagMonitor.changesAfter`) that are durable. */
  changesAfter(afterSeq: number, limit?: number): MonitorStatusChange[] {
    const page = this.monitor.changesAfter(afterSeq, limit);
    const firstHeld = this.held.oldest;
    if (firstHeld === undefined) return page;
    const end = page.findIndex((change) => change.seq >= firstHeld.seq);
    return end < 0 ? page : page.slice(0, end);
  }
}
