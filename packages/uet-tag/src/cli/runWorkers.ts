import { createClusterPool } from '../postgres/clusterPool.js';
import type { CliIo } from './cliIo.js';
import { reportFailure } from './reportFailure.js';

/** The options `uet-tag workers` takes. */
export interface WorkersCommandOptions {
  readonly db: string;
  readonly schema: string;
  readonly json?: boolean;
}

/** One worker as `uet-tag workers` lists it. */
export interface WorkerListing {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
  /** How long ago its last heartbeat was, ms. */
  readonly heartbeatAgeMs: number;
  readonly live: boolean;
  readonly takeovers: number;
  /** The shards whose lease it holds, unexpired. */
  readonly shards: readonly number[];
  /** Inputs appended to its shards and not yet applied. */
  readonly lag: number;
}

/**
 * Runs `uet-tag workers` (see `registerWorkersCommand`): lists the cluster's workers and
 * shards, as a table or `--json`. Loaded only when the command runs, so that other commands
 * do not load PostgreSQL's client.
 *
 * @example
 * ```ts
 * await runWorkers({ db: 'postgresql://127.0.0.1/test', schema: 'uet', json: true }, processIo);
 * ```
 */
export async function runWorkers(options: WorkersCommandOptions, io: CliIo): Promise<void> {
  const pool = createClusterPool(options.db, options.schema, 1);
  try {
    const listing = await listWorkers(pool);
    if (options.json) io.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    else io.stdout.write(formatWorkers(listing));
  } catch (error) {
    reportFailure(io, error);
  } finally {
    await pool.end().catch(() => {});
  }
}

/** What `uet-tag workers` shows. */
export interface ClusterListing {
  readonly workers: readonly WorkerListing[];
  /** Shards whose lease expired (no worker runs them now), with their lag. */
  readonly unowned: readonly { shard: number; lag: number }[];
}

/**
 * Reads the cluster's workers and shards.
 *
 * @example
 * ```ts
 * const { workers, unowned } = await listWorkers(createClusterPool(url));
 * ```
 */
export async function listWorkers(
  pool: ReturnType<typeof createClusterPool>,
): Promise<ClusterListing> {
  const shards = await pool.query<{
    shard: number;
    owner: string | null;
    held: boolean;
    lag: string;
  }>(
    `SELECT l.shard, l.owner, l.expires_at > now() AS held,
            COALESCE(h.last_pos, 0) - COALESCE(s.checkpoint::bigint, 0) AS lag
     FROM leases AS l LEFT JOIN input_heads AS h USING (shard) LEFT JOIN shard_state AS s USING (shard)
     ORDER BY l.shard`,
  );
  const workers = await pool.query<{
    id: string;
    host: string;
    pid: number;
    age: number;
    live: boolean;
    takeovers: number;
  }>(
    `SELECT id, host, pid, (EXTRACT(EPOCH FROM now() - heartbeat_at) * 1000)::float8 AS age,
            NOT stopped AND heartbeat_at > now() - lease_ttl_ms * interval '1 millisecond' AS live, takeovers
     FROM workers WHERE NOT stopped OR heartbeat_at > now() - interval '1 hour' ORDER BY started_at`,
  );
  const heldBy = new Map<string, { shard: number; lag: number }[]>();
  const unowned: { shard: number; lag: number }[] = [];
  for (const row of shards.rows) {
    const entry = { shard: row.shard, lag: Number(row.lag) };
    if (!row.held || row.owner === null) unowned.push(entry);
    else heldBy.set(row.owner, [...(heldBy.get(row.owner) ?? []), entry]);
  }
  return {
    workers: workers.rows.map((row) => {
      const held = heldBy.get(row.id) ?? [];
      return {
        id: row.id,
        host: row.host,
        pid: row.pid,
        heartbeatAgeMs: Math.round(row.age),
        live: row.live,
        takeovers: row.takeovers,
        shards: held.map((entry) => entry.shard),
        lag: held.reduce((sum, entry) => sum + entry.lag, 0),
      };
    }),
    unowned,
  };
}

/** The listing as a plain-text table. */
function formatWorkers({ workers, unowned }: ClusterListing): string {
  const rows = [
    ['worker', 'pid', 'live', 'heartbeat', 'shards', 'lag', 'takeovers'],
    ...workers.map((worker) => [
      worker.id,
      String(worker.pid),
      worker.live ? 'yes' : 'no',
      `${(worker.heartbeatAgeMs / 1_000).toFixed(1)} s ago`,
      worker.shards.join(',') || '-',
      String(worker.lag),
      String(worker.takeovers),
    ]),
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const free =
    unowned.length === 0
      ? 'every shard is held'
      : `not held: ${unowned.map((entry) => `${entry.shard} (lag ${entry.lag})`).join(', ')}`;
  return `${lines.join('\n')}\n${free}\n`;
}
