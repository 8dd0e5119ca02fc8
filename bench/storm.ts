/**
 * Silence storms: every tag's silence falling due at once, at 100,000 and 1,000,000 tags,
 * processed by the floor (a typed-array heap pop, a re-check, a status byte and a change
 * record per silence), the sorted floor (the same with the due deadlines radix-sorted at
 * once instead of popped), the monitor in memory, and one XState actor with one timer per
 * tag.
 * Each size runs in its own process (`bench/stormWorker.ts`), in rounds with fresh tags and
 * ids and the sides in rotated order; figures are per-round ratios (median and range).
 * Run: `npm run bench -- storm`.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from './statistics.js';
import type { StormParameters, StormSide } from './stormWorker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const worker = path.join(here, 'stormWorker.ts');
const run$ = promisify(execFile);

/** The sizes and rounds measured (fewer at a million tags, where set-up takes minutes). */
export const STORMS: readonly StormParameters[] = [
  { tags: 100_000, rounds: 9, sides: ['floor', 'sortedFloor', 'monitor', 'actors'] },
  { tags: 1_000_000, rounds: 3, sides: ['floor', 'sortedFloor', 'monitor', 'actors'] },
];

interface StormReport {
  readonly tags: number;
  readonly rounds: number;
  readonly seconds: Readonly<Record<StormSide, readonly number[]>>;
  readonly cpuSeconds: Readonly<Record<StormSide, readonly number[]>>;
  readonly changes: Readonly<Record<StormSide, readonly number[]>>;
}

/** `side`'s time over `other`'s, round by round: median (range). */
function ratioText(side: readonly number[], other: readonly number[]): string {
  const ratios = side.map((time, round) => time / (other[round] as number));
  const format = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(2));
  return `${format(median(ratios))} (${format(Math.min(...ratios))}–${format(Math.max(...ratios))})`;
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');

/** Runs every size and returns the `## Silence storms` section of BENCHMARKS.md. */
export async function run(): Promise<string> {
  const load = loadavg().map((value) => value.toFixed(1));
  const rows: string[] = [];
  for (const parameters of STORMS) {
    const { stdout } = await run$(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=16384',
        '--import',
        'tsx',
        worker,
        JSON.stringify(parameters),
      ],
      { maxBuffer: 2 ** 20 },
    );
    const report = JSON.parse(stdout) as StormReport;
    const { seconds, cpuSeconds, changes } = report;
    for (const side of parameters.sides) {
      const perSilence = (times: readonly number[]) => (median(times) / report.tags) * 1e9;
      rows.push(
        `| ${integer(report.tags)} | ${side} | ${median(seconds[side]).toFixed(3)} s | ${integer(perSilence(seconds[side]))} ns | ${integer(perSilence(cpuSeconds[side]))} ns | ${ratioText(seconds[side], seconds.floor)} | ${ratioText(cpuSeconds[side], cpuSeconds.floor)} | ${ratioText(cpuSeconds[side], cpuSeconds.sortedFloor)} | ${ratioText(seconds.actors, seconds[side])} | ${ratioText(cpuSeconds.actors, cpuSeconds[side])} | ${changes[side].every((count) => count === report.tags) ? 'all' : changes[side].join('/')} |`,
      );
    }
  }
  return [
    '## Silence storms',
    '',
    `Command: \`npm run bench -- storm\`. ${cpus().length} shared cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average ${load.join(' / ')} at the start. Every tag is \`Active\` (one hit within the first second), then all silences fall due at once. Rounds: ${STORMS.map(({ tags, rounds }) => `${rounds} at ${integer(tags)} tags`).join(', ')}; each round builds every side anew with fresh id strings, the sides in rotated order, and times only the storm: from the silences being due to the last change handed to the listener, as wall time and as the processor time of the process (user plus system, garbage collection included), which the other work on a shared machine inflates far less.`,
    '',
    '- **floor**: what every storm must do, as tight as it can be written: a binary heap of deadlines in typed arrays popped in order, each tag re-checked against its last data time (`Float64Array`), its status byte flipped, a change record handed to a listener.',
    '- **sortedFloor**: the same work, with every due deadline taken at once in tag order and radix-sorted by its bits (`DueSorter`) instead of popped one by one: what a careful engineer writes for a storm where most deadlines fall due together, and what the monitor does for one.',
    "- **monitor**: `createTagMonitor` in memory; its clock jumps a day: one timer, the due deadlines taken off its heap at once and sorted, every silence in effective-time order by the step the machines took for the first tags of its kind (`StepMemo`; for long runs of goalless tags of one kind the derived `SilenceStep` applied straight to the tag table's columns, each run's tags read ahead), the history (its appends queued and added in tag order), the change kept until the commit, one commit, then the listener.",
    '- **actors**: what a user writes instead: one `createActor(tagMachine)` per tag and one `setTimeout` per tag sending `tag.silenceElapsed`, a subscription handing each change to the listener (timed from the first timer callback to the last).',
    '',
    "| tags | side | wall time (median) | wall per silence | processor per silence | wall vs floor: median (range) | processor vs floor | processor vs sorted floor | actors' wall vs this side's | actors' processor vs this side's | silences told |",
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
