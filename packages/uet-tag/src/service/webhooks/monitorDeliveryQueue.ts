import type { MonitorStatusChange } from 'uet-tag-status';
import type { ChangeSource } from '../DurableChanges.js';
import type { DeliveryQueue } from './deliveryQueue.js';
import type { WebhookOutbox } from './WebhookOutbox.js';
import { tagPatternMatcher, type WebhookTarget, webhookTargetId } from './webhookTargets.js';

/** How many changes one read of the change log takes while a target catches up. */
const CHANGES_PER_READ = 1_000;

/**
 * The single node's delivery queue: its outbox (SQLite, or in memory), fed from its
 * monitor's change log (as far as it is durable, through `DurableChanges`). Catching up adds, per target, the changes its pattern matches
 * beyond its cursor and moves the cursor, in one transaction of the outbox; the idempotency
 * key of a change is its seq. A target seen for the first time starts at the log's head
 * (`from: 'now'`, the default) or at its start (`from: 'start'`). When a target's cursor
 * has fallen behind what the log keeps (its changes were trimmed before they were added,
 * say while the service ran without that target), the target is first sent a gap record,
 * `{"kind":"gap","afterSeq":…,"firstKeptSeq":…}` (key `gap:<afterSeq>`), as `GET /changes`
 * sends a `gap` event: the changes between were lost to it, and it should read the
 * statuses afresh.
 *
 * @example
 * ```ts
 * const dispatcher = new WebhookDispatcher(monitorDeliveryQueue(monitor, outbox, targets), targets, policy, log, count);
 * ```
 */
export function monitorDeliveryQueue(
  monitor: Pick<ChangeSource, 'changesAfter' | 'lastSeq'>,
  outbox: WebhookOutbox,
  targets: readonly WebhookTarget[],
): DeliveryQueue {
  const fed = targets.map((target) => ({
    id: webhookTargetId(target),
    matches: tagPatternMatcher(target.tags),
    fromStart: target.from === 'start',
  }));
  const catchUp = (id: string, matches: (tagId: string) => boolean, fromStart: boolean) => {
    if (outbox.cursor(id) === undefined) {
      // A new target starts just before the first change kept, or at the head: no gap.
      const firstKept = fromStart ? monitor.changesAfter(0, 1)[0] : undefined;
      outbox.enqueue(id, [], firstKept === undefined ? monitor.lastSeq : firstKept.seq - 1);
    }
    for (;;) {
      const afterSeq = outbox.cursor(id) ?? 0;
      const changes: MonitorStatusChange[] = monitor.changesAfter(afterSeq, CHANGES_PER_READ);
      const first = changes[0];
      const last = changes.at(-1);
      if (first === undefined || last === undefined) return;
      const deliveries = changes
        .filter((change) => matches(change.tagId))
        .map((change) => ({ key: String(change.seq), body: JSON.stringify(change) }));
      if (first.seq > afterSeq + 1) {
        const gap = { kind: 'gap', afterSeq, firstKeptSeq: first.seq };
        deliveries.unshift({ key: `gap:${afterSeq}`, body: JSON.stringify(gap) });
      }
      outbox.enqueue(id, deliveries, last.seq);
      if (changes.length < CHANGES_PER_READ) return;
    }
  };
  return {
    catchUp() {
      for (const { id, matches, fromStart } of fed) catchUp(id, matches, fromStart);
    },
    enqueue: (target, deliveries) => outbox.enqueue(target, deliveries),
    take: (now, limit) => outbox.due(now, limit),
    delivered: (delivery) => outbox.delivered(delivery.id),
    retry: (delivery, attempts, nextAttemptAt, error) =>
      outbox.retry(delivery.id, attempts, nextAttemptAt, error),
    kill: (delivery, attempts, error) => outbox.kill(delivery.id, attempts, error),
  };
}
