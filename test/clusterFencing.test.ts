import { afterAll, describe, expect, it } from 'vitest';
import { appendInputs } from '../packages/uet-tag/src/postgres/inputLog.js';
import type { MonitorInput } from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import type { JsonLinesChild } from './support/childProcess.js';
import { checkCluster } from './support/clusterChecks.js';
import { useClusterProcesses } from './support/clusterHarness.js';
import { spawnWorker, workerArgs } from './support/clusterProcesses.js';
import { DATABASE_URL } from './support/postgres.js';

const SHARDS = 4;
const SETTINGS = { leaseTtlMs: 1_000, activityWindowMs: 800, conversionWindowMs: 3_000 };
const WINDOWS = { activityWindowMs: 800, conversionWindowMs: 3_000 };
const TAGS = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cluster = useClusterProcesses('fencing', SHARDS);
const { schema, pool, running } = cluster;

type Claimed = { kind: 'claimed'; shard: number; token: number; from: string | null };
type Started = { kind: 'started'; worker: string };
const heldShards = (worker: JsonLinesChild) => {
  const held = new Map<number, number>();
  for (const line of worker.lines as { kind: string; shard: number; token: number }[]) {
    if (line.kind === 'claimed') held.set(line.shard, line.token);
    if (line.kind === 'released' || line.kind === 'lost') held.delete(line.shard);
  }
  return held;
};

describe('a worker stopped with SIGSTOP past its lease', () => {
  let feeding = false;
  afterAll(() => {
    feeding = false;
  });
  it('D7 commits nothing once it wakes (SIGCONT): its shards were taken over, it reports them lost, and every shard agrees with the oracle', async () => {
    const args = workerArgs(cluster.entry(), DATABASE_URL, schema, SETTINGS);
    const paused = spawnWorker(args);
    running.add(paused);
    const pausedId = (
      (await paused.waitForLine((line) => (line as Started).kind === 'started')) as Started
    ).worker;
    const registrations: MonitorInput[] = Array.from({ length: TAGS }, (_, index) => ({
      kind: 'registerTag',
      tagId: `tag-${index}`,
      goals: index % 3 === 0 ? [{ goalId: 'signup', goalType: 'Url' }] : [],
    }));
    await appendInputs(pool, registrations);
    feeding = true;
    let round = 0;
    const feed = (async () => {
      while (feeding) {
        const now = Date.now();
        const batch: MonitorInput[] = Array.from({ length: 40 }, (_, index) => {
          const tagId = `tag-${(round * 37 + index * 11) % TAGS}`;
          return index % 9 === 0 && ((round * 37 + index * 11) % TAGS) % 3 === 0
            ? { kind: 'conversion', tagId, goalId: 'signup', at: now }
            : { kind: 'activity', tagId, at: now - (index % 5) };
        });
        round += 1;
        await appendInputs(pool, batch).catch((error: unknown) => {
          if (feeding) throw error;
        });
        await sleep(25);
      }
    })();
    // The first worker holds every shard; a second one joins and takes half of them.
    const labelled = (label: string) => (error: Error) => {
      throw new Error(`${label}: ${error.message}; first: ${JSON.stringify(paused.lines)}`);
    };
    await paused
      .waitForLine(() => heldShards(paused).size === SHARDS, 45_000)
      .catch(labelled('the first worker holds every shard'));
    const taker = spawnWorker(args);
    running.add(taker);
    await taker
      .waitForLine(() => heldShards(taker).size === SHARDS / 2, 45_000)
      .catch(
        labelled(
          `the second holds half (${JSON.stringify(taker.lines)}, stderr ${taker.stderr()}, exit ${taker.child.exitCode})`,
        ),
      );
    await paused
      .waitForLine(() => heldShards(paused).size === SHARDS / 2, 45_000)
      .catch(labelled('the first holds half'));
    const pausedLeases = heldShards(paused);

    const takerLinesBefore = taker.lines.length;
    paused.child.kill('SIGSTOP');
    // The second worker claims the stopped one's shards once their leases expired.
    const takenOver = (line: unknown) =>
      (line as Claimed).kind === 'claimed' &&
      (line as Claimed).from === pausedId &&
      pausedLeases.has((line as Claimed).shard);
    await taker
      .waitForLine(
        () => taker.lines.slice(takerLinesBefore).filter(takenOver).length >= SHARDS / 2,
        45_000,
      )
      .catch(labelled(`the second took the first's over (${JSON.stringify(taker.lines)})`));
    await sleep(2 * SETTINGS.activityWindowMs);
    const wokeAt = Date.now();
    const linesBefore = paused.lines.length;
    paused.child.kill('SIGCONT');
    const lostAfterWaking = () =>
      paused.lines
        .slice(linesBefore)
        .filter((line) => (line as { kind: string }).kind === 'lost')
        .map((line) => (line as { shard: number }).shard);
    await paused
      .waitForLine(
        () => [...pausedLeases.keys()].every((shard) => lostAfterWaking().includes(shard)),
        45_000,
      )
      .catch((error: Error) => {
        throw new Error(
          `${error.message}; held ${JSON.stringify([...pausedLeases])}, then: ${JSON.stringify(paused.lines.slice(linesBefore))}; taker: ${JSON.stringify(taker.lines)}`,
        );
      });
    // Its first act on waking was a commit (a silence's timer, or inputs read before the pause),
    // refused by the fencing token in its own transaction.
    const reasons = paused.lines
      .slice(linesBefore)
      .map((line) => (line as { reason?: string }).reason ?? '');
    expect(
      reasons.some((reason) =>
        /moved to another writer.*nothing of this commit was kept/.test(reason),
      ),
    ).toBe(true);
    await sleep(1_000);
    feeding = false;
    await feed;

    const deadline = Date.now() + 45_000;
    for (;;) {
      const behind = await pool.query<{ count: string }>(
        `SELECT count(*) FROM input_heads AS h LEFT JOIN shard_state AS s USING (shard)
         WHERE COALESCE(s.checkpoint::bigint, 0) <> h.last_pos`,
      );
      if (Number(behind.rows[0]?.count) === 0) break;
      expect(Date.now(), 'shards caught up').toBeLessThan(deadline);
      await sleep(100);
    }
    for (const worker of [paused, taker]) worker.child.kill('SIGTERM');
    expect(await paused.exited(), paused.stderr()).toBe(0);
    expect(await taker.exited(), taker.stderr()).toBe(0);

    // Nothing the woken worker did under its old tokens reached the database.
    for (const [shard, token] of pausedLeases) {
      const late = await pool.query<{ count: string }>(
        'SELECT count(*) FROM change_log WHERE shard = $1 AND writer_token = $2 AND noticed_at >= $3',
        [shard, token, wokeAt],
      );
      expect(Number(late.rows[0]?.count), `shard ${shard}, token ${token}`).toBe(0);
      const lease = await pool.query<{ token: string }>(
        'SELECT token FROM leases WHERE shard = $1',
        [shard],
      );
      expect(Number(lease.rows[0]?.token), `shard ${shard}`).toBeGreaterThan(token);
    }
    const figures = await checkCluster(pool, WINDOWS, 'after SIGSTOP', SETTINGS.leaseTtlMs / 2);
    expect(figures.tags).toBe(TAGS);
    expect(
      figures.lateSilences,
      'silences of the pause reported by the new holder',
    ).toBeGreaterThan(0);
  }, 240_000);
});
