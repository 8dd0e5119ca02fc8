/**
 * Startup: whole processes, timed from spawn to exit, of `node -e 0` (the floor: Node
 * itself, which no command can start faster than) and of the built `uet-tag` (`--help`,
 * `monitor --memory` and `monitor --db` on a new file, both on an empty standard input,
 * so the time is loading, setting up and closing). In every round each side runs once, in
 * an order rotated from round to round, so that every round compares them under the same
 * load; the figures are per-round ratios to `node -e 0`: median and range. Needs
 * `npm run build` first (it runs the bin users run). Run: `npm run bench -- startup`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './statistics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '../packages/uet-tag/dist/bin/uet-tag.cjs');
const ROUNDS = Number(process.env.STARTUP_ROUNDS ?? 40);
/** `monitor --memory` compiling its work anew, as a first run does (no code cache). */
const UNCACHED = 'uet-tag monitor --memory, no code cache';

/** One process's cost: wall-clock and processor (user + system) milliseconds. */
interface ProcessTime {
  readonly wall: number;
  readonly cpu: number;
}

/**
 * Forks and runs a command, and prints its wall-clock and processor milliseconds: timed
 * around the fork and `wait4`, whose resource usage is the child's own, to the microsecond
 * (GNU time prints it in steps of 10 ms, a sixth of a command's whole start).
 */
const TIMER = `
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
wall = (time.perf_counter() - start) * 1000
cpu = (usage.ru_utime + usage.ru_stime) * 1000
print(f"times {wall:.3f} {cpu:.3f} {os.waitstatus_to_exitcode(status)}", file=sys.stderr)
`;

/**
 * Runs `args` with Node to its exit, on an empty standard input, timed by {@link TIMER}
 * (the processor time is less moved by other work on the machine than the wall clock,
 * which waits for the cores).
 */
function timeProcess(args: readonly string[], compileCache: string): ProcessTime {
  const result = spawnSync('python3', ['-c', TIMER, process.execPath, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, UET_TAG_COMPILE_CACHE: compileCache },
  });
  const times = /times (\d+\.\d+) (\d+\.\d+) (-?\d+)\s*$/.exec(result.stderr);
  if (result.status !== 0 || times === null || times[3] !== '0') {
    throw new Error(`node ${args.join(' ')} failed: ${result.error ?? ''} ${result.stderr}`);
  }
  return { wall: Number(times[1]), cpu: Number(times[2]) };
}

/** Runs every side in rotated rounds and returns the `## Startup` section. */
export async function run(): Promise<string> {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  const scratch = mkdtempSync(path.join(tmpdir(), 'uet-startup-'));
  const load = loadavg()[0]?.toFixed(1);
  // The code cache of the monitor's work: a folder of this run, made by the warm-up runs.
  const cache = path.join(scratch, 'compile-cache');
  let database = 0;
  const sides: Record<string, () => readonly string[]> = {
    'node -e 0': () => ['-e', '0'],
    'uet-tag --help': () => [bin, '--help'],
    'uet-tag monitor --memory': () => [bin, 'monitor', '--memory'],
    [UNCACHED]: () => [bin, 'monitor', '--memory'],
    'uet-tag monitor --db new.db': () => [
      bin,
      'monitor',
      '--db',
      path.join(scratch, `new-${database++}.db`),
    ],
  };
  const names = Object.keys(sides);
  const times: Record<string, ProcessTime[]> = Object.fromEntries(names.map((name) => [name, []]));
  const timeSide = (name: string) =>
    timeProcess((sides[name] as () => readonly string[])(), name === UNCACHED ? 'off' : cache);
  for (const name of names) timeSide(name);
  for (let round = 0; round < ROUNDS; round++) {
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length] as string;
      times[name]?.push(timeSide(name));
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  const floor = times['node -e 0'] as ProcessTime[];
  const spread = (ratios: readonly number[]) =>
    `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
  const rows = names.map((name) => {
    const own = times[name] as ProcessTime[];
    const wall = own.map((time, round) => time.wall / (floor[round] as ProcessTime).wall);
    const cpu = own.map((time, round) => time.cpu / Math.max((floor[round] as ProcessTime).cpu, 1));
    const verdict =
      name === 'node -e 0' || name.includes('--db') || name === UNCACHED
        ? ''
        : median(wall) <= 1.5
          ? ' (met)'
          : ' (**missed**)';
    return `| ${name} | ${median(own.map((time) => time.wall)).toFixed(0)} ms | ${spread(wall)}${verdict} | ${median(own.map((time) => time.cpu)).toFixed(0)} ms | ${spread(cpu)} |`;
  });
  return [
    '## Startup',
    '',
    `Command: \`npm run build && npm run bench -- startup\`. Whole processes from spawn to exit (wall clock and processor time of the child alone, read by \`wait4\`), ${ROUNDS} rounds, each side once per round in rotated order (load average ${load} at the start). The floor is \`node -e 0\`: Node starting and ending with nothing to do, which no command can beat; the target is 1.5× it for \`--help\` and \`monitor\`. \`monitor --db\` also opens, checks and closes a new SQLite file (better-sqlite3, the schema, \`integrity_check\`), shown for what it costs beyond that. \`monitor\` runs its work from V8's code cache (a folder of this run, written by the warm-up run of each side), as every run after a machine's first does; \`no code cache\` is a first run, compiling it all (\`UET_TAG_COMPILE_CACHE=off\`).`,
    '',
    '| process | wall time (median) | wall vs `node -e 0`: median (range) of per-round ratios | processor time (median) | processor vs `node -e 0` |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
