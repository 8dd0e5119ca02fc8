import { collectDefaultMetrics, Registry } from 'prom-client';
import { InputCounters } from './InputCounters.js';
import type { InputSource } from './ServiceMetrics.js';
import type { InputMetrics } from './serviceContext.js';
import type { StatusCounts } from './statusCounts.js';
import { registerDeadlineGauge, registerStatusGauges, type TagDeadline } from './statusGauges.js';

/**
 * The Prometheus metrics of a `uet-tag serve --db postgresql://…` node, which holds no
 * tags: inputs accepted and refused (by source and reason), how long each append to the
 * input log took, and process metrics; with `views`, the cluster's tags and goals per
 * status (read from PostgreSQL at each scrape, the same on every node), this node's
 * clients of `GET /changes` and, with `deadlines`, each Active tag's next deadline. The names are the single-node service's; change and shard
 * metrics come from the workers (`uet-tag worker --metrics-port`).
 *
 * @example
 * ```ts
 * const metrics = new IngestMetrics({ counts: () => summarizeCluster(pool), feedSize: () => feed.size });
 * metrics.inputsAccepted('collector', 1);
 * ```
 */
export class IngestMetrics implements InputMetrics {
  /** The registry `/metrics` writes. */
  readonly registry = new Registry();
  private readonly inputs: InputCounters;

  constructor(views?: {
    readonly counts: () => Promise<StatusCounts>;
    readonly feedSize: () => number;
    /** With `metricsPerTag`: every Active tag's next deadline. */
    readonly deadlines?: () => Promise<Iterable<TagDeadline>>;
  }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'uet_tag_' });
    if (views !== undefined) registerStatusGauges([this.registry], views.counts, views.feedSize);
    if (views?.deadlines !== undefined) registerDeadlineGauge([this.registry], views.deadlines);
    this.inputs = new InputCounters([this.registry], {
      accepted: 'Inputs appended durably to the input log, by source',
      commit: 'How long an append to the input log took (until its COMMIT)',
    });
  }

  /** Counts inputs appended. */
  inputsAccepted(source: InputSource, count: number): void {
    this.inputs.inputsAccepted(source, count);
  }

  /** Counts one refused input. */
  inputRejected(source: InputSource, reason: string): void {
    this.inputs.inputRejected(source, reason);
  }

  /** Records one append's duration. */
  committed(seconds: number): void {
    this.inputs.committed(seconds);
  }
}
