import { collectDefaultMetrics, Registry } from 'prom-client';
import { InputCounters } from './InputCounters.js';
import type { InputMetrics } from './serviceContext.js';
import type { StatusCounts } from './statusCounts.js';
import { registerDeadlineGauge, registerStatusGauges, type TagDeadline } from './statusGauges.js';
import { type DeliveryOutcome, WebhookCounters } from './WebhookCounters.js';

/**
 * The Prometheus metrics of a `uet-tag serve --db postgresql://…` node, which holds no
 * tags: inputs accepted and refused (by source and reason), how long each append to the
 * input log took, and process metrics; with `views`, the cluster's tags and goals per
 * status (read from PostgreSQL at each scrape, the same on every node), this node's
 * clients of `GET /changes`, its webhook delivery attempts and the cluster's outbox, and,
 * with `deadlines`, each Active tag's next deadline. The names are the single-node service's; change and shard
 * metrics come from the workers (`uet-tag worker --metrics-port`).
 *
 * @example
 * ```ts
 * const metrics = new IngestMetrics({ counts: () => summarizeCluster(pool), feedSize: () => feed.size });
 * metrics.inputs.inputsAccepted('collector', 1);
 * ```
 */
export class IngestMetrics implements InputMetrics {
  /** The registry `/metrics` writes. */
  readonly registry = new Registry();
  /** Inputs accepted and refused, and how long making them durable took. */
  readonly inputs: InputCounters;

  private readonly webhooks: WebhookCounters | undefined;

  constructor(views?: {
    readonly counts: () => Promise<StatusCounts>;
    readonly feedSize: () => number;
    /** With `metricsPerTag`: every Active tag's next deadline. */
    readonly deadlines?: () => Promise<Iterable<TagDeadline>>;
    /** The deliveries waiting in the cluster's webhook outbox. */
    readonly webhooksPending?: () => Promise<number>;
  }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'uet_tag_' });
    if (views !== undefined) registerStatusGauges([this.registry], views.counts, views.feedSize);
    if (views?.deadlines !== undefined) registerDeadlineGauge([this.registry], views.deadlines);
    this.webhooks =
      views?.webhooksPending === undefined
        ? undefined
        : new WebhookCounters([this.registry], views.webhooksPending);
    this.inputs = new InputCounters([this.registry], {
      accepted: 'Inputs appended durably to the input log, by source',
      commit: 'How long an append to the input log took (until its COMMIT)',
    });
  }

  /** Counts one webhook delivery attempt's outcome (with `webhooksPending` only). */
  delivery(outcome: DeliveryOutcome): void {
    this.webhooks?.delivery(outcome);
  }
}
