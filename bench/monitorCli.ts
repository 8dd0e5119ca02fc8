/**
 * `uet-tag monitor` on NDJSON input, whole processes on the same file: the floor
 * (`bench/ndjsonFloor.mjs`: chunked line split, `JSON.parse`, dispatch into a `Map` and a
 * `Float64Array`), the built `uet-tag monitor --memory`, and `uet-tag monitor --db` on a
 * new SQLite file (group commit by `--batch-size`, acknowledged after each commit's WAL
 * flush with `--ack`). Each round runs every side once, in rotated order; figures are lines per
 * second and per-round ratios (median and range). Needs `npm run build` first. Run:
 * `npm run bench -- monitor-cli`.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './statistics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '../packages/uet-tag/dist/bin/uet-tag.cjs');
const floor = path.join(here, 'ndjsonFloor.mjs');
const cpuReport = path.join(here, 'cpuReport.cjs');
const TAGS = 10_000;
const LINES = 1_000_000;
const ROUNDS = 5;
/** Group commit of both monitor sides: 10,000 inputs or 100 ms, each commit acknowledged. */
const GROUP_COMMIT = ['--batch-size', '10000', '--commit-interval', '100', '--ack'];

/** Registrations of every tag, then activity spread over them, within the last hour. */
function writeInput(file: string): void {
  const start = Date.now() - 3_600_000;
  const lines: string[] = [];
  for (let index = 0; index < TAGS; index++) {
    lines.push(JSON.stringify({ kind: 'registerTag', tagId: `tag-${index}` }));
  }
  for (let index = TAGS; index < LINES; index++) {
    const tagId = `tag-${(index * 7_919) % TAGS}`;
    lines.push(JSON.stringify({ kind: 'activity', tagId, at: start + Math.floor(index / 1_000) }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** A side's run: seconds to its exit, and the CPU seconds the process used. */
interface ProcessTime {
  readonly wall: number;
  readonly cpu: number;
}

/** Runs `node args` with `input` as its standard input; returns its wall and CPU time. */
function timeProcess(args: readonly string[], input: string): Promise<ProcessTime> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-r', cpuReport, ...args], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data) => {
      stderr += data;
    });
    createReadStream(input).pipe(child.stdin);
    child.on('error', reject);
    child.on('close', (code) => {
      const cpu = /cpu-us (\d+)/.exec(stderr);
      if (code === 0 && cpu !== null) {
        resolve({ wall: (performance.now() - start) / 1_000, cpu: Number(cpu[1]) / 1e6 });
      } else reject(new Error(`node ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

/** Runs the rounds and returns the `## Monitor command` section of BENCHMARKS.md. */
export async function run(): Promise<string> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'uet-monitor-cli-'));
  const input = path.join(scratch, 'inputs.ndjson');
  writeInput(input);
  const load = loadavg().map((value) => value.toFixed(1));
  let database = 0;
  const sides: Record<string, () => readonly string[]> = {
    floor: () => [floor],
    '--memory': () => [bin, 'monitor', '--memory', ...GROUP_COMMIT],
    '--db': () => [
      bin,
      'monitor',
      '--db',
      path.join(scratch, `state-${database++}.db`),
      ...GROUP_COMMIT,
    ],
  };
  const names = Object.keys(sides);
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  const cpuTimes: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length] as string;
      const { wall, cpu } = await timeProcess((sides[name] as () => readonly string[])(), input);
      times[name]?.push(wall);
      cpuTimes[name]?.push(cpu);
    }
  }
  const megabytes = statSync(input).size / 2 ** 20;
  rmSync(scratch, { recursive: true, force: true });
  const ratio = (side: string, other: string, of = times) => {
    const ratios = (of[side] as number[]).map(
      (time, round) => ((of[other] as number[])[round] as number) / time,
    );
    return `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
  };
  const row = (name: string, label: string) =>
    `| ${label} | ${median(times[name] as number[]).toFixed(2)} s | ${Math.round(LINES / median(times[name] as number[])).toLocaleString('en-US')} | ${ratio(name, 'floor')} | ${ratio(name, '--memory')} | ${median(cpuTimes[name] as number[]).toFixed(2)} s | ${ratio(name, 'floor', cpuTimes)} | ${ratio(name, '--memory', cpuTimes)} |`;
  return [
    '## Monitor command',
    '',
    `Command: \`npm run build && npm run bench -- monitor-cli\`. ${cpus().length} shared cores, Node ${process.version}, load average ${load.join(' / ')} at the start. One NDJSON file of ${LINES.toLocaleString('en-US')} lines (${megabytes.toFixed(0)} MiB: ${TAGS.toLocaleString('en-US')} registrations, then activity spread over the tags) piped into whole processes, ${ROUNDS} rounds, every side once per round in rotated order. Rates are lines per second of the whole process (start-up included: about 0.1 s of each); ratios are rates over the other side's in the same round (median, range). CPU time is what the whole process used (user + system, all threads, from \`process.cpuUsage()\` at exit, \`bench/cpuReport.cjs\`); its ratios are the other side's CPU time over this side's, so a machine shared with other work weighs less on them.`,
    '',
    '- **floor**: `bench/ndjsonFloor.mjs`: the standard input read in 64 KiB chunks, lines split with `indexOf`, `JSON.parse` per line, dispatched by kind into an id → index `Map` and a `Float64Array` of last-seen times: a bare parse-and-dispatch loop.',
    '- **`--memory`**: `uet-tag monitor --memory --batch-size 10000 --commit-interval 100 --ack`: each line read (plain records without the schema library), validated and applied in group commits of 10,000 inputs or 100 ms, each acknowledged.',
    "- **`--db`**: the same options with `--db new.db`: into SQLite, each batch one transaction written to the WAL while the WAL's `fdatasync` runs off the event loop (up to two at once) and the next lines are read; every change and acknowledgement printed after the flush that followed its commit.",
    '',
    '| side | time (median) | lines/s | rate vs floor | rate vs `--memory` | CPU time (median) | CPU vs floor | CPU vs `--memory` |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row('floor', 'floor: chunked split + `JSON.parse` + dispatch'),
    row('--memory', '`uet-tag monitor --memory …`'),
    row('--db', '`uet-tag monitor --db new.db …`'),
    '',
    'Targets: `--memory` at least 0.5× the floor; `--db` at least 0.5× `--memory`.',
    '',
  ].join('\n');
}
