import { createHmac } from 'node:crypto';
import type { DeadlineWarning } from '../DeadlineWarnings.js';
import type { ServiceLogger } from '../serviceLogger.js';
import type { DeliveryQueue } from './deliveryQueue.js';
import type { OutboxDelivery } from './WebhookOutbox.js';
import { tagPatternMatcher, type WebhookTarget, webhookTargetId } from './webhookTargets.js';

/** How deliveries are attempted. */
export interface DeliveryPolicy {
  readonly timeoutMs: number;
  readonly attempts: number;
  /** The first retry's delay; each next one doubles, up to {@link MAX_BACKOFF_MS}. */
  readonly backoffMs: number;
}

/** The longest delay between two attempts: one hour. */
export const MAX_BACKOFF_MS = 3_600_000;

/** How many deliveries are sent at once. */
const CONCURRENCY = 8;

/**
 * The signature header's value: `sha256=` and the hex HMAC-SHA256, keyed by the target's
 * secret, of the timestamp header's value, a dot, and the body.
 *
 * @example
 * ```ts
 * signatureOf(secret, '1714000000', body) === request.headers['x-uet-signature'];
 * ```
 */
export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Delivers status changes and early warnings to webhook targets, at least once, from a
 * {@link DeliveryQueue}: each round first lets the queue add the changes logged since (each
 * change once per target), then POSTs what is due as the change record's JSON with
 * `Idempotency-Key` (the change's key in its queue; a warning's key), `X-Uet-Timestamp`
 * and `X-Uet-Signature` (see {@link signatureOf}). A 2xx answer removes the delivery; any
 * other answer, a timeout or a network error schedules a retry after the backoff
 * (doubling each time) until the attempts run out, and then dead-letters it. After a
 * crash, what was not acknowledged is delivered again, with the same key.
 *
 * @example
 * ```ts
 * const dispatcher = new WebhookDispatcher(queue, targets, policy, log, (outcome) => count(outcome));
 * monitor.subscribe(() => dispatcher.poke());
 * dispatcher.start();
 * ```
 */
export class WebhookDispatcher {
  private readonly matchers: readonly ((tagId: string) => boolean)[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly targets: readonly WebhookTarget[],
    private readonly policy: DeliveryPolicy,
    private readonly log: ServiceLogger,
    private readonly outcome: (outcome: 'delivered' | 'failed' | 'dead') => void,
  ) {
    this.matchers = targets.map((target) => tagPatternMatcher(target.tags));
  }

  /** Starts delivering: now, at every {@link poke}, and every 250 ms for retries that fall due. */
  start(): void {
    this.poke();
    this.timer = setInterval(() => this.poke(), 250);
    this.timer.unref();
  }

  /**
   * Adds an early warning for every target whose pattern matches its tag; a failure to
   * add it is logged.
   */
  async warn(warning: DeadlineWarning): Promise<void> {
    const body = JSON.stringify(warning);
    try {
      for (const [index, target] of this.targets.entries()) {
        if (this.matchers[index]?.(warning.tagId)) {
          await this.queue.enqueue(webhookTargetId(target), [{ key: warning.key, body }]);
        }
      }
    } catch (error) {
      this.log.error({ err: error, key: warning.key }, 'webhook warning not added');
    }
    this.poke();
  }

  /** Stops: no new attempts; resolves once the attempts under way have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a round now (something was logged), or right after the one under way. */
  poke(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.round()
      .catch((error: unknown) => this.log.error({ err: error }, 'webhook round failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Adds what was logged since the last round, then sends what is due. */
  private async round(): Promise<void> {
    await this.queue.catchUp();
    for (;;) {
      if (this.stopped) return;
      const due = await this.queue.take(Date.now(), CONCURRENCY);
      if (due.length === 0) return;
      await Promise.all(due.map((delivery) => this.attempt(delivery)));
    }
  }

  private async attempt(delivery: OutboxDelivery): Promise<void> {
    const target = this.targets.find((candidate) => webhookTargetId(candidate) === delivery.target);
    if (target === undefined) {
      await this.queue.kill(delivery, delivery.attempts, 'the target is no longer configured');
      return;
    }
    const attempts = delivery.attempts + 1;
    const failure = await this.send(target, delivery, attempts);
    if (failure === undefined) {
      await this.queue.delivered(delivery);
      this.outcome('delivered');
      return;
    }
    if (attempts >= this.policy.attempts) {
      await this.queue.kill(delivery, attempts, failure);
      this.outcome('dead');
      this.log.warn(
        { target: target.url, key: delivery.key, attempts },
        'webhook delivery dead-lettered: %s',
        failure,
      );
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, this.policy.backoffMs * 2 ** (attempts - 1));
    await this.queue.retry(delivery, attempts, Date.now() + delay, failure);
    this.outcome('failed');
  }

  /** POSTs a delivery, signed; why it failed, or `undefined` for a 2xx answer. */
  private async send(
    target: WebhookTarget,
    delivery: OutboxDelivery,
    attempts: number,
  ): Promise<string | undefined> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        body: delivery.body,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': delivery.key,
          'x-uet-timestamp': timestamp,
          'x-uet-signature': signatureOf(target.secret, timestamp, delivery.body),
          'x-uet-attempt': String(attempts),
        },
        signal: AbortSignal.timeout(this.policy.timeoutMs),
        redirect: 'manual',
      });
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) return `HTTP ${response.status}`;
      return undefined;
    } catch (error) {
      return (error as Error).name === 'TimeoutError'
        ? `timed out after ${this.policy.timeoutMs} ms`
        : String((error as Error).message);
    }
  }
}
