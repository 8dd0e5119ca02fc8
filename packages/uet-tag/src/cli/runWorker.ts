import { ClusterWorker } from '../cluster/ClusterWorker.js';
import type { CliIo } from './cliIo.js';
import { reportFailure } from './reportFailure.js';

/** The options `uet-tag worker` takes. */
export interface WorkerCommandOptions {
  readonly db: string;
  readonly schema: string;
  readonly shards?: number;
  readonly leaseTtl: number;
  readonly batchSize: number;
  readonly poll: number;
  readonly activityWindow?: number;
  readonly conversionWindow?: number;
  readonly allowedSkew?: number;
  readonly history?: number;
  readonly autoRegister?: boolean;
  readonly metricsPort?: number;
  readonly warnBefore?: number;
}

/**
 * Runs `uet-tag worker` (see `registerWorkerCommand`) until SIGINT or SIGTERM: starts a
 * cluster worker, prints its events as NDJSON, then releases its shards. Loaded only when
 * the command runs, so that other commands do not load PostgreSQL's client.
 *
 * @example
 * ```ts
 * await runWorker({ db: 'postgresql://127.0.0.1/test', schema: 'uet', leaseTtl: 10_000, batchSize: 2_000, poll: 1_000 }, processIo);
 * ```
 */
export async function runWorker(options: WorkerCommandOptions, io: CliIo): Promise<void> {
  const worker = new ClusterWorker({
    connectionString: options.db,
    schema: options.schema,
    shards: options.shards,
    leaseTtlMs: options.leaseTtl,
    batchSize: options.batchSize,
    pollMs: options.poll,
    windows: {
      activityWindowMs: options.activityWindow,
      conversionWindowMs: options.conversionWindow,
    },
    allowedSkewMs: options.allowedSkew,
    historyLimit: options.history,
    autoRegister: options.autoRegister,
    metricsPort: options.metricsPort,
    warnBeforeMs: options.warnBefore,
    onEvent: (event) => io.stdout.write(`${JSON.stringify(event)}\n`),
  });
  // A signal while the worker starts (its registration retried through an outage) stops it
  // there; one later stops it after its loops.
  let starting = true;
  let signalled = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      signalled = true;
      resolve();
      if (starting) void worker.stop().catch(() => {});
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  try {
    await worker.start();
  } catch (error) {
    if (!signalled) reportFailure(io, error);
    await worker.stop().catch(() => {});
    return;
  }
  starting = false;
  await stopped;
  await worker.stop();
}
