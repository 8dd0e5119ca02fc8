import { collectDefaultMetrics, Registry } from 'prom-client';
import { InputCounters } from './InputCounters.js';
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
  private readonly inputs: InputCounters;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'uet_tag_' });
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
