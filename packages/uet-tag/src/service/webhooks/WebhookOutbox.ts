/** A value, or a promise of it: what a synchronous and an asynchronous outbox both return. */
export type Awaitable<T> = T | Promise<T>;

/** Where a delivery stands: waiting (first try or a retry), or dead-lettered. */
export type DeliveryState = 'pending' | 'dead';

/** One delivery to one webhook target, as the outbox keeps it until it is delivered. */
export interface OutboxDelivery {
  readonly id: number;
  /** The target's id (see `webhookTargetId`). */
  readonly target: string;
  /** The idempotency key: the change's seq, or a warning's key. Unique per target. */
  readonly key: string;
  /** The JSON body sent. */
  readonly body: string;
  readonly state: DeliveryState;
  /** Attempts made so far. */
  readonly attempts: number;
  /** When the next attempt is due, UTC epoch ms. */
  readonly nextAttemptAt: number;
  /** Why the last attempt failed. */
  readonly lastError: string | undefined;
}

/** A delivery to add: its key and body. */
export interface NewDelivery {
  readonly key: string;
  readonly body: string;
}

/**
 * What operators see of an outbox and do with it (`GET /admin/webhooks`,
 * `POST /admin/webhooks/retry-dead`): the single node's {@link WebhookOutbox}, or the
 * cluster's `PostgresDeliveryQueue`.
 */
export interface WebhookOutboxAdmin {
  /**
   * Where a target stands in the change log: the seq through which its deliveries were
   * added (per shard, by shard, on a cluster); `undefined` for a target never seen.
   */
  cursor(target: string): Awaitable<number | Record<string, number> | undefined>;
  /** How many deliveries are in each state. */
  counts(): Awaitable<Record<DeliveryState, number>>;
  /** The deliveries in `state`, the oldest first, at most `limit`. */
  list(state: DeliveryState, limit: number): Awaitable<OutboxDelivery[]>;
  /** Makes every dead delivery pending again, due at `now` with no attempts; returns how many. */
  revive(now: number): Awaitable<number>;
}

/**
 * The webhook outbox: deliveries kept in the store until their target acknowledged them,
 * so that a crash loses none (at-least-once), and each target's cursor in the change log
 * (the seq through which its deliveries were added), moved in the same transaction as the
 * deliveries it covers. A delivered delivery is removed; a dead one stays until an
 * operator retries it.
 *
 * The SQLite store keeps it in its file (`createSqliteStore(...).outbox`, tables
 * `webhook_cursor` and `webhook_outbox` of schema 4); {@link createMemoryOutbox} keeps it in
 * memory. Another store implements these methods over its own tables.
 */
export interface WebhookOutbox {
  /** The seq through which changes were added for `target`; `undefined` for a target never seen. */
  cursor(target: string): number | undefined;
  /**
   * Adds deliveries for `target` (one whose key the target already has is left out) and,
   * with `throughSeq`, moves its cursor there, atomically.
   */
  enqueue(target: string, deliveries: readonly NewDelivery[], throughSeq?: number): void;
  /** The pending deliveries due by `now`, the oldest first, at most `limit`. */
  due(now: number, limit: number): OutboxDelivery[];
  /** Removes a delivery its target acknowledged. */
  delivered(id: number): void;
  /** Records a failed attempt: the attempts so far, when to try again, and why it failed. */
  retry(id: number, attempts: number, nextAttemptAt: number, error: string): void;
  /** Dead-letters a delivery after its last attempt failed. */
  kill(id: number, attempts: number, error: string): void;
  /** The deliveries in `state`, the oldest first, at most `limit`. */
  list(state: DeliveryState, limit: number): OutboxDelivery[];
  /** How many deliveries are in each state. */
  counts(): Record<DeliveryState, number>;
  /** Makes every dead delivery pending again, due at `now` with no attempts; returns how many. */
  revive(now: number): number;
}

/**
 * An outbox in memory, for `--memory` services and tests: the same behaviour as the SQLite
 * one, nothing kept across restarts.
 *
 * @example
 * ```ts
 * const outbox = createMemoryOutbox();
 * outbox.enqueue('https://hooks.example/uet', [{ key: '1', body: '{}' }], 1);
 * ```
 */
export function createMemoryOutbox(): WebhookOutbox {
  const cursors = new Map<string, number>();
  const deliveries = new Map<number, OutboxDelivery>();
  const keys = new Set<string>();
  let nextId = 1;
  const keyOf = (target: string, key: string) => `${target}\u0000${key}`;
  const update = (id: number, fields: Partial<OutboxDelivery>) => {
    const delivery = deliveries.get(id);
    if (delivery !== undefined) deliveries.set(id, { ...delivery, ...fields });
  };
  return {
    cursor: (target) => cursors.get(target),
    enqueue(target, added, throughSeq) {
      for (const { key, body } of added) {
        if (keys.has(keyOf(target, key))) continue;
        keys.add(keyOf(target, key));
        const id = nextId++;
        deliveries.set(id, {
          id,
          target,
          key,
          body,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: 0,
          lastError: undefined,
        });
      }
      if (throughSeq !== undefined) cursors.set(target, throughSeq);
    },
    due(now, limit) {
      const found: OutboxDelivery[] = [];
      for (const delivery of deliveries.values()) {
        if (found.length >= limit) break;
        if (delivery.state === 'pending' && delivery.nextAttemptAt <= now) found.push(delivery);
      }
      return found;
    },
    delivered(id) {
      const delivery = deliveries.get(id);
      if (delivery === undefined) return;
      deliveries.delete(id);
      keys.delete(keyOf(delivery.target, delivery.key));
    },
    retry: (id, attempts, nextAttemptAt, error) =>
      update(id, { attempts, nextAttemptAt, lastError: error }),
    kill: (id, attempts, error) => update(id, { state: 'dead', attempts, lastError: error }),
    list: (state, limit) =>
      [...deliveries.values()].filter((delivery) => delivery.state === state).slice(0, limit),
    counts() {
      const counts = { pending: 0, dead: 0 };
      for (const delivery of deliveries.values()) counts[delivery.state]++;
      return counts;
    },
    revive(now) {
      let revived = 0;
      for (const delivery of deliveries.values()) {
        if (delivery.state !== 'dead') continue;
        update(delivery.id, { state: 'pending', attempts: 0, nextAttemptAt: now });
        revived++;
      }
      return revived;
    },
  };
}
