import { describe, expect, it } from 'vitest';
import { createRandom } from '../packages/uet-tag/src/simulation/random.js';
import type { JsonLinesChild } from './support/childProcess.js';
import { checkCluster } from './support/clusterChecks.js';
import { useClusterProcesses } from './support/clusterHarness.js';
import { IngestNode, ServeNode, spawnWorker, workerArgs } from './support/clusterProcesses.js';
import { clusterTraffic, TrafficFeeder } from './support/clusterTraffic.js';
import { DATABASE_URL } from './support/postgres.js';

/**
 * Workers, serve nodes (`uet-tag serve --db postgresql://…`, fed over HTTP: `POST /inputs`
 * batches and collector hits) and an ingest node (`uet-tag ingest`, fed on stdin) as real
 * processes on the real PostgreSQL, killed with SIGKILL while inputs flow. The size is set
 * by CLUSTER_TAGS, CLUSTER_INPUTS and CLUSTER_KILLS (CI's default is small; BENCHMARKS.md
 * has a run at the size), the pace of the inputs by CLUSTER_RATE (per second).
 */
const TAGS = Number(process.env.CLUSTER_TAGS ?? 4_000);
const INPUTS = Number(process.env.CLUSTER_INPUTS ?? 40_000);
const KILLS = Number(process.env.CLUSTER_KILLS ?? 10);
/** Inputs generated per second at most: by default, so that they flow until the last kill. */
const RATE = Number(process.env.CLUSTER_RATE ?? INPUTS / (KILLS * 2.5));
const SHARDS = 12;
const BATCH = 1_000;
const SETTINGS = { leaseTtlMs: 1_500, activityWindowMs: 2_000, conversionWindowMs: 6_000 };
const WINDOWS = { activityWindowMs: 2_000, conversionWindowMs: 6_000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cluster = useClusterProcesses('faults', SHARDS);
const { schema, pool, running } = cluster;

/** Which process kill `kill` hits: workers and serve nodes in turn, every sixth the ingest node. */
const victimKind = (kill: number) =>
  kill % 2 === 0 ? 'worker' : kill % 6 === 5 ? 'ingest' : ('serve' as const);

describe('uet-tag worker, uet-tag serve --db postgresql:// and uet-tag ingest killed with SIGKILL on PostgreSQL', () => {
  it(
    `D7 ${KILLS} kills of 3 workers, 2 serve nodes and an ingest node while ${INPUTS} inputs for ${TAGS} tags flow: every acknowledged input reflected, statuses equal the oracle's, gapless per-tag change sequences, downtime silences reported once`,
    async () => {
      const seed = Number(process.env.CLUSTER_SEED ?? Date.now() % 1_000_000);
      const random = createRandom(seed);
      const next = () => random.next();
      const context = `seed ${seed}`;
      const args = workerArgs(cluster.entry(), DATABASE_URL, schema, SETTINGS);
      const started: ServeNode[] = [];
      const track = (child: JsonLinesChild) => {
        running.add(child);
        return child;
      };
      const startServe = async () => {
        const node = await ServeNode.start(cluster.entry(), DATABASE_URL, schema);
        track(node.process);
        started.push(node);
        return node;
      };
      const startIngest = () => {
        const node = new IngestNode(cluster.entry(), DATABASE_URL, schema);
        track(node.process);
        return node;
      };
      const workers: (JsonLinesChild | undefined)[] = [0, 1, 2].map(() => track(spawnWorker(args)));
      const serves: (ServeNode | undefined)[] = await Promise.all([startServe(), startServe()]);
      let ingest: IngestNode | undefined = startIngest();
      const size = { tags: TAGS, inputs: INPUTS, beaconShare: 0.02 };
      const feeder = new TrafficFeeder(clusterTraffic(size, next), BATCH, RATE);
      const startedWall = Date.now();
      const startedAt = performance.now();
      const feeding = setInterval(() => {
        feeder.feed(serves, 4 * BATCH);
        feeder.feed([ingest], 2 * BATCH);
      }, 20);

      /** SIGKILLs a process of `kind`, waits, and starts it again. */
      const killAt = async (kill: number) => {
        const kind = victimKind(kill);
        // Every other worker stays down past its leases and a silence: a downtime.
        const downMs =
          kind === 'worker' && kill % 4 === 2
            ? SETTINGS.leaseTtlMs + SETTINGS.activityWindowMs + 500
            : 200 + Math.floor(next() * 1_000);
        const stop = async (child: JsonLinesChild) => {
          child.child.kill('SIGKILL');
          await child.exited();
          running.delete(child);
          await sleep(downMs);
        };
        if (kind === 'worker') {
          const index = Math.floor(next() * workers.length);
          const worker = workers[index] as JsonLinesChild;
          workers[index] = undefined;
          await stop(worker);
          workers[index] = track(spawnWorker(args));
        } else if (kind === 'serve') {
          const index = Math.floor(next() * serves.length);
          const node = serves[index] as ServeNode;
          serves[index] = undefined;
          await stop(node.process);
          serves[index] = await startServe();
        } else {
          const node = ingest as IngestNode;
          ingest = undefined;
          await stop(node.process);
          ingest = startIngest();
        }
      };

      let terminated = 0;
      try {
        for (let kill = 0; kill < KILLS || !feeder.done(); kill++) {
          await sleep(500 + Math.floor(next() * 1_000));
          if (kill % 4 === 1) {
            // A network partition between one of this test's workers and PostgreSQL: every
            // backend of that worker (its id holds its pid) is cut. The worker is drawn from
            // those connected now (one just started may not have connected yet).
            const connected = await pool.query<{ pid: string }>(
              `SELECT DISTINCT split_part(application_name, ':', 2) AS pid FROM pg_stat_activity
               WHERE application_name LIKE 'uet-tag worker %'`,
            );
            const ours = new Set(workers.map((worker) => String(worker?.child.pid)));
            const live = connected.rows.map((row) => row.pid).filter((pid) => ours.has(pid));
            const target = live[Math.floor(next() * live.length)];
            const cut = await pool.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
               WHERE application_name LIKE 'uet-tag worker %:' || $1 || ':%'`,
              [String(target)],
            );
            terminated += cut.rowCount ?? 0;
          }
          if (kill < KILLS) await killAt(kill);
        }
      } finally {
        clearInterval(feeding);
      }
      const finishedWall = Date.now();
      for (const node of serves) {
        if (node === undefined) continue;
        node.process.child.kill('SIGTERM');
        const code = await node.process.exited();
        const said = JSON.stringify(node.process.lines.slice(-4));
        expect(code, `${context}: serve node ${said} ${node.process.stderr()}`).toBe(0);
      }
      expect(await ingest.close(), `${context}: ingest ${ingest.process.stderr()}`).toBe(0);
      const sentAt = performance.now();

      // Every shard catches up: all of its input log applied.
      const caughtUp = async () => {
        const lag = await pool.query<{ behind: string }>(
          `SELECT count(*) AS behind FROM input_heads AS h LEFT JOIN shard_state AS s USING (shard)
         WHERE COALESCE(s.checkpoint::bigint, 0) <> h.last_pos`,
        );
        return Number(lag.rows[0]?.behind) === 0;
      };
      const deadline = Date.now() + 60_000 + INPUTS / 5;
      while (!(await caughtUp())) {
        if (Date.now() > deadline) {
          const state = await pool.query(
            `SELECT l.shard, l.owner, l.token, l.expires_at > now() AS held, h.last_pos, s.checkpoint
           FROM leases AS l JOIN input_heads AS h USING (shard) LEFT JOIN shard_state AS s USING (shard)`,
          );
          const events = workers.map((worker) => [worker?.lines.slice(-8), worker?.stderr()]);
          expect.fail(
            `${context}: shards behind after the deadline: ${JSON.stringify({ state: state.rows, events })}`,
          );
        }
        await sleep(200);
      }
      const doneAt = performance.now();
      // A worker restarted last may still be loading: SIGTERM once it listens for it.
      for (const worker of workers) {
        await worker?.waitForLine((line) => (line as { kind: string }).kind === 'started', 60_000);
      }
      for (const worker of workers) worker?.child.kill('SIGTERM');
      for (const worker of workers) {
        if (worker !== undefined)
          expect(await worker.exited(), `${context}: ${worker.stderr()}`).toBe(0);
      }

      // The log holds every acknowledged input, and nothing that was not sent; the oracle
      // (checkCluster) is fed exactly what it holds.
      const logged = await pool.query<{ record: string }>(
        'SELECT record::text AS record FROM input_log',
      );
      const books = feeder.checkLog(
        logged.rows.map((row) => row.record),
        startedWall,
        finishedWall,
        context,
      );
      // An answer other than an acknowledgement came only from a node being killed (none is 4xx).
      const refusals = started.flatMap((node) => node.refusals);
      expect(
        refusals.filter((refusal) => refusal.startsWith('4')),
        context,
      ).toEqual([]);
      const figures = await checkCluster(pool, WINDOWS, context, SETTINGS.leaseTtlMs / 2);
      expect(figures.tags, context).toBe(TAGS);
      expect(
        figures.lateSilences,
        `${context}: silences reported after a takeover`,
      ).toBeGreaterThan(0);
      expect(terminated, `${context}: backends terminated`).toBeGreaterThan(0);
      console.log(
        JSON.stringify({
          seed,
          tags: TAGS,
          inputs: figures.inputs,
          kills: KILLS,
          terminatedBackends: terminated,
          ...books,
          refusals: refusals.length,
          changes: figures.changes,
          lateSilences: figures.lateSilences,
          sendSeconds: Math.round((sentAt - startedAt) / 100) / 10,
          catchUpSeconds: Math.round((doneAt - sentAt) / 100) / 10,
        }),
      );
    },
    Math.max(280_000, INPUTS),
  );
});
