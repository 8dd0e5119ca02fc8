import { createClusterPool } from '../postgres/clusterPool.js';
import { appendInputLines } from './appendInputLines.js';
import type { CliIo } from './cliIo.js';
import { reportFailure } from './reportFailure.js';

/** The options `uet-tag ingest` takes. */
export interface IngestCommandOptions {
  readonly db: string;
  readonly schema: string;
  readonly batchSize: number;
  readonly ack?: boolean;
}

/**
 * Runs `uet-tag ingest` (see `registerIngestCommand`): appends the NDJSON input records of
 * stdin to the cluster's input log, a batch per commit, acknowledging with `--ack`.
 * Loaded only when the command runs, so that other commands do not load PostgreSQL's client.
 *
 * @example
 * ```ts
 * await runIngest({ db: 'postgresql://127.0.0.1/test', schema: 'uet', batchSize: 5_000 }, processIo);
 * ```
 */
export async function runIngest(options: IngestCommandOptions, io: CliIo): Promise<void> {
  const pool = createClusterPool(options.db, options.schema, 1);
  try {
    await appendInputLines(pool, io, { ...options, stdin: process.stdin });
  } catch (error) {
    reportFailure(io, error);
  } finally {
    await pool.end().catch(() => {});
  }
}
