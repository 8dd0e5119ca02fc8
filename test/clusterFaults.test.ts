import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCluster } from '../packages/uet-tag/src/postgres/cluster.js';
import { createClusterPool } from '../packages/uet-tag/src/postgres/clusterPool.js';
import { createRandom } from '../packages/uet-tag/src/simulation/random.js';
import type { JsonLinesChild } from './support/childProcess.js';
import { checkCluster } from './support/clusterChecks.js';
import { IngestNode, spawnWorker, workerArgs } from './support/clusterProcesses.js';
import { buildCliBundle } from './support/monitorSupport.js';
import { DATABASE_URL, testSchema } from './support/postgres.js';

/**
 * Workers and ingest nodes as real processes on the real PostgreSQL, killed with SIGKILL
 * at random while inputs flow. The size is set by CLUSTER_TAGS and CLUSTER_INPUTS (CI's
 * default is small; BENCHMARKS.md has a run at the size) and CLUSTER_KILLS.
 */
const TAGS = Number(process.env.CLUSTER_TAGS ?? 5_000);
const INPUTS = Number(process.env.CLUSTER_INPUTS ?? 60_000);
const KILLS = Number(process.env.CLUSTER_KILLS ?? 12);
const SHARDS = 12;
const SETTINGS = { leaseTtlMs: 1_500, activityWindowMs: 2_000, conversionWindowMs: 6_000 };
const WINDOWS = { activityWindowMs: 2_000, conversionWindowMs: 6_000 };

/** A record's JSON with its keys sorted (jsonb keeps keys in an order of its own). */
const canonical = (json: string) =>
  JSON.stringify(JSON.parse(json), (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const { schema, drop } = testSchema('faults');
const pool = createClusterPool(DATABASE_URL, schema);
let entry = '';
const running = new Set<JsonLinesChild>();
beforeAll(() => {
  entry = buildCliBundle();
  prepareCluster({ connectionString: DATABASE_URL, schema }, SHARDS);
});
afterAll(async () => {
  for (const child of running) child.child.kill('SIGKILL');
  await pool.end();
  drop();
  fs.rmSync(path.dirname(entry), { recursive: true, force: true });
});

/** The input records of the run, one JSON line each: registrations first, then traffic. */
function* inputLines(next: () => number): Generator<string> {
  for (let index = 0; index < TAGS; index++) {
    const goals = [];
    if (index % 4 === 0) goals.push({ goalId: 'signup', goalType: 'Url' });
    if (index % 7 === 0) goals.push({ goalId: 'offline', goalType: 'OfflineConversion' });
    yield JSON.stringify({ kind: 'registerTag', tagId: `tag-${index}`, goals });
  }
  for (let count = TAGS; count < INPUTS; count++) {
    const index = Math.floor(next() ** 2 * TAGS);
    const tagId = `tag-${index}`;
    const at = Date.now() - Math.floor(next() * 300);
    const roll = next();
    if (roll < 0.85) yield JSON.stringify({ kind: 'activity', tagId, at });
    else if (roll < 0.97 && index % 4 === 0) {
      yield JSON.stringify({ kind: 'conversion', tagId, goalId: 'signup', at });
    } else if (roll < 0.97 && index % 7 === 0) {
      yield JSON.stringify({ kind: 'conversion', tagId, goalId: 'offline', at });
    } else if (roll < 0.97) yield JSON.stringify({ kind: 'activity', tagId, at });
    else yield JSON.stringify({ kind: next() < 0.5 ? 'accessLost' : 'accessRestored', tagId });
  }
}

describe('uet-tag worker and uet-tag ingest killed with SIGKILL on PostgreSQL', () => {
  it(
    `D7 ${KILLS} kills of 3 workers and 2 ingest nodes while ${INPUTS} inputs for ${TAGS} tags flow: every acknowledged input reflected, statuses equal the oracle's, gapless per-tag change sequences, downtime silences reported once`,
    async () => {
      const seed = Number(process.env.CLUSTER_SEED ?? Date.now() % 1_000_000);
      const random = createRandom(seed);
      const next = () => random.next();
      const context = `seed ${seed}`;
      const args = workerArgs(entry, DATABASE_URL, schema, SETTINGS);
      const start = (child: JsonLinesChild) => {
        running.add(child);
        return child;
      };
      const workers: (JsonLinesChild | undefined)[] = [0, 1, 2].map(() => start(spawnWorker(args)));
      const ingests: (IngestNode | undefined)[] = [0, 1].map(() => {
        const node = new IngestNode(entry, DATABASE_URL, schema);
        start(node.process);
        return node;
      });
      const acknowledged: string[] = [];
      const resend: string[] = [];
      const lines = inputLines(next);
      let generated = 0;
      let exhausted = false;
      const startedAt = performance.now();

      /** Feeds each live ingest node while it has fewer than 20,000 lines in flight. */
      const feeder = setInterval(() => {
        for (const node of ingests) {
          if (node === undefined) continue;
          if (node.sent.length - node.acknowledged() > 20_000) continue;
          const chunk = resend.splice(0, 2_000);
          while (chunk.length < 2_000 && !exhausted) {
            const line = lines.next();
            if (line.done) exhausted = true;
            else {
              chunk.push(line.value);
              generated += 1;
            }
          }
          if (chunk.length > 0) node.send(chunk);
        }
      }, 20);

      const killAt = async (kill: number) => {
        const victim = Math.floor(next() * 5);
        const downMs =
          kill % 4 === 3
            ? SETTINGS.leaseTtlMs + SETTINGS.activityWindowMs + 500
            : 200 + Math.floor(next() * 1_000);
        if (victim < 3) {
          const worker = workers[victim] as JsonLinesChild;
          workers[victim] = undefined;
          worker.child.kill('SIGKILL');
          await worker.exited();
          running.delete(worker);
          await sleep(downMs);
          workers[victim] = start(spawnWorker(args));
        } else {
          const node = ingests[victim - 3] as IngestNode;
          ingests[victim - 3] = undefined;
          node.process.child.kill('SIGKILL');
          await node.process.exited();
          running.delete(node.process);
          for (const line of node.sent.slice(0, node.acknowledged())) acknowledged.push(line);
          resend.splice(0, 0, ...node.unacknowledged());
          await sleep(downMs);
          const fresh = new IngestNode(entry, DATABASE_URL, schema);
          ingests[victim - 3] = fresh;
          start(fresh.process);
        }
      };

      let terminated = 0;
      try {
        for (let kill = 0; kill < KILLS || !exhausted || resend.length > 0; kill++) {
          await sleep(700 + Math.floor(next() * 1_500));
          if (kill % 4 === 1) {
            // A network partition between one of this test's workers and PostgreSQL: every
            // backend of that worker (its id holds its pid) is cut.
            const live = workers.filter((worker) => worker !== undefined);
            const target = live[Math.floor(next() * live.length)]?.child.pid;
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
        clearInterval(feeder);
      }
      for (const node of ingests) {
        if (node === undefined) continue;
        node.process.child.stdin.end();
        expect(await node.process.exited(), `${context}: ingest ${node.process.stderr()}`).toBe(0);
        for (const line of node.sent.slice(0, node.acknowledged())) acknowledged.push(line);
        expect(node.acknowledged(), context).toBe(node.sent.length);
      }
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

      const logged = await pool.query<{ record: string }>(
        'SELECT record::text AS record FROM input_log',
      );
      const inLog = new Map<string, number>();
      for (const row of logged.rows) {
        const key = canonical(row.record);
        inLog.set(key, (inLog.get(key) ?? 0) + 1);
      }
      const needed = new Map<string, number>();
      for (const line of acknowledged) {
        const key = canonical(line);
        needed.set(key, (needed.get(key) ?? 0) + 1);
      }
      let missing = 0;
      for (const [key, count] of needed) if ((inLog.get(key) ?? 0) < count) missing += 1;
      expect(missing, `${context}: acknowledged inputs missing from the log`).toBe(0);
      expect(acknowledged.length, context).toBeGreaterThanOrEqual(generated);

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
