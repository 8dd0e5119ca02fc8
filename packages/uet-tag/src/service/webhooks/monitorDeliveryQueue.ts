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
 * (`from: 'now'`, the default) or at its start (`from: 'start'`).
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
    if (outbox.cursor(id) === undefined) outbox.enqueue(id, [], fromStart ? 0 : monitor.lastSeq);
    for (;;) {
      const changes: MonitorStatusChange[] = monitor.changesAfter(
        outbox.cursor(id) ?? 0,
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
