import { Counter, Histogram, type Registry } from 'prom-client';

/** Where an input came from, the `source` label of the input counters. */
export type InputSource = 'inputs' | 'collector' | 'capi';

/** What the two input counters and the commit histogram say they measure. */
export interface InputCounterHelp {
  /** The help of `uet_tag_inputs_accepted_total`. */
  readonly accepted: string;
  /** The help of `uet_tag_commit_seconds`. */
  readonly commit: string;
}

/**
 * The input metrics every service node has, whatever it does with inputs: inputs accepted
 * (by source), inputs refused (by source and reason) and how long making them durable took.
 * The single node (`ServiceMetrics`) and the front node of a cluster (`IngestMetrics`)
 * register the same names, so that dashboards and alerts work on either.
 *
 * @example
 * ```ts
 * const inputs = new InputCounters([registry], { accepted: '…', commit: '…' });
 * inputs.inputsAccepted('collector', 1);
 * ```
 */
export class InputCounters {
  private readonly accepted: Counter<'source'>;
  private readonly rejected: Counter<'source' | 'reason'>;
  private readonly commitSeconds: Histogram;

  constructor(registers: Registry[], help: InputCounterHelp) {
    this.accepted = new Counter({
      name: 'uet_tag_inputs_accepted_total',
      help: help.accepted,
      labelNames: ['source'],
      registers,
    });
    this.rejected = new Counter({
      name: 'uet_tag_inputs_rejected_total',
      help: 'Inputs refused, by source and reason',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'uet_tag_commit_seconds',
      help: help.commit,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
  }

  /** Counts inputs made durable. */
  inputsAccepted(source: InputSource, count: number): void {
    if (count > 0) this.accepted.inc({ source }, count);
  }

  /** Counts one refused input. */
  inputRejected(source: InputSource, reason: string): void {
    this.rejected.inc({ source, reason });
  }

  /** Records how long one commit (or append) took. */
  committed(seconds: number): void {
    this.commitSeconds.observe(seconds);
  }
}
