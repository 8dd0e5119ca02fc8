import { createHmac } from 'node:crypto';
import type { MonitorStatusChange } from 'uet-tag-status';
import type { DeadlineWarning } from '../DeadlineWarnings.js';
import type { ChangeSource } from '../DurableChanges.js';
import type { ServiceLogger } from '../serviceLogger.js';
import type { OutboxDelivery, WebhookOutbox } from './WebhookOutbox.js';

/** One configured webhook target. */
export interface WebhookTarget {
  readonly url: string;
  /** A glob over tag ids: `*` stands for any run of characters. */
  readonly tags: string;
  readonly secret: string;
}

/** How deliveries are attempted. */
export interface DeliveryPolicy {
  readonly timeoutMs: number;
  readonly attempts: number;
  /** The first retry's delay; each next one doubles, up to {@link MAX_BACKOFF_MS}. */
  readonly backoffMs: number;
}

/** The longest delay between two attempts: one hour. */
export const MAX_BACKOFF_MS = 3_600_000;

/** How many changes one read of the change log takes while a target catches up. */
const CHANGES_PER_READ = 1_000;

/** How many deliveries are sent at once. */
const CONCURRENCY = 8;

/**
 * A target's id in the outbox: its URL and tag pattern (the same URL may take two patterns).
 *
 * @example
 * ```ts
 * webhookTargetId({ url: 'https://hooks.example/uet', tags: '26*', secret }); // 'https://hooks.example/uet 26*'
 * ```
 */
export function webhookTargetId(target: WebhookTarget): string {
  return `${target.url} ${target.tags}`;
}

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

/** Whether a tag id matches a target's glob. */
function globMatcher(pattern: string): (tagId: string) => boolean {
  if (pattern === '*') return () => true;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 'u');
  return (tagId) => regex.test(tagId);
}

/**
 * Delivers status changes and early warnings to webhook targets, at least once, from the
 * outbox: every change a target's pattern matches is added to the outbox from the change
 * log (the cursor moves with it, in one transaction), then POSTed as the change record's
 * JSON with `Idempotency-Key` (the change's seq; a warning's key), `X-Uet-Timestamp` and
 * `X-Uet-Signature` (see {@link signatureOf}). A 2xx answer removes the delivery; any other
 * answer, a timeout or a network error schedules a retry after the backoff (doubling each
 * time) until the attempts run out, and then dead-letters it. After a crash, what was not
 * acknowledged is delivered again, with the same key. A new target starts at the change
 * log's beginning (every change kept).
 *
 * @example
 * ```ts
 * const dispatcher = new WebhookDispatcher(monitor, outbox, targets, policy, log, metrics);
 * dispatcher.start();
 * ```
 */
export class WebhookDispatcher {
  private readonly matchers: readonly ((tagId: string) => boolean)[];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly monitor: ChangeSource,
    private readonly outbox: WebhookOutbox,
    private readonly targets: readonly WebhookTarget[],
    private readonly policy: DeliveryPolicy,
    private readonly log: ServiceLogger,
    private readonly outcome: (outcome: 'delivered' | 'failed' | 'dead') => void,
  ) {
    this.matchers = targets.map((target) => globMatcher(target.tags));
    this.unsubscribe = monitor.subscribe(() => this.poke());
  }

  /** Starts delivering: now, after every change, and every 250 ms for retries that fall due. */
  start(): void {
    this.poke();
    this.timer = setInterval(() => this.poke(), 250);
    this.timer.unref();
  }

  /** Adds an early warning for every target whose pattern matches its tag. */
  warn(warning: DeadlineWarning): void {
    const body = JSON.stringify(warning);
    this.targets.forEach((target, index) => {
      if (this.matchers[index]?.(warning.tagId)) {
        this.outbox.enqueue(webhookTargetId(target), [{ key: warning.key, body }]);
      }
    });
    this.poke();
  }

  /** Stops: no new attempts; resolves once the attempts under way have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a round now, or right after the one under way. */
  private poke(): void {
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

  /** Adds what the change log holds beyond each cursor, then sends what is due. */
  private async round(): Promise<void> {
    for (const [index, target] of this.targets.entries()) {
      this.catchUp(target, this.matchers[index] as (tagId: string) => boolean);
    }
    for (;;) {
      if (this.stopped) return;
      const due = this.outbox.due(Date.now(), CONCURRENCY);
      if (due.length === 0) return;
      await Promise.all(due.map((delivery) => this.attempt(delivery)));
    }
  }

  private catchUp(target: WebhookTarget, matches: (tagId: string) => boolean): void {
    const id = webhookTargetId(target);
    for (;;) {
      const changes: MonitorStatusChange[] = this.monitor.changesAfter(
        this.outbox.cursor(id),
        CHANGES_PER_READ,
      );
      const last = changes.at(-1);
      if (last === undefined) return;
      const deliveries = changes
        .filter((change) => matches(change.tagId))
        .map((change) => ({ key: String(change.seq), body: JSON.stringify(change) }));
      this.outbox.enqueue(id, deliveries, last.seq);
      if (changes.length < CHANGES_PER_READ) return;
    }
  }

  private async attempt(delivery: OutboxDelivery): Promise<void> {
    const target = this.targets.find((candidate) => webhookTargetId(candidate) === delivery.target);
    if (target === undefined) {
      this.outbox.kill(delivery.id, delivery.attempts, 'the target is no longer configured');
      return;
    }
    const attempts = delivery.attempts + 1;
    const timestamp = String(Math.floor(Date.now() / 1000));
    let failure: string | undefined;
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
      if (response.status < 200 || response.status > 299) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure =
        (error as Error).name === 'TimeoutError'
          ? `timed out after ${this.policy.timeoutMs} ms`
          : String((error as Error).message);
    }
    if (failure === undefined) {
      this.outbox.delivered(delivery.id);
      this.outcome('delivered');
      return;
    }
    if (attempts >= this.policy.attempts) {
      this.outbox.kill(delivery.id, attempts, failure);
      this.outcome('dead');
      this.log.warn(
        { target: target.url, key: delivery.key, attempts },
        'webhook delivery dead-lettered: %s',
        failure,
      );
      return;
    }
    const delay = Math.min(MAX_BACKOFF_MS, this.policy.backoffMs * 2 ** (attempts - 1));
    this.outbox.retry(delivery.id, attempts, Date.now() + delay, failure);
    this.outcome('failed');
  }
}
