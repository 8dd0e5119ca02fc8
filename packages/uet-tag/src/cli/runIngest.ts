import type pg from 'pg';
import type { MonitorInput } from 'uet-tag-status';
import { LineSplitter } from '../io/LineSplitter.js';
import { openInput } from '../io/openInput.js';
import { createClusterPool } from '../postgres/clusterPool.js';
import { appendInputs } from '../postgres/inputLog.js';
import { parseInputLine } from '../records/inputRecord.js';
import type { CliIo } from './cliIo.js';
import { reportFailure } from './reportFailure.js';

/**
 * Appends a batch, retrying (5 times, 200 ms apart) when the connection was lost: the
 * transaction then rolled back, unless the connection was lost during its COMMIT, when a
 * retry may append the batch twice (so ingestion is at least once; see the README).
 */
async function appendWithRetries(pool: pg.Pool, inputs: readonly MonitorInput[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await appendInputs(pool, inputs);
      return;
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? '');
      const lost =
        /^(57P0|08)|^ECONN|^EPIPE/.test(code) || /Connection terminated/.test(String(error));
      if (!lost || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

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
  const waiting: { record: MonitorInput; line: number }[] = [];
  let lastLine = 0;
  let acked = 0;
  /** Appends the waiting inputs (at most a batch unless `all`) and acknowledges their lines. */
  const commit = async (all: boolean) => {
    const batch = waiting.splice(0, all ? waiting.length : options.batchSize);
    if (batch.length > 0)
      await appendWithRetries(
        pool,
        batch.map((entry) => entry.record),
      );
    const through = waiting.length === 0 ? lastLine : (batch.at(-1)?.line ?? acked);
    if (options.ack && through > acked) {
      io.stdout.write(`${JSON.stringify({ kind: 'ack', line: through })}\n`);
    }
    acked = through;
  };
  const splitter = new LineSplitter(
    (text, number) => {
      lastLine = number;
      if (text.trim() === '') return;
      const result = parseInputLine(text);
      if (result.ok) waiting.push({ record: result.record, line: number });
      else io.stderr.write(`line ${number}: ${result.message}\n`);
    },
    (problem) => {
      lastLine = problem.number;
      io.stderr.write(`${problem.message}\n`);
    },
  );
  try {
    const input = await openInput('-', { stdin: process.stdin });
    for await (const chunk of input.chunks) {
      splitter.push(chunk);
      while (waiting.length >= options.batchSize) await commit(false);
      await commit(true);
    }
    splitter.end();
    await commit(true);
  } catch (error) {
    reportFailure(io, error);
  } finally {
    await pool.end().catch(() => {});
  }
}
