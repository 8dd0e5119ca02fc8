import { createClusterPool } from '../postgres/clusterPool.js';
import { isConnectionLoss } from '../postgres/connectionLoss.js';
import { type FeedGap, followChangeFeed } from '../postgres/followChangeFeed.js';
import { clusterShardCount } from '../postgres/inputLog.js';
import {
  type ChangePosition,
  lastSettledPosition,
  positionId,
  type SettledChange,
} from '../postgres/settledChanges.js';
import { appendInputLines } from './appendInputLines.js';
import type { CliIo } from './cliIo.js';
import type { FeedStart } from './feedCursor.js';
import { reportFailure } from './reportFailure.js';
import type { MonitorEnvironment } from './runMonitor.js';

/** A `--schema` that holds no cluster: reported by its message alone. */
class ClusterMissingError extends Error {
  readonly code = 'noCluster';
}

/** The options `uet-tag monitor --db postgresql://…` takes. */
export interface ClusterMonitorOptions {
  readonly db: string;
  /** @default 'uet' */
  readonly schema?: string;
  /** @default 'now' */
  readonly from?: FeedStart;
  /** How long to wait for a notification before reading the change log anyway. */
  readonly poll: number;
  readonly batchSize: number;
  readonly ack?: boolean;
}

/**
 * The line printed for a change of the cluster's log: the status change record (its `seq`
 * the shard's, with `shard` and the tag's own sequence `tagSeq`) and its `position`, what
 * `--from` resumes after.
 */
function changeLine(change: SettledChange): string {
  return `${JSON.stringify({ ...change.record, position: positionId(change.position) })}\n`;
}

/**
 * Runs `uet-tag monitor --db postgresql://…`, a client of a cluster: it follows the
 * cluster's change log (`followChangeFeed`) from `--from`, printing each change as a JSON
 * line once committed, and appends the input records read on stdin to the input log,
 * acknowledging them after commit with `--ack`. The end of stdin ends only the inputs;
 * SIGINT, SIGTERM or a closed stdout end the command (exit code 0), which then writes the
 * `--from` that resumes after the last change printed on stderr.
 *
 * @example
 * ```ts
 * await runClusterMonitor({ db, poll: 1_000, batchSize: 1_000 }, processIo, { stdin: process.stdin, signals: process });
 * ```
 */
export async function runClusterMonitor(
  options: ClusterMonitorOptions,
  io: CliIo,
  environment: MonitorEnvironment,
): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  environment.signals.once('SIGINT', onSignal);
  environment.signals.once('SIGTERM', onSignal);
  let stdoutClosed = false;
  let failure: unknown;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    stdoutClosed = true;
    if (error.code !== 'EPIPE') failure ??= error;
    stop.abort();
  };
  const stdout = io.stdout as Partial<NodeJS.WriteStream>;
  stdout.on?.('error', onStdoutError);
  const schema = options.schema ?? 'uet';
  const pool = createClusterPool(options.db, schema, 2, 'uet-tag monitor');
  let last: ChangePosition | undefined;
  let started = false;
  try {
    try {
      await clusterShardCount(pool);
    } catch (error) {
      if (isConnectionLoss(error)) throw error;
      throw new ClusterMissingError(
        `schema ${schema} holds no cluster (${(error as Error).message}): start a worker (uet-tag worker --db … --schema ${schema}) first`,
      );
    }
    const from = options.from ?? 'now';
    last = from === 'now' ? await lastSettledPosition(pool) : from === 'start' ? undefined : from;
    started = true;
    const inputs = appendInputLines(pool, io, {
      batchSize: options.batchSize,
      ack: options.ack,
      stdin: environment.stdin,
      signal: stop.signal,
    }).catch((error: unknown) => {
      failure ??= error;
      stop.abort();
    });
    let lost = false;
    const changes = followChangeFeed({
      pool,
      connectionString: options.db,
      after: last,
      signal: stop.signal,
      pollMs: options.poll,
      onGap: (gap) => io.stderr.write(`warning: ${gapMessage(gap)}\n`),
      onConnectionLoss: (error) => {
        if (!lost) io.stderr.write(`warning: PostgreSQL lost (${String(error)}); retrying\n`);
        lost = true;
      },
    });
    for await (const change of changes) {
      lost = false;
      last = change.position;
      if (!stdoutClosed) io.stdout.write(changeLine(change));
    }
    await inputs;
  } catch (error) {
    failure ??= error;
  } finally {
    environment.signals.off('SIGINT', onSignal);
    environment.signals.off('SIGTERM', onSignal);
    stdout.off?.('error', onStdoutError);
    await pool.end().catch(() => {});
  }
  if (started)
    io.stderr.write(`resume with --from ${last === undefined ? 'start' : positionId(last)}\n`);
  if (failure !== undefined) reportFailure(io, failure);
}

/** What a gap in the change feed means, for stderr. */
function gapMessage(gap: FeedGap): string {
  const kept = '(the change log keeps the last ones of each shard)';
  return gap.kind === 'shardChangesPruned'
    ? `shard ${gap.shard}: changes ${gap.from} to ${gap.to} are no longer kept ${kept}`
    : `the change at ${positionId(gap.after)} is no longer kept: changes after it may have been pruned too ${kept}`;
}
