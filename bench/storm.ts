/**
 * Silence storms: every tag's silence falling due at once, at 100,000 and 1,000,000 tags,
 * processed by the floor (a typed-array heap pop, a re-check, a status byte and a change
 * record per silence), the monitor in memory, and one XState actor with one timer per tag.
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
  { tags: 100_000, rounds: 5, sides: ['floor', 'monitor', 'actors'] },
  { tags: 1_000_000, rounds: 2, sides: ['floor', 'monitor', 'actors'] },
];

interface StormReport {
  readonly tags: number;
  readonly rounds: number;
  readonly seconds: Readonly<Record<StormSide, readonly number[]>>;
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
    const { seconds, changes } = report;
    for (const side of parameters.sides) {
      const perSilence = (median(seconds[side]) / report.tags) * 1e9;
      rows.push(
        `| ${integer(report.tags)} | ${side} | ${median(seconds[side]).toFixed(3)} s | ${integer(perSilence)} ns | ${ratioText(seconds[side], seconds.floor)} | ${ratioText(seconds.actors, seconds[side])} | ${changes[side].every((count) => count === report.tags) ? 'all' : changes[side].join('/')} |`,
      );
    }
  }
  return [
    '## Silence storms',
    '',
    `Command: \`npm run bench -- storm\`. ${cpus().length} shared cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average ${load.join(' / ')} at the start. Every tag is \`Active\` (one hit within the first second), then all silences fall due at once. Rounds: ${STORMS.map(({ tags, rounds }) => `${rounds} at ${integer(tags)} tags`).join(', ')}; each round builds every side anew with fresh id strings, the sides in rotated order, and times only the storm: from the silences being due to the last change handed to the listener.`,
    '',
    '- **floor**: what every storm must do, as tight as it can be written: a binary heap of deadlines in typed arrays popped in order, each tag re-checked against its last data time (`Float64Array`), its status byte flipped, a change record handed to a listener.',
    '- **monitor**: `createTagMonitor` in memory; its clock jumps a day: one timer, every silence in effective-time order through `StepMemo` (one full machine step per kind of tag), the history, the id map, one commit, then the listener.',
    '- **actors**: what a user writes instead: one `createActor(tagMachine)` per tag and one `setTimeout` per tag sending `tag.silenceElapsed`, a subscription handing each change to the listener (timed from the first timer callback to the last).',
    '',
    "| tags | side | time (median) | per silence | time vs floor: median (range) | actors' time vs this side's | silences told |",
    '|---:|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
