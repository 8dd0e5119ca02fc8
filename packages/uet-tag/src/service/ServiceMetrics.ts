import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import type { MonitorStatusChange, TagMonitor } from 'uet-tag-status';
import { InputCounters } from './InputCounters.js';
import { monitorStatusCounts } from './statusCounts.js';
import { registerDeadlineGauge, registerStatusGauges } from './statusGauges.js';
import { nextDeadlineOf } from './tagViews.js';
import { type DeliveryOutcome, WebhookCounters } from './WebhookCounters.js';

export type { InputSource } from './InputCounters.js';

/**
 * The service's Prometheus metrics (prom-client), in a registry of their own: tags and
 * goals per status, inputs accepted and rejected (by source and reason), changes, commit
 * latency, webhook deliveries and failures, SSE clients, process metrics; with
 * `perTag`, one next-deadline series per tag.
 *
 * @example
 * ```ts
 * const metrics = new ServiceMetrics(monitor, { perTag: false });
 * reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
 * ```
 */
export class ServiceMetrics {
  /** The registry `/metrics` writes. */
  readonly registry = new Registry();
  /** Inputs accepted and refused, and how long making them durable took. */
  readonly inputs: InputCounters;
  private readonly changes: Counter<'kind' | 'to'>;
  private readonly webhooks: WebhookCounters;
  private readonly warnings: Counter;

  constructor(
    monitor: TagMonitor,
    options: { readonly perTag: boolean; feedSize: () => number; outboxPending: () => number },
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'uet_tag_' });
    registerStatusGauges(registers, () => monitorStatusCounts(monitor), options.feedSize);
    if (options.perTag) {
      registerDeadlineGauge(registers, function* () {
        const window = monitor.windows.activityWindowMs;
        for (const report of monitor.statuses()) {
          const deadline = nextDeadlineOf(report, window);
          if (deadline !== undefined) yield { tagId: report.tagId, deadline };
        }
      });
    }
    this.inputs = new InputCounters(registers, {
      accepted: 'Inputs applied durably, by source',
      commit: 'How long a group commit took (apply and fsync)',
    });
    this.changes = new Counter({
      name: 'uet_tag_changes_total',
      help: 'Status changes made durable, by kind (tag or goal) and new status',
      labelNames: ['kind', 'to'],
      registers,
    });
    this.webhooks = new WebhookCounters(registers, options.outboxPending);
    this.warnings = new Counter({
      name: 'uet_tag_warnings_total',
      help: 'Early warnings emitted (--warn-before)',
      registers,
    });
    monitor.subscribe((change: MonitorStatusChange) => {
      this.changes.inc({ kind: change.kind, to: change.to });
    });
  }

  /** Counts one webhook delivery attempt's outcome. */
  delivery(outcome: DeliveryOutcome): void {
    this.webhooks.delivery(outcome);
  }

  /** Counts one early warning. */
  warned(): void {
    this.warnings.inc();
  }
}
