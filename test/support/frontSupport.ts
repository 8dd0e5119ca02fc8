import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { prepareCluster } from '../../packages/uet-tag/src/postgres/cluster.js';
import { createClusterPool } from '../../packages/uet-tag/src/postgres/clusterPool.js';
import { createFrontService } from '../../packages/uet-tag/src/service/createFrontService.js';
import { loadServiceConfig } from '../../packages/uet-tag/src/service/serviceConfig.js';
import type { RunningService } from '../../packages/uet-tag/src/service/serviceOptions.js';
import type { JsonLinesChild } from './childProcess.js';
import { spawnWorker, workerArgs } from './clusterProcesses.js';
import { buildCliBundle } from './monitorSupport.js';
import { DATABASE_URL, testSchema } from './postgres.js';

/** A front node (`createFrontService`) started in this process on a loopback port. */
export interface TestFrontNode {
  readonly node: RunningService;
  readonly url: string;
  close(): Promise<void>;
}

/** The cluster settings of the front node tests: windows long enough never to pass. */
export const LONG_WINDOWS = {
  leaseTtlMs: 2_000,
  activityWindowMs: 3_600_000,
  conversionWindowMs: 86_400_000,
} as const;

/** Starts a front node of the cluster in `schema` of `DATABASE_URL` with `flags`, logging nowhere. */
export async function startFrontNode(
  schema: string,
  flags: Record<string, unknown> = {},
): Promise<TestFrontNode> {
  const config = loadServiceConfig({
    flags: { db: DATABASE_URL, schema, port: 0, host: '127.0.0.1', ...flags },
  });
  const node = await createFrontService(config, { logStream: { write: () => true } });
  const url = await node.listen();
  return { node, url, close: () => node.close() };
}

/** Resolves once every shard's owner applied its whole input log. */
export async function caughtUp(pool: pg.Pool, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM input_heads AS h LEFT JOIN shard_state AS s USING (shard)
       WHERE h.last_pos > coalesce(s.checkpoint::bigint, 0)`,
    );
    if (Number(behind.rows[0]?.n) === 0) return;
    if (Date.now() > deadline) throw new Error('the workers did not apply the input log in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A cluster of one test file: its own schema, real worker processes, and a pool on it. */
export interface TestCluster {
  readonly schema: string;
  readonly pool: pg.Pool;
  /** Builds the CLI, prepares the schema with `shards` and starts the workers (`beforeAll`). */
  start(): void;
  /** Kills the workers, drops the schema, removes the CLI build (`afterAll`). */
  stop(): Promise<void>;
}

/** A cluster in a schema of its own (`testSchema(label)`), with `workers` auto-registering workers. */
export function testCluster(
  label: string,
  settings: { leaseTtlMs: number; activityWindowMs: number; conversionWindowMs: number },
  sizes: { readonly shards: number; readonly workers: number },
): TestCluster {
  const { schema, drop } = testSchema(label);
  const pool = createClusterPool(DATABASE_URL, schema);
  const workers: JsonLinesChild[] = [];
  let entry = '';
  return {
    schema,
    pool,
    start() {
      entry = buildCliBundle();
      prepareCluster({ connectionString: DATABASE_URL, schema }, sizes.shards);
      for (let index = 0; index < sizes.workers; index++) {
        const args = [...workerArgs(entry, DATABASE_URL, schema, settings), '--auto-register'];
        workers.push(spawnWorker(args));
      }
    },
    async stop() {
      for (const worker of workers) worker.child.kill('SIGKILL');
      await pool.end();
      drop();
      if (entry !== '') fs.rmSync(path.dirname(entry), { recursive: true, force: true });
    },
  };
}
