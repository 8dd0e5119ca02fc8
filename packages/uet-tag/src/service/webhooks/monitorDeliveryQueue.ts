import type { MonitorStatusChange, TagMonitor } from 'uet-tag-status';
import type { DeliveryQueue } from './deliveryQueue.js';
import type { WebhookOutbox } from './WebhookOutbox.js';
import { tagPatternMatcher, type WebhookTarget, webhookTargetId } from './webhookTargets.js';

/** How many changes one read of the change log takes while a target catches up. */
const CHANGES_PER_READ = 1_000;

/**
 * The single node's delivery queue: its outbox (SQLite, or in memory), fed from its
 * monitor's change log. Catching up adds, per target, the changes its pattern matches
 * beyond its cursor and moves the cursor, in one transaction of the outbox; the idempotency
 * key of a change is its seq.
 *
 * @example
 * ```ts
 * const dispatcher = new WebhookDispatcher(monitorDeliveryQueue(monitor, outbox, targets), targets, policy, log, count);
 * ```
 */
export function monitorDeliveryQueue(
  monitor: TagMonitor,
  outbox: WebhookOutbox,
  targets: readonly WebhookTarget[],
): DeliveryQueue {
  const fed = targets.map((target) => ({
    id: webhookTargetId(target),
    matches: tagPatternMatcher(target.tags),
  }));
  const catchUp = (id: string, matches: (tagId: string) => boolean) => {
    for (;;) {
      const changes: MonitorStatusChange[] = monitor.changesAfter(
        outbox.cursor(id),
        CHANGES_PER_READ,
      );
      const last = changes.at(-1);
      if (last === undefined) return;
      const deliveries = changes
        .filter((change) => matches(change.tagId))
        .map((change) => ({ key: String(change.seq), body: JSON.stringify(change) }));
      outbox.enqueue(id, deliveries, last.seq);
      if (changes.length < CHANGES_PER_READ) return;
    }
  };
  return {
    catchUp() {
      for (const { id, matches } of fed) catchUp(id, matches);
    },
    enqueue: (target, deliveries) => outbox.enqueue(target, deliveries),
    take: (now, limit) => outbox.due(now, limit),
    delivered: (delivery) => outbox.delivered(delivery.id),
    retry: (delivery, attempts, nextAttemptAt, error) =>
      outbox.retry(delivery.id, attempts, nextAttemptAt, error),
    kill: (delivery, attempts, error) => outbox.kill(delivery.id, attempts, error),
  };
}
