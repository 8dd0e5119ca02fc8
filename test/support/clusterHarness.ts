import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { prepareCluster } from '../../packages/uet-tag/src/postgres/cluster.js';
import { createClusterPool } from '../../packages/uet-tag/src/postgres/clusterPool.js';
import type { JsonLinesChild } from './childProcess.js';
import { buildCliBundle } from './monitorSupport.js';
import { DATABASE_URL, testSchema } from './postgres.js';
import { temporaryFolder } from './serviceSupport.js';

/** What a test file of real cluster processes shares, from {@link useClusterProcesses}. */
export interface ClusterHarness {
  /** The file's own schema on the real PostgreSQL, prepared with its shards. */
  readonly schema: string;
  /** A pool in that schema, for the test's own queries. */
  readonly pool: pg.Pool;
  /** A scratch folder for configuration files. */
  readonly dir: string;
  /** The processes the tests started: every one is killed (SIGKILL) after the file. */
  readonly running: Set<JsonLinesChild>;
  /** The CLI bundle the processes run, once built (in `beforeAll`). */
  entry(): string;
}

/**
 * Sets up a test file of real `uet-tag worker` and `serve` processes: a schema of its own
 * prepared with `shards` shards, a pool, a scratch folder, the CLI bundle (built in
 * `beforeAll`), and the set of processes started; after the file (`afterAll`), every
 * process is killed (resumed first, for tests that stop one with SIGSTOP), and the pool,
 * schema, folder and bundle are removed. The file's own hooks, registered after this
 * call, run after these `beforeAll` and before these `afterAll`.
 *
 * @example
 * ```ts
 * const cluster = useClusterProcesses('hooks', 4);
 * beforeAll(() => cluster.running.add(spawnWorker(workerArgs(cluster.entry(), DATABASE_URL, cluster.schema, SETTINGS))));
 * ```
 */
export function useClusterProcesses(label: string, shards: number): ClusterHarness {
  const { schema, drop } = testSchema(label);
  const pool = createClusterPool(DATABASE_URL, schema);
  const folder = temporaryFolder(`uet-cluster-${label}-`);
  const running = new Set<JsonLinesChild>();
  let entry = '';
  // Bundling and preparing the schema take seconds, more on a loaded machine.
  beforeAll(() => {
    entry = buildCliBundle();
    prepareCluster({ connectionString: DATABASE_URL, schema }, shards);
  }, 60_000);
  afterAll(async () => {
    for (const { child } of running) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    await pool.end();
    drop();
    folder.remove();
    if (entry !== '') fs.rmSync(path.dirname(entry), { recursive: true, force: true });
  });
  return { schema, pool, dir: folder.dir, running, entry: () => entry };
}
