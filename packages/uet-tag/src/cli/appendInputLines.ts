import type { Readable } from 'node:stream';
import type pg from 'pg';
import type { MonitorInput } from 'uet-tag-status';
import { LineSplitter } from '../io/LineSplitter.js';
import { openInput } from '../io/openInput.js';
import { isConnectionLoss } from '../postgres/connectionLoss.js';
import { appendInputs } from '../postgres/inputLog.js';
import { parseInputLine } from '../records/inputRecord.js';
import type { CliIo } from './cliIo.js';

/** Options of {@link appendInputLines}. */
export interface AppendInputLinesOptions {
  /** The most inputs per commit. */
  readonly batchSize: number;
  /** Print `{"kind":"ack","line":N}` once every line up to N is durable. */
  readonly ack?: boolean;
  /** Where the lines come from. */
  readonly stdin: Readable;
  /** Stops reading (what was read is still appended). */
  readonly signal?: AbortSignal;
}

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
      if (!isConnectionLoss(error) || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/**
 * Reads input records (version 1) as NDJSON from stdin and appends them to a cluster's
 * input log, a batch per commit (at most `batchSize`, whatever a read brought), for
 * `uet-tag ingest` and `uet-tag monitor --db postgresql://…`. Bad lines are reported on
 * stderr and skipped. Resolves once everything read is durable; rejects with the append's
 * error.
 *
 * @example
 * ```ts
 * await appendInputLines(pool, processIo, { batchSize: 5_000, ack: true, stdin: process.stdin });
 * ```
 */
export async function appendInputLines(
  pool: pg.Pool,
  io: CliIo,
  options: AppendInputLinesOptions,
): Promise<void> {
  const waiting: { record: MonitorInput; line: number }[] = [];
  let lastLine = 0;
  let acked = 0;
  /** Appends the waiting inputs (at most a batch unless `all`) and acknowledges their lines. */
  const commit = async (all: boolean) => {
    const batch = waiting.splice(0, all ? waiting.length : options.batchSize);
    if (batch.length > 0) {
      await appendWithRetries(
        pool,
        batch.map((entry) => entry.record),
      );
    }
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
  const input = await openInput('-', { stdin: options.stdin });
  options.signal?.addEventListener('abort', () => input.close(), { once: true });
  for await (const chunk of input.chunks) {
    splitter.push(chunk);
    while (waiting.length >= options.batchSize) await commit(false);
    await commit(true);
    if (options.signal?.aborted) break;
  }
  if (!options.signal?.aborted) splitter.end();
  await commit(true);
}
