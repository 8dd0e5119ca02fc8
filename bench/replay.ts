/**
 * `replayFile` on a file of every format `uet-tag replay` reads, each against its own
 * floor (`bench/replayFloors.ts`), a checked and a modelled floor (CSV, TSV) and a naive reader
 * (`bench/replayNaive.ts`), each format in a process of its own
 * (`bench/replayFormatWorker.ts`): each round runs every side on the same file, in
 * rotated order; ratios are taken within each round. Run: `npm run bench -- replay`;
 * `REPLAY_FILES=capi.ndjson,access.log` measures those files only, `REPLAY_ROUNDS=3` in 3
 * rounds (5 by default).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Measured } from './replayFormatWorker.js';
import { REPLAY_INPUTS, type ReplayInput } from './replayInputs.js';
import { replayWorkerArguments } from './replayWorkerArguments.js';
import { median } from './statistics.js';

const ROUNDS = Number(process.env.REPLAY_ROUNDS ?? 5);
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0)) {
  throw new Error(
    `REPLAY_ROUNDS: ${JSON.stringify(process.env.REPLAY_ROUNDS)} is not a whole number of rounds`,
  );
}
const run$ = promisify(execFile);

/** Writes `input`'s file and measures it in a process of its own (`bench/replayFormatWorker.ts`). */
async function measureInProcess(input: ReplayInput, folder: string): Promise<Measured> {
  const file = await input.write(folder);
  try {
    const { stdout } = await run$(
      process.execPath,
      replayWorkerArguments(input.name, file, ROUNDS),
      { maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout) as Measured;
  } finally {
    rmSync(file);
  }
}

/** The floor's time over the replay's, per round: median (lowest–highest). */
function ratio(floor: readonly number[], replay: readonly number[]): string {
  const ratios = floor.map((time, round) => time / (replay[round] as number));
  return `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}

function row(measured: Measured): string {
  const rate = (times: number[]) => (measured.megabytes / median(times)).toFixed(0);
  const { cpu } = measured;
  const against = (floor: readonly number[]) =>
    floor.length === 0 ? '— | —' : `${ratio(cpu.floor, floor)} | ${ratio(floor, cpu.replay)}`;
  return `| ${measured.label} (\`${measured.format}\`) | ${measured.megabytes.toFixed(0)} MB | ${measured.records.toLocaleString('en-US')} | ${rate(measured.floor)} MB/s | ${rate(measured.replay)} MB/s | ${ratio(measured.floor, measured.replay)} | ${ratio(cpu.floor, cpu.replay)} | ${against(cpu.checked)} | ${against(cpu.modelled)} | ${ratio(cpu.naive, cpu.replay)} | ${Math.max(...measured.rssMb).toFixed(0)} MB |`;
}

/** Runs the rounds and returns the `## Replay` section of BENCHMARKS.md. */
export async function run(): Promise<string> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'uet-replay-bench-'));
  const load = loadavg().map((value) => value.toFixed(1));
  const rows: string[] = [];
  try {
    const only = process.env.REPLAY_FILES?.split(',');
    for (const input of REPLAY_INPUTS) {
      if (only !== undefined && !only.includes(input.name)) continue;
      rows.push(row(await measureInProcess(input, scratch)));
      console.error(rows.at(-1));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return [
    '## Replay',
    '',
    `Command: \`npm run bench -- replay\`. ${cpus().length} shared cores, Node ${process.version}, load average ${load.join(' / ')} at the start. One file per format (\`bench/replayInputs.ts\`), written once and read from the page cache by every side, each format in a process of its own (as a user runs one replay; every side of the format in that process), ${ROUNDS} rounds, the order of the sides rotated each round; the ratio is the floor's time over \`replayFile\`'s in the same round (median, lowest–highest), by wall time and by the CPU time of the process (all threads, \`process.cpuUsage()\`), which other work on the machine moves less.`,
    '',
    "- **floor** (`bench/replayFloors.ts`): what any replay of the format must do, and nothing else: the file read in 1 MiB chunks, lines split with `indexOf`, each record's time read by its fixed layout (the CLF timestamp; `JSON.parse` for NDJSON and Conversions API bodies; the time column of CSV and TSV; `parseBeacon` of each beacon's target; `JSON.parse` of the whole HAR document).",
    "- **checked floor** (CSV and TSV, `bench/replayFloors.ts`): the floor with the checks no replay may leave out and the least state: every cell the record needs checked in place (CSV: `at` all digits, `tagId` an id interned by a hash of its characters, `kind` `activity`; TSV: the 9 columns counted, `time` and the 3-digit `response` all digits), and each tag's latest data time kept (a `Map` by id for CSV). No reorder window, silences, statuses or report. Its ratio to the floor is what checking alone costs; the replay's ratio to it is what the rest costs.",
    "- **modelled floor** (CSV and TSV, `bench/replayFloors.ts`): the checked floor with the least model of a replay in place of the latest times: each record held in time order until one 5 minutes later is read (the reorder window; a ring of typed arrays, for records in order), then its tag found by id, its silence checked (24 hours without data make it `Inactive`), activity making it `Active`, its data time moved and each change counted. Its ratio to the checked floor is what the least model costs; the replay's ratio to it is what the replay's own model costs beyond that.",
    "- **naive** (`bench/replayNaive.ts`): what a user writes instead, reading what the floor reads with no checks beyond the pattern and no model: `readline` over a read stream, and per line a regular expression and `Date.parse` (access logs; `new URL` of a beacon's target), `JSON.parse` (NDJSON, Conversions API bodies) or `split` (CSV, TSV); a HAR document `JSON.parse`d whole, `new URL` of each request. Its ratio over `replayFile` above 1 means the replay, with all its checks and its model, is the faster.",
    '- **`replayFile`**: `uet-tag replay --format <format>` as a library call: every line checked against the format with typed errors, filters, the reorder window, the machines, the report.',
    '',
    '| file | size | records | floor | `replayFile` | rate vs floor | CPU: floor / `replayFile` | CPU: floor / checked floor | CPU: checked floor / `replayFile` | CPU: floor / modelled floor | CPU: modelled floor / `replayFile` | CPU: naive / `replayFile` | resident memory after (max) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'Target: `replayFile` at least 0.5× its floor on every format, memory flat.',
    '',
  ].join('\n');
}
