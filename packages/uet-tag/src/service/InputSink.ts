import type { MonitorInput, RejectedInput } from 'uet-tag-status';

/** What one submission's inputs did, once durable. */
export interface SubmissionResult {
  /** How many of the submission's inputs were accepted (applied, or appended to the input log). */
  readonly applied: number;
  /** The submission's rejected inputs, by their index in the submission. */
  readonly rejected: readonly RejectedInput[];
}

/**
 * Where the service's input endpoints put the inputs they read from requests: the local
 * monitor ({@link GroupCommitter}) or a cluster's input log on PostgreSQL
 * ({@link PostgresInputSink}). A request is answered only once `submit` resolved, so an
 * acknowledged input is durable either way.
 */
export interface InputSink {
  /**
   * Makes the inputs durable; resolves with what was accepted and what was refused, or
   * rejects when nothing of them was kept.
   */
  submit(inputs: readonly MonitorInput[]): Promise<SubmissionResult>;
}
