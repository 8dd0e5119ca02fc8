import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../packages/uet-tag/src/cli/cliIo.js';
import { registerMonitorCommand } from '../packages/uet-tag/src/cli/monitorCommand.js';
import { ClusterWorker } from '../packages/uet-tag/src/cluster/ClusterWorker.js';
import { prepareCluster } from '../packages/uet-tag/src/postgres/cluster.js';
import { createClusterPool } from '../packages/uet-tag/src/postgres/clusterPool.js';
import { shardOf } from '../packages/uet-tag/src/postgres/shardOf.js';
import { changeRecordSchema } from '../packages/uet-tag/src/records/reportSchemas.js';
import { DATABASE_URL, testSchema } from './support/postgres.js';

/**
 * `uet-tag monitor --db postgresql://…` in this process against the real PostgreSQL and a
 * real worker: it feeds the input log from stdin and follows the change log.
 */
const SHARDS = 4;
const { schema, drop } = testSchema('monitor');
const pool = createClusterPool(DATABASE_URL, schema);
const worker = new ClusterWorker({
  connectionString: DATABASE_URL,
  schema,
  leaseTtlMs: 1_000,
  pollMs: 50,
  windows: { activityWindowMs: 3_600_000 },
});
beforeAll(async () => {
  prepareCluster({ connectionString: DATABASE_URL, schema }, SHARDS);
  await worker.start();
});
afterAll(async () => {
  await worker.stop();
  await pool.end();
  drop();
});

interface PrintedChange {
  readonly kind: string;
  readonly tagId: string;
  readonly from: string;
  readonly to: string;
  readonly seq: number;
  readonly shard: number;
  readonly tagSeq: number;
  readonly goalId?: string;
  readonly effectiveAt: number;
  readonly noticedAt: number;
  readonly position: string;
}

/** A monitor run: what it printed so far, its stdin, and how to stop it. */
function startMonitor(args: readonly string[]) {
  let out = '';
  let err = '';
  let code: number | undefined;
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    setExitCode: (value) => {
      code = value;
    },
  };
  const stdin = new PassThrough();
  const signals = new EventEmitter();
  const program = new Command('uet-tag').exitOverride().configureOutput({ writeErr: () => {} });
  registerMonitorCommand(program, io, { stdin, signals });
  const dbArgs = ['--db', DATABASE_URL, '--schema', schema, '--poll', '100'];
  const done = program.parseAsync(['monitor', ...dbArgs, ...args], { from: 'user' });
  const lines = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    stdin,
    changes: () => lines().filter((line) => line.kind !== 'ack') as unknown as PrintedChange[],
    acks: () => lines().filter((line) => line.kind === 'ack'),
    stderr: () => err,
    /** Resolves once `test` holds, checking every 20 ms for at most 20 s. */
    async until(test: () => boolean, what: string) {
      const deadline = Date.now() + 20_000;
      while (!test()) {
        if (Date.now() > deadline) expect.fail(`${what}; stdout ${out}; stderr ${err}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    /** Sends SIGTERM; resolves with the exit code it set and the `--from` it printed. */
    async stop() {
      signals.emit('SIGTERM');
      await done;
      const resume = /resume with --from (\S+)\n$/.exec(err)?.[1];
      return { code, resume };
    },
  };
}

const lines = (records: readonly object[]) =>
  records.map((record) => `${JSON.stringify(record)}\n`).join('');

/** Resolves once every shard applied its whole input log. */
async function caughtUp(): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const lag = await pool.query<{ behind: string }>(
      `SELECT count(*) AS behind FROM input_heads AS h LEFT JOIN shard_state AS s USING (shard)
       WHERE COALESCE(s.checkpoint::bigint, 0) <> h.last_pos`,
    );
    if (Number(lag.rows[0]?.behind) === 0) return;
    if (Date.now() > deadline) expect.fail('the worker did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The change log's rows (all, or those not in `seen`), in the fields a printed change has. */
async function changeRows(seen: readonly string[] = []): Promise<string[]> {
  const rows = await pool.query<Record<string, string | number | null>>(
    'SELECT * FROM change_log ORDER BY shard, seq',
  );
  return rows.rows
    .map((row) =>
      [
        row.shard,
        row.seq,
        row.tag_id,
        row.tag_seq,
        row.goal_id ?? '-',
        row.from_status,
        row.to_status,
        row.effective_at,
        row.noticed_at,
      ].join(' '),
    )
    .filter((row) => !seen.includes(row));
}

/**
 * Printed changes in the form of {@link changeRows}, by shard and seq (the monitor prints
 * each shard's in order, interleaved as they come).
 */
function rowsOf(changes: readonly PrintedChange[]): string[] {
  const positions = changes.map((change) => change.position.split('.').map(BigInt));
  const ordered = [...positions].sort((a, b) => {
    for (let part = 0; part < 3; part++) {
      const [x, y] = [a[part] as bigint, b[part] as bigint];
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  expect(positions, 'in the stream order').toEqual(ordered);
  for (let shard = 0; shard < SHARDS; shard++) {
    const seqs = changes.filter((change) => change.shard === shard).map((change) => change.seq);
    expect(seqs, `shard ${shard} in order`).toEqual([...seqs].sort((a, b) => a - b));
  }
  return [...changes].sort((a, b) => a.shard - b.shard || a.seq - b.seq).map(rowOf);
}

/** A printed change in the form of {@link changeRows}. */
const rowOf = (
  change: PrintedChange & { goalId?: string; effectiveAt: number; noticedAt: number },
) =>
  [
    change.shard,
    change.seq,
    change.tagId,
    change.tagSeq,
    change.goalId ?? '-',
    change.from,
    change.to,
    change.effectiveAt,
    change.noticedAt,
  ].join(' ');

describe('uet-tag monitor --db postgresql://', () => {
  it('D5 appends stdin to the input log (acknowledged after commit) and prints every committed change once, as the status-change record with its shard, seq and tagSeq; SIGTERM ends it with the --from that resumes, which prints only later changes; --from now skips earlier ones', async () => {
    const tags = Array.from({ length: 12 }, (_, index) => `monitor-${index}`);
    const goals = [{ goalId: 'signup', goalType: 'Url' }];
    const now = Date.now();
    const first = startMonitor(['--from', 'start', '--ack']);
    first.stdin.write(lines(tags.map((tagId) => ({ kind: 'registerTag', tagId, goals }))));
    first.stdin.write(
      `${lines(tags.map((tagId) => ({ kind: 'activity', tagId, at: now })))}oops\n`,
    );
    await first.until(() => first.acks().at(-1)?.line === 25, 'every line acknowledged');
    // Acknowledged only once committed: the 24 good records are in the log.
    const logged = await pool.query<{ n: string }>('SELECT count(*) AS n FROM input_log');
    expect(Number(logged.rows[0]?.n)).toBe(24);
    expect(first.stderr()).toMatch(/^line 25: /);
    await caughtUp();
    const committed = await changeRows();
    await first.until(() => first.changes().length >= committed.length, 'every change printed');
    const changes = first.changes();
    expect(rowsOf(changes)).toEqual(committed);
    for (const change of changes) {
      expect(changeRecordSchema.safeParse(change).success, JSON.stringify(change)).toBe(true);
      expect(change.shard).toBe(shardOf(change.tagId, SHARDS));
    }
    const tagChanges = changes.filter((change) => change.kind === 'tag');
    expect(
      tagChanges.map((change) => `${change.tagId}:${change.from}->${change.to}`).sort(),
    ).toEqual(tags.map((tagId) => `${tagId}:Unverified->Active`).sort());
    const stopped = await first.stop();
    expect(stopped.code).toBeUndefined();
    const cursor = changes.at(-1)?.position;
    expect(cursor).toMatch(/^\d+\.\d+\.\d+$/);
    expect(stopped.resume).toBe(cursor);

    // Resumed: only the changes after the cursor, each once.
    const lost = tags.slice(0, 3);
    const resumed = startMonitor(['--from', cursor as string, '--ack']);
    resumed.stdin.end(lines(lost.map((tagId) => ({ kind: 'accessLost', tagId }))));
    await resumed.until(() => resumed.acks().at(-1)?.line === 3, 'the inputs acknowledged');
    await caughtUp();
    const afterLoss = await changeRows(committed);
    expect(afterLoss.length).toBeGreaterThanOrEqual(lost.length);
    await resumed.until(() => resumed.changes().length >= afterLoss.length, 'the access changes');
    expect(rowsOf(resumed.changes())).toEqual(afterLoss);
    await resumed.stop();

    // From now: none of the earlier changes, only those of inputs sent after it started.
    const later = startMonitor(['--ack']);
    later.stdin.end(lines([{ kind: 'accessRestored', tagId: lost[0] }]));
    await later.until(() => later.acks().at(-1)?.line === 1, 'the input acknowledged');
    await caughtUp();
    const afterRestore = await changeRows([...committed, ...afterLoss]);
    expect(afterRestore.length).toBeGreaterThan(0);
    await later.until(() => later.changes().length >= afterRestore.length, 'the restored access');
    expect(rowsOf(later.changes())).toEqual(afterRestore);
    await later.stop();
  });

  it('says on stderr which changes of a shard the change log no longer keeps, or that the change it resumes after is gone, and prints the rest', async () => {
    const kept = await pool.query<{ shard: number; n: string }>(
      'SELECT shard, count(*) AS n FROM change_log GROUP BY shard ORDER BY count(*) DESC LIMIT 1',
    );
    const { shard, n } = kept.rows[0] as { shard: number; n: string };
    const first = await pool.query<{ xid: string }>(
      'SELECT xid::text FROM change_log WHERE shard = $1 AND seq = 1',
      [shard],
    );
    const pruned = `${first.rows[0]?.xid}.${shard}.1`;
    await pool.query('DELETE FROM change_log WHERE shard = $1 AND seq <= 2', [shard]);
    const total = await pool.query<{ n: string }>('SELECT count(*) AS n FROM change_log');
    const monitor = startMonitor(['--from', 'start']);
    monitor.stdin.end();
    await monitor.until(
      () => monitor.changes().length === Number(total.rows[0]?.n),
      'every change kept',
    );
    expect(Number(n)).toBeGreaterThan(2);
    expect(monitor.stderr()).toBe(
      `warning: shard ${shard}: changes 1 to 2 are no longer kept (the change log keeps the last ones of each shard)\n`,
    );
    await monitor.stop();

    const resumed = startMonitor(['--from', pruned]);
    resumed.stdin.end();
    const after = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM change_log WHERE (xid, shard, seq) > ($1::xid8, $2, 1)`,
      [first.rows[0]?.xid, shard],
    );
    await resumed.until(
      () => resumed.changes().length === Number(after.rows[0]?.n),
      'every change after it',
    );
    expect(resumed.stderr()).toBe(
      `warning: the change at ${pruned} is no longer kept: changes after it may have been pruned too (the change log keeps the last ones of each shard)\n` +
        `warning: shard ${shard}: changes 2 to 2 are no longer kept (the change log keeps the last ones of each shard)\n`,
    );
    await resumed.stop();
  });

  it('refuses options that apply only to the other kind of --db, a --from it cannot read, and a schema without a cluster', async () => {
    await expect(startMonitor(['--follow', 'inputs.ndjson']).stop()).rejects.toThrow(
      /--follow does not apply to a postgresql:\/\/ --db/,
    );
    await expect(startMonitor(['--activity-window', '1h']).stop()).rejects.toThrow(
      /--activity-window does not apply/,
    );
    await expect(startMonitor(['--from', '12.x.3']).stop()).rejects.toThrow(
      /"12.x.3" is not a change's position/,
    );
    const local = new Command('uet-tag').exitOverride().configureOutput({ writeErr: () => {} });
    registerMonitorCommand(local, {
      stdout: { write: () => true },
      stderr: { write: () => true },
      setExitCode: () => {},
    });
    await expect(
      local.parseAsync(['monitor', '--db', 'x.db', '--from', 'now'], { from: 'user' }),
    ).rejects.toThrow(/--from applies only to a postgresql:\/\/ --db/);
    const bare = testSchema('monitorbare');
    try {
      const monitor = startMonitor(['--schema', bare.schema]);
      const { code } = await monitor.stop();
      expect(code).toBe(1);
      expect(monitor.stderr()).toMatch(
        new RegExp(`^error: schema ${bare.schema} holds no cluster \\(.*\\): start a worker`),
      );
    } finally {
      bare.drop();
    }
  });
});
