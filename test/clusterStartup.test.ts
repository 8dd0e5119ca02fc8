import { describe, expect, it } from 'vitest';
import { useClusterProcesses } from './support/clusterHarness.js';
import { spawnWorker, workerArgs } from './support/clusterProcesses.js';
import { DATABASE_URL } from './support/postgres.js';

const SETTINGS = { leaseTtlMs: 1_000, activityWindowMs: 800, conversionWindowMs: 3_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cluster = useClusterProcesses('startup', 2);
const { schema, pool, running } = cluster;

type Event = { kind: string; message?: string };

describe('a worker whose connection is cut while it starts', () => {
  it('D7 registers again once connected, starts and takes the shards (a partition at start-up is not fatal)', async () => {
    const worker = spawnWorker(workerArgs(cluster.entry(), DATABASE_URL, schema, SETTINGS));
    running.add(worker);
    // The workers table locked: the worker's registration waits on the lock, and its backend
    // is cut while it waits (pg_terminate_backend, as a partition or a restart would).
    const locker = await pool.connect();
    let cut = 0;
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE "${schema}".workers IN ACCESS EXCLUSIVE MODE`);
      const deadline = Date.now() + 30_000;
      while (cut === 0) {
        expect(Date.now(), 'the worker never waited on the lock').toBeLessThan(deadline);
        const result = await pool.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE application_name LIKE 'uet-tag worker %:' || $1 || ':%' AND wait_event_type = 'Lock'`,
          [String(worker.child.pid)],
        );
        cut = result.rowCount ?? 0;
        if (cut === 0) await sleep(50);
      }
    } finally {
      await locker.query('COMMIT');
      locker.release();
    }
    expect(cut).toBe(1);
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
});
