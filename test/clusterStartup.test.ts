import { describe, expect, it } from 'vitest';
import { useClusterProcesses } from './support/clusterHarness.js';
import { spawnWorker, workerArgs } from './support/clusterProcesses.js';
import { DATABASE_URL } from './support/postgres.js';

const SETTINGS = { leaseTtlMs: 1_000, activityWindowMs: 800, conversionWindowMs: 3_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cluster = useClusterProcesses('startup', 2);
const { schema, pool, running } = cluster;

type Event = { kind: string; message?: string };

/** The backends of worker `$1` (its pid) that wait on a lock. */
const WAITING_BACKENDS = `FROM pg_stat_activity
  WHERE application_name LIKE 'uet-tag worker %:' || $1 || ':%' AND wait_event_type = 'Lock'`;

/** A worker process of this cluster, stopped at the end if a test does not stop it. */
function startWorker() {
  const worker = spawnWorker(workerArgs(cluster.entry(), DATABASE_URL, schema, SETTINGS));
  running.add(worker);
  return worker;
}

/** Locks the workers table in a transaction: a worker's registration waits on the lock. */
async function lockWorkers() {
  const locker = await pool.connect();
  await locker.query('BEGIN');
  await locker.query(`LOCK TABLE "${schema}".workers IN ACCESS EXCLUSIVE MODE`);
  return locker;
}

async function unlock(locker: Awaited<ReturnType<typeof lockWorkers>>): Promise<void> {
  await locker.query('COMMIT');
  locker.release();
}

/**
 * Cuts the backend of worker `pid` that waits on the lock, as a partition or a restart of
 * PostgreSQL would (`pg_terminate_backend`), once it waits; how many were cut.
 */
async function cutWhileWaiting(pid: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    expect(Date.now(), 'the worker never waited on the lock').toBeLessThan(deadline);
    const result = await pool.query(`SELECT pg_terminate_backend(pid) ${WAITING_BACKENDS}`, [
      String(pid),
    ]);
    if ((result.rowCount ?? 0) > 0) return result.rowCount ?? 0;
    await sleep(50);
  }
}

/** Whether worker `pid` has a backend waiting on a lock. */
async function isWaiting(pid: number): Promise<boolean> {
  const result = await pool.query(`SELECT 1 ${WAITING_BACKENDS}`, [String(pid)]);
  return (result.rowCount ?? 0) > 0;
}

describe('a worker whose connection is cut while it starts', () => {
  it('D7 registers again once connected, starts and takes the shards (a partition at start-up is not fatal)', async () => {
    const worker = startWorker();
    const locker = await lockWorkers();
    try {
      expect(await cutWhileWaiting(worker.child.pid as number)).toBe(1);
    } finally {
      await unlock(locker);
    }
    await worker.waitForLine((line) => (line as Event).kind === 'started');
    await worker.waitForLine((line) => (line as Event).kind === 'claimed');
    const errors = (worker.lines as Event[]).filter((line) => line.kind === 'error');
    expect(errors.map((line) => line.message)).toEqual([
      expect.stringMatching(/^register: terminating connection .*; trying again$/),
    ]);
    const registered = await pool.query(
      `SELECT count(*) AS n FROM "${schema}".workers WHERE pid = $1`,
      [worker.child.pid],
    );
    expect(Number(registered.rows[0]?.n)).toBe(1);
    worker.child.kill('SIGTERM');
    expect(await worker.exited()).toBe(0);
    running.delete(worker);
  });

  it('D7 stops at SIGTERM while it registers again, exit code 0, without starting', async () => {
    const worker = startWorker();
    const locker = await lockWorkers();
    try {
      expect(await cutWhileWaiting(worker.child.pid as number)).toBe(1);
      // Its second attempt waits on the lock again; the signal comes then.
      const deadline = Date.now() + 30_000;
      while (!(await isWaiting(worker.child.pid as number))) {
        expect(Date.now(), 'the worker never tried again').toBeLessThan(deadline);
        await sleep(50);
      }
      worker.child.kill('SIGTERM');
      await sleep(200);
    } finally {
      await unlock(locker);
    }
    expect(await worker.exited()).toBe(0);
    running.delete(worker);
    const kinds = (worker.lines as Event[]).map((line) => line.kind);
    expect(kinds).toEqual(['error', 'stopped']);
  });
});
