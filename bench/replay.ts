/**
 * `replayFile` on a file of every format `uet-tag replay` reads, each against its own
 * floor (`bench/replayFloors.ts`), a checked floor (CSV, TSV) and a naive reader
 * (`bench/replayNaive.ts`), in one process: each round runs every side on the same file,
 * in rotated order; ratios are taken within each round. Run: `npm run bench -- replay`;
 * `REPLAY_FILES=capi.ndjson,access.log` measures those files only, `REPLAY_ROUNDS=3` in 3
 * rounds (5 by default).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import {
  beaconFloor,
  capiFloor,
  clfFloor,
  csvCheckedFloor,
  csvFloor,
  harFloor,
  ndjsonFloor,
  tsvCheckedFloor,
  tsvFloor,
} from './replayFloors.js';
import { REPLAY_INPUTS } from './replayInputs.js';
import { NAIVE_READERS } from './replayNaive.js';
import { median } from './statistics.js';

const ROUNDS = Number(process.env.REPLAY_ROUNDS ?? 5);
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0)) {
  throw new Error(
    `REPLAY_ROUNDS: ${JSON.stringify(process.env.REPLAY_ROUNDS)} is not a whole number of rounds`,
  );
}
/** The tag of the beacon formats' requests (and the one a Conversions API body is for). */
const TAG = '26012345';

/** Each file's floor, by its name. */
const FLOORS: Record<string, (file: string) => number> = {
  'access.log': clfFloor,
  'inputs.ndjson': ndjsonFloor,
  'inputs.csv': csvFloor,
  'access.tsv': tsvFloor,
  'beacons.log': beaconFloor,
  'session.har': harFloor,
  'capi.ndjson': capiFloor,
};

/**
 * The checked floors, by file name: the floor with every check a replay cannot leave out
 * (formats whose rows the replay reads cell by cell in place).
 */
const CHECKED_FLOORS: Record<string, (file: string) => number> = {
  'inputs.csv': csvCheckedFloor,
  'access.tsv': tsvCheckedFloor,
};

/** The sides of a round, in the order of the first round (rotated one place each round). */
const SIDES = ['floor', 'checked', 'replay', 'naive'] as const;

/** One format's figures: seconds per round of each side, and resident memory after. */
interface Measured {
  readonly label: string;
  readonly format: string;
  readonly megabytes: number;
  readonly records: number;
  readonly floor: number[];
  /** Empty when the format has no checked floor. */
  readonly checked: number[];
  readonly replay: number[];
  readonly naive: number[];
  /** CPU seconds of the process (all threads) per round of each side. */
  readonly cpu: {
    readonly floor: number[];
    readonly checked: number[];
    readonly replay: number[];
    readonly naive: number[];
  };
  readonly rssMb: number[];
}

async function measure(input: (typeof REPLAY_INPUTS)[number], folder: string): Promise<Measured> {
  const file = await input.write(folder);
  const floor = FLOORS[input.name] as (file: string) => number;
  const checked = CHECKED_FLOORS[input.name];
  const naive = NAIVE_READERS[input.name] as (file: string) => Promise<number>;
  const measured: Measured = {
    label: input.label,
    format: input.format,
    megabytes: statSync(file).size / 1e6,
    records: 0,
    floor: [],
    checked: [],
    replay: [],
    naive: [],
    cpu: { floor: [], checked: [], replay: [], naive: [] },
    rssMb: [],
  };
  let records = 0;
  const sides: Record<Side, () => Promise<number>> = {
    floor: async () => floor(file),
    checked: async () => checked?.(file) ?? 0,
    naive: () => naive(file),
    replay: async () => {
      const result = await replayFile(file, { format: input.format, tagId: TAG });
      if (result.statistics.malformed > 0 || result.statistics.records === 0) {
        throw new Error(`${input.name}: ${JSON.stringify(result.statistics.malformedLines)}`);
      }
      records = result.statistics.records;
      return records;
    },
  };
  // Every side reads every record: the same count from each (a HAR's readers count all its
  // entries, the replay only its beacons' hits), or a side skipped work.
  const counts = new Set<number>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = SIDES.map((_, index) => SIDES[(index + round) % SIDES.length] as Side);
    for (const side of order) {
      if (side === 'checked' && checked === undefined) continue;
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const count = await sides[side]();
      const cpu = process.cpuUsage(cpuStart);
      if (side !== 'replay' || input.format !== 'har') counts.add(count);
      measured[side].push((performance.now() - start) / 1_000);
      measured.cpu[side].push((cpu.user + cpu.system) / 1e6);
      if (side === 'replay') measured.rssMb.push(process.memoryUsage().rss / 2 ** 20);
    }
  }
  rmSync(file);
  if (counts.size !== 1) {
    throw new Error(`${input.name}: the sides read different numbers of records: ${[...counts]}`);
  }
  return { ...measured, records };
}

/** A side of a round. */
type Side = (typeof SIDES)[number];

/** The floor's time over the replay's, per round: median (lowest–highest). */
function ratio(floor: readonly number[], replay: readonly number[]): string {
  const ratios = floor.map((time, round) => time / (replay[round] as number));
  return `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}

function row(measured: Measured): string {
  const rate = (times: number[]) => (measured.megabytes / median(times)).toFixed(0);
  const { cpu } = measured;
  const checked =
    cpu.checked.length === 0
      ? '— | —'
      : `${ratio(cpu.floor, cpu.checked)} | ${ratio(cpu.checked, cpu.replay)}`;
  return `| ${measured.label} (\`${measured.format}\`) | ${measured.megabytes.toFixed(0)} MB | ${measured.records.toLocaleString('en-US')} | ${rate(measured.floor)} MB/s | ${rate(measured.replay)} MB/s | ${ratio(measured.floor, measured.replay)} | ${ratio(cpu.floor, cpu.replay)} | ${checked} | ${ratio(cpu.naive, cpu.replay)} | ${Math.max(...measured.rssMb).toFixed(0)} MB |`;
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
      rows.push(row(await measure(input, scratch)));
      console.error(rows.at(-1));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return [
    '## Replay',
    '',
    `Command: \`npm run bench -- replay\`. ${cpus().length} shared cores, Node ${process.version}, load average ${load.join(' / ')} at the start. One file per format (\`bench/replayInputs.ts\`), written once and read from the page cache by every side in one process, ${ROUNDS} rounds, the order of the sides rotated each round; the ratio is the floor's time over \`replayFile\`'s in the same round (median, lowest–highest), by wall time and by the CPU time of the process (all threads, \`process.cpuUsage()\`), which other work on the machine moves less.`,
    '',
    "- **floor** (`bench/replayFloors.ts`): what any replay of the format must do, and nothing else: the file read in 1 MiB chunks, lines split with `indexOf`, each record's time read by its fixed layout (the CLF timestamp; `JSON.parse` for NDJSON and Conversions API bodies; the time column of CSV and TSV; `parseBeacon` of each beacon's target; `JSON.parse` of the whole HAR document).",
    "- **checked floor** (CSV and TSV, `bench/replayFloors.ts`): the floor with the checks no replay may leave out and the least model: every cell the record needs checked in place (CSV: `at` all digits, `tagId` an id interned by a hash of its characters, `kind` `activity`; TSV: the 9 columns counted, `time` and the 3-digit `response` all digits), and each tag's latest data time kept (a `Map` by id for CSV). No reorder window, silences, statuses or report. Its ratio to the floor is what checking alone costs; the replay's ratio to it is what the rest costs.",
    "- **naive** (`bench/replayNaive.ts`): what a user writes instead, reading what the floor reads with no checks beyond the pattern and no model: `readline` over a read stream, and per line a regular expression and `Date.parse` (access logs; `new URL` of a beacon's target), `JSON.parse` (NDJSON, Conversions API bodies) or `split` (CSV, TSV); a HAR document `JSON.parse`d whole, `new URL` of each request. Its ratio over `replayFile` above 1 means the replay, with all its checks and its model, is the faster.",
    '- **`replayFile`**: `uet-tag replay --format <format>` as a library call: every line checked against the format with typed errors, filters, the reorder window, the machines, the report.',
    '',
    '| file | size | records | floor | `replayFile` | rate vs floor | CPU: floor / `replayFile` | CPU: floor / checked floor | CPU: checked floor / `replayFile` | CPU: naive / `replayFile` | resident memory after (max) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'Target: `replayFile` at least 0.5× its floor on every format, memory flat.',
    '',
  ].join('\n');
}
