import { Counter, Gauge, type Registry } from 'prom-client';

/** The outcome of one webhook delivery attempt, the `outcome` label. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'dead';

/**
 * The webhook metrics of every service node that delivers: attempts by outcome
 * (`uet_tag_webhook_deliveries_total`) and the deliveries waiting in the outbox
 * (`uet_tag_webhook_pending`, read at each scrape: the node's SQLite outbox, or the
 * cluster's in PostgreSQL, the same on every node). The single node (`ServiceMetrics`) and
 * the front node of a cluster (`IngestMetrics`) register the same names.
 *
 * @example
 * ```ts
 * const webhooks = new WebhookCounters([registry], () => outbox.counts().pending);
 * webhooks.delivery('delivered');
 * ```
 */
export class WebhookCounters {
  private readonly deliveries: Counter<'outcome'>;

  constructor(registers: Registry[], pending: () => number | Promise<number>) {
    this.deliveries = new Counter({
      name: 'uet_tag_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome (delivered, failed, dead)',
      labelNames: ['outcome'],
      registers,
    });
    new Gauge({
      name: 'uet_tag_webhook_pending',
      help: 'Webhook deliveries waiting in the outbox',
      registers,
      async collect() {
        this.set(await pending());
      },
    });
  }

  /** Counts one delivery attempt's outcome. */
  delivery(outcome: DeliveryOutcome): void {
    this.deliveries.inc({ outcome });
  }
}
