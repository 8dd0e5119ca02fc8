import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'packages/uet-tag/src/cli/bin.ts');

/** Runs `uet-tag <args>` from the sources (tsx), its stdout as lines. */
export function startCli(args: readonly string[]): { child: ChildProcess; lines: string[] } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=uet-tag-source', cli, ...args],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  let partial = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  return { child, lines };
}

/** Resolves once the process ended. */
export function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `test` holds, looking every 20 ms; resolves with the time it took (ms). */
export async function until(test: () => Promise<boolean>, timeoutMs = 600_000): Promise<number> {
  const started = performance.now();
  while (!(await test())) {
    if (performance.now() - started > timeoutMs) throw new Error('timed out');
    await sleep(20);
  }
  return performance.now() - started;
}

/** Whether every shard applied its whole input log. */
export async function caughtUp(pool: pg.Pool): Promise<boolean> {
  const result = await pool.query<{ behind: string }>(
    `SELECT count(*) AS behind FROM input_heads AS h LEFT JOIN shard_state AS s USING (shard)
     WHERE COALESCE(s.checkpoint::bigint, 0) <> h.last_pos`,
  );
  return Number(result.rows[0]?.behind) === 0;
}

/** How many shards each live owner holds. */
export async function holdings(pool: pg.Pool): Promise<number[]> {
  const result = await pool.query<{ held: string }>(
    'SELECT count(*) AS held FROM leases WHERE expires_at > now() GROUP BY owner',
  );
  return result.rows.map((row) => Number(row.held));
}
