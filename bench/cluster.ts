/**
 * Scale-out on PostgreSQL: inputs/s applied by 1, 2 and 4 `uet-tag worker` processes
 * against one `uet-tag monitor` process on SQLite (the single-node service's store) on the
 * same inputs, fresh ones each round; and the takeover time after a SIGKILL at 100,000
 * tags. Needs the PostgreSQL of `DATABASE_URL`. Sizes: BENCH_TAGS, BENCH_INPUTS, BENCH_ROUNDS.
 */
import fs from 'node:fs';
import os, { loadavg } from 'node:os';
import path from 'node:path';
import type { MonitorInput } from 'uet-tag-status';
import { prepareCluster } from '../packages/uet-tag/src/postgres/cluster.js';
import { createClusterPool } from '../packages/uet-tag/src/postgres/clusterPool.js';
import { appendInputs } from '../packages/uet-tag/src/postgres/inputLog.js';
import { SyncPostgres } from '../packages/uet-tag/src/postgres/SyncPostgres.js';
import { createRandom } from '../packages/uet-tag/src/simulation/random.js';
import { caughtUp, ended, holdings, sleep, startCli, until } from './clusterProcesses.js';

const URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const TAGS = Number(process.env.BENCH_TAGS ?? 20_000);
const INPUTS = Number(process.env.BENCH_INPUTS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const TAKEOVER_TAGS = 100_000;
const SHARDS = 16;
const LEASE_TTL_MS = 2_000;

/** Registrations, then activity and conversions stamped around now; a new seed each round. */
function makeInputs(seed: number, tags: number, count: number): MonitorInput[] {
  const random = createRandom(seed);
  const now = Date.now();
  const inputs: MonitorInput[] = [];
  for (let index = 0; index < tags; index++) {
    const goals = index % 4 === 0 ? [{ goalId: 'signup', goalType: 'Url' as const }] : [];
    inputs.push({ kind: 'registerTag', tagId: `tag-${seed}-${index}`, goals });
  }
  for (let index = tags; index < count; index++) {
    const tag = Math.floor(random.next() * tags);
    const tagId = `tag-${seed}-${tag}`;
    const at = now - Math.floor(random.next() * 60_000);
    inputs.push(
      tag % 4 === 0 && random.next() < 0.1
        ? { kind: 'conversion', tagId, goalId: 'signup', at }
        : { kind: 'activity', tagId, at },
    );
  }
  return inputs;
}

function withSchema<T>(label: string, body: (schema: string) => Promise<T>): Promise<T> {
  const schema = `uet_bench_${label}_${process.pid}`;
  const drop = () => {
    const sql = new SyncPostgres({ connectionString: URL });
    sql.run([{ text: `DROP SCHEMA IF EXISTS "${schema}" CASCADE` }]);
    sql.close();
  };
  drop();
  return body(schema).finally(drop);
}

/**
 * One `uet-tag monitor` on a fresh SQLite file, fed the inputs on stdin: inputs/s, timed
 * from its first acknowledgement (the store open, as the workers' shards are before their
 * timing starts) to its exit.
 */
async function sqliteRate(inputs: readonly MonitorInput[]): Promise<number> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-bench-sqlite-'));
  try {
    const text = `${inputs.map((input) => JSON.stringify(input)).join('\n')}\n`;
    const { child, lines } = startCli([
      'monitor',
      '--db',
      path.join(folder, 'tags.db'),
      '--batch-size',
      '2000',
      '--ack',
    ]);
    await until(async () => lines.length > 0);
    const started = performance.now();
    child.stdin?.end(text);
    await ended(child);
    return inputs.length / ((performance.now() - started) / 1_000);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * `workers` workers, balanced on an empty cluster first; then the inputs are appended
 * (in batches of 5,000, as ingest nodes would) and the time runs until every shard applied
 * its log: inputs/s, and the append rate alone.
 */
async function clusterRate(inputs: readonly MonitorInput[], workers: number) {
  return withSchema(`w${workers}`, async (schema) => {
    prepareCluster({ connectionString: URL, schema }, SHARDS);
    const pool = createClusterPool(URL, schema);
    const started = Array.from({ length: workers }, () =>
      startCli([
        'worker',
        '--db',
        URL,
        '--schema',
        schema,
        '--lease-ttl',
        String(LEASE_TTL_MS),
        '--poll',
        '100',
      ]),
    );
    try {
      const share = Math.ceil(SHARDS / workers);
      await until(async () => {
        const held = await holdings(pool);
        return held.length === workers && held.every((count) => count <= share);
      });
      const begin = performance.now();
      for (let from = 0; from < inputs.length; from += 5_000) {
        await appendInputs(pool, inputs.slice(from, from + 5_000));
      }
      const appended = performance.now();
      await until(() => caughtUp(pool));
      const done = performance.now();
      return {
        rate: inputs.length / ((done - begin) / 1_000),
        appendRate: inputs.length / ((appended - begin) / 1_000),
      };
    } finally {
      for (const { child } of started) child.kill('SIGTERM');
      await Promise.all(started.map(({ child }) => ended(child)));
      await pool.end();
    }
  });
}

/** Two workers on 100,000 tags; one is SIGKILLed; the time until the other applied everything. */
async function takeover() {
  return withSchema('takeover', async (schema) => {
    prepareCluster({ connectionString: URL, schema }, SHARDS);
    const pool = createClusterPool(URL, schema);
    const args = [
      'worker',
      '--db',
      URL,
      '--schema',
      schema,
      '--lease-ttl',
      String(LEASE_TTL_MS),
      '--poll',
      '100',
    ];
    const victim = startCli(args);
    const survivor = startCli(args);
    try {
      await until(async () => {
        const held = await holdings(pool);
        return held.length === 2 && held.every((count) => count === SHARDS / 2);
      });
      const inputs = makeInputs(7, TAKEOVER_TAGS, TAKEOVER_TAGS * 2);
      for (let from = 0; from < inputs.length; from += 5_000) {
        await appendInputs(pool, inputs.slice(from, from + 5_000));
      }
      await until(() => caughtUp(pool));
      await sleep(500);
      victim.child.kill('SIGKILL');
      const killedAt = performance.now();
      const more = makeInputs(8, 0, 20_000).map((input, index) => ({
        ...input,
        tagId: `tag-7-${index % TAKEOVER_TAGS}`,
      })) as MonitorInput[];
      await appendInputs(pool, more);
      const claimed = await until(async () => {
        const held = await holdings(pool);
        return held.length === 1 && held[0] === SHARDS;
      });
      await until(() => caughtUp(pool));
      const total = performance.now() - killedAt;
      const opens = survivor.lines
        .map(
          (line) =>
            JSON.parse(line) as {
              kind: string;
              from?: string | null;
              openMs?: number;
              tags?: number;
            },
        )
        .filter(
          (event) => event.kind === 'claimed' && event.from !== null && event.from !== undefined,
        );
      return {
        claimedMs: claimed,
        totalMs: total,
        openMs: opens.reduce((sum, event) => sum + (event.openMs ?? 0), 0),
        tagsTakenOver: opens.reduce((sum, event) => sum + (event.tags ?? 0), 0),
      };
    } finally {
      victim.child.kill('SIGKILL');
      survivor.child.kill('SIGTERM');
      await Promise.all([ended(victim.child), ended(survivor.child)]);
      await pool.end();
    }
  });
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const rate = (value: number) => Math.round(value).toLocaleString('en-US');

export async function run(): Promise<string> {
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  const sides = ['sqlite', 'w1', 'w2', 'w4'] as const;
  const rates: Record<(typeof sides)[number], number[]> = { sqlite: [], w1: [], w2: [], w4: [] };
  const appendRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const inputs = makeInputs(100 + round, TAGS, INPUTS);
    rates.sqlite.push(await sqliteRate(inputs));
    for (const workers of [1, 2, 4] as const) {
      const measured = await clusterRate(inputs, workers);
      rates[`w${workers}`].push(measured.rate);
      appendRates.push(measured.appendRate);
    }
  }
  const taken = await takeover();
  const row = (side: string, values: number[]) =>
    `| ${side} | ${rate(median(values))} | ${(median(values) / median(rates.sqlite)).toFixed(2)} | ${values.map(rate).join(', ')} |`;
  return [
    '## Scale-out on PostgreSQL',
    '',
    `Reproduce: \`npm run bench -- cluster\` (PostgreSQL at \`DATABASE_URL\`; BENCH_TAGS=${TAGS}, BENCH_INPUTS=${INPUTS}, BENCH_ROUNDS=${ROUNDS}). ${TAGS.toLocaleString('en-US')} tags registered, then activity and conversions, ${INPUTS.toLocaleString('en-US')} inputs in all, fresh each round; every side gets the same inputs within a round. SQLite: one \`uet-tag monitor\` process fed them on stdin (batches of 2,000, \`synchronous = FULL\`), timed from its first acknowledgement (its store open) to its exit. PostgreSQL: ${SHARDS} shards, the workers balanced on an empty cluster first, then the inputs appended in batches of 5,000 by the benchmark process (as ingest nodes would) and timed until every shard applied its whole log. Load average ${load} at the start, ${os.cpus().length} cores shared with PostgreSQL and other work.`,
    '',
    '| side | inputs/s (median) | vs SQLite | every round |',
    '| --- | ---: | ---: | --- |',
    row('one `uet-tag monitor` on SQLite', rates.sqlite),
    row('1 worker on PostgreSQL', rates.w1),
    row('2 workers on PostgreSQL', rates.w2),
    row('4 workers on PostgreSQL', rates.w4),
    '',
    `Appending alone (\`appendInputs\`, one transaction per 5,000 inputs): ${rate(median(appendRates))} inputs/s (median of every cluster run).`,
    '',
    `Takeover: two workers on ${TAKEOVER_TAGS.toLocaleString('en-US')} tags (${SHARDS} shards, lease TTL ${LEASE_TTL_MS} ms); one is SIGKILLed while 20,000 more inputs arrive. The survivor held every shard ${(taken.claimedMs / 1_000).toFixed(1)} s after the kill and had applied every input ${(taken.totalMs / 1_000).toFixed(1)} s after it; opening the ${taken.tagsTakenOver.toLocaleString('en-US')} tags it took over (reading their state and reporting the silences due) took ${(taken.openMs / 1_000).toFixed(1)} s of that in all.`,
    '',
  ].join('\n');
}
