import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { InputSource } from './ServiceMetrics.js';
import type { InputMetrics } from './serviceContext.js';

/**
 * The Prometheus metrics of a `uet-tag serve --db postgresql://…` node, which holds no
 * tags: inputs accepted and refused (by source and reason), how long each append to the
 * input log took, and process metrics. The names are the single-node service's; tag and
 * change metrics come from the workers (`uet-tag worker --metrics-port`).
 *
 * @example
 * ```ts
 * const metrics = new IngestMetrics();
 * metrics.inputsAccepted('collector', 1);
 * ```
 */
export class IngestMetrics implements InputMetrics {
  /** The registry `/metrics` writes. */
  readonly registry = new Registry();
  private readonly accepted: Counter<'source'>;
  private readonly rejected: Counter<'source' | 'reason'>;
  private readonly appendSeconds: Histogram;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'uet_tag_' });
    this.accepted = new Counter({
      name: 'uet_tag_inputs_accepted_total',
      help: 'Inputs appended durably to the input log, by source',
      labelNames: ['source'],
      registers,
    });
    this.rejected = new Counter({
      name: 'uet_tag_inputs_rejected_total',
      help: 'Inputs refused, by source and reason',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.appendSeconds = new Histogram({
      name: 'uet_tag_commit_seconds',
      help: 'How long an append to the input log took (until its COMMIT)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
  }

  /** Counts inputs appended. */
  inputsAccepted(source: InputSource, count: number): void {
    if (count > 0) this.accepted.inc({ source }, count);
  }

  /** Counts one refused input. */
  inputRejected(source: InputSource, reason: string): void {
    this.rejected.inc({ source, reason });
  }

  /** Records one append's duration. */
  committed(seconds: number): void {
    this.appendSeconds.observe(seconds);
  }
}
