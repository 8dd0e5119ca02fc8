import type { NewDelivery, OutboxDelivery } from './WebhookOutbox.js';

/** A value, or a promise of it: what a synchronous and an asynchronous queue both return. */
export type Awaitable<T> = T | Promise<T>;

/**
 * Where `WebhookDispatcher` takes its deliveries from and records their outcomes: the
 * single node's outbox fed from its monitor (`monitorDeliveryQueue`), or the cluster's
 * outbox in PostgreSQL shared by every front node (`PostgresDeliveryQueue`). Every method
 * is durable when it returns (or its promise resolves).
 */
export interface DeliveryQueue {
  /**
   * Adds a delivery, for every target whose pattern matches, of each change logged since
   * the last call: each change once per target, however many processes call it.
   */
  catchUp(): Awaitable<void>;
  /** Adds deliveries for `target` (one whose key the target already has is left out). */
  enqueue(target: string, deliveries: readonly NewDelivery[]): Awaitable<void>;
  /**
   * The pending deliveries due by `now`, the oldest first, at most `limit`, taken for this
   * process: a queue shared by several processes hands each one to one of them at a time.
   */
  take(now: number, limit: number): Awaitable<OutboxDelivery[]>;
  /** Removes a delivery its target acknowledged. */
  delivered(delivery: OutboxDelivery): Awaitable<void>;
  /** Records a failed attempt: the attempts so far, when to try again, and why it failed. */
  retry(
    delivery: OutboxDelivery,
    attempts: number,
    nextAttemptAt: number,
    error: string,
  ): Awaitable<void>;
  /** Dead-letters a delivery after its last attempt failed. */
  kill(delivery: OutboxDelivery, attempts: number, error: string): Awaitable<void>;
}
