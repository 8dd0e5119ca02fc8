/**
 * The simulator against the straightforward approach, on the same generated hits: the
 * engine (`simulateScenario`: compact facts, machine steps only where a status can
 * change) and one XState actor per tag (`createTagRuntime` on a `SimulatedClock`, every
 * hit sent). Each side runs in its own Node process, one after the other, so that time
 * and peak memory are its own. Run: `npm run bench -- simulator`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeAccessLog } from './accessLog.js';
import type { ReplayWorkerReport } from './replayWorker.js';
import type { WorkerParameters, WorkerReport } from './simulatorWorker.js';

/** The benchmark's size. */
export interface SimulatorBenchOptions {
  /** Tags in the scenario, all simulated by the engine. */
  readonly tags: number;
  /** The horizon in days. */
  readonly days: number;
  /** The first tags, simulated by both sides and compared. */
  readonly actorTags: number;
  /** Lines of the large access log replayed to show memory stays flat (the small has 10,000). */
  readonly replayLines: number;
}

/**
 * 1,000 tags over a year; the actor side on the first 10 (it would take hours on all);
 * replay of a 10-million-line access log (about 1 GB).
 */
export const DEFAULT_OPTIONS: SimulatorBenchOptions = {
  tags: 1_000,
  days: 365,
  actorTags: 10,
  replayLines: 10_000_000,
};

const here = path.dirname(fileURLToPath(import.meta.url));
const worker = path.join(here, 'simulatorWorker.ts');
const replayWorker = path.join(here, 'replayWorker.ts');
const run$ = promisify(execFile);

async function side(parameters: WorkerParameters): Promise<WorkerReport> {
  const { stdout } = await run$(
    process.execPath,
    ['--import', 'tsx', worker, JSON.stringify(parameters)],
    { maxBuffer: 256 * 2 ** 20 },
  );
  return JSON.parse(stdout) as WorkerReport;
}

async function replaySide(file: string): Promise<ReplayWorkerReport> {
  const { stdout } = await run$(process.execPath, ['--import', 'tsx', replayWorker, file]);
  return JSON.parse(stdout) as ReplayWorkerReport;
}

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
const megabytes = (mb: number) => `${mb.toFixed(0)} MB`;
const count = (n: number) => n.toLocaleString('en-US');

/**
 * Runs the benchmark and returns its Markdown section for `BENCHMARKS.md`.
 *
 * @example
 * ```ts
 * console.log(await run({ tags: 20, days: 30, actorTags: 2 }));
 * ```
 */
export async function run(options: SimulatorBenchOptions = DEFAULT_OPTIONS): Promise<string> {
  const { tags, days, actorTags } = options;
  const load = loadavg()[0] ?? 0;
  const baseline = await side({ side: 'baseline', tags, only: 0, compare: 0, days });
  const generate = await side({ side: 'generate', tags, compare: 0, days });
  const engineAll = await side({ side: 'engine', tags, compare: actorTags, days });
  const engineSubset = await side({
    side: 'engine',
    tags,
    only: actorTags,
    compare: actorTags,
    days,
  });
  const actors = await side({ side: 'actors', tags, only: actorTags, compare: actorTags, days });
  const folder = await mkdtemp(path.join(tmpdir(), 'uet-bench-'));
  const smallLog = path.join(folder, 'small.log');
  const largeLog = path.join(folder, 'large.log');
  let replays: { bytes: number; report: ReplayWorkerReport }[];
  try {
    const smallBytes = await writeAccessLog(smallLog, 10_000);
    const largeBytes = await writeAccessLog(largeLog, options.replayLines);
    replays = [
      { bytes: smallBytes, report: await replaySide(smallLog) },
      { bytes: largeBytes, report: await replaySide(largeLog) },
    ];
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  const same = (a: WorkerReport, b: WorkerReport) =>
    JSON.stringify(a.timelines) === JSON.stringify(b.timelines) &&
    JSON.stringify(a.effectiveChanges) === JSON.stringify(b.effectiveChanges);
  const identical = same(engineAll, actors) && same(engineSubset, actors);
  const intervals = actors.timelines.reduce((sum, timeline) => sum + timeline.intervals.length, 0);
  const sameHitsRatio = actors.ms / engineSubset.ms;
  const actorsScaledMs = (actors.ms / actorTags) * tags;
  const fullRatio = actorsScaledMs / engineAll.ms;
  const perHit = (report: WorkerReport) => `${((report.ms * 1e6) / report.hits).toFixed(0)} ns`;
  const row = (label: string, report: WorkerReport) =>
    `| ${label} | ${count(report.tags)} | ${count(report.hits)} | ${count(report.changes)} | ${seconds(report.ms)} | ${perHit(report)} | ${megabytes(report.maxRssMb)} | ${megabytes(report.peakHeapMb)} |`;

  return [
    '## Simulator',
    '',
    `Command: \`npm run bench -- simulator\`. Scenario: ${count(tags)} tags over ${days} days, one hit a minute on average (60 an hour, shaped by hour of day), random outages (0.5 a week, each 1 hour to 3 days), one \`Url\` goal per tag converting 0.2 % of hits; seed 2023. Both sides consume the same lazily generated hits (same generator, same seed; nothing is materialised). Each side runs in its own Node process, one after the other.`,
    '',
    '| side | tags | hits | status changes | time | per hit | peak RSS | peak heap |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    `| process baseline (load only) | 0 | 0 | 0 | - | - | ${megabytes(baseline.maxRssMb)} | ${megabytes(baseline.peakHeapMb)} |`,
    row('generating the hits only', generate),
    row('engine (`simulateScenario`)', engineAll),
    row('engine (`simulateScenario`), first tags', engineSubset),
    row('one actor per tag (`createTagRuntime`, `SimulatedClock`, every hit sent)', actors),
    '',
    `- **Same hits, same ${actorTags} tags: the engine is ${sameHitsRatio.toFixed(0)}× faster** (${seconds(actors.ms)} against ${seconds(engineSubset.ms)}).`,
    `- All ${count(tags)} tags: the engine took ${seconds(engineAll.ms)}. The actor side was run on the first ${actorTags} tags only (on all of them it would take about ${(actorsScaledMs / 3_600_000).toFixed(1)} hours); scaled linearly from them to ${count(tags)} tags it would take ${seconds(actorsScaledMs)}, **${fullRatio.toFixed(0)}×** the engine's time. Generating the hits alone takes ${seconds(generate.ms)} of the engine's ${seconds(engineAll.ms)}.`,
    `- Timelines ${identical ? '**identical**' : '**DIFFERENT**'} on the ${actorTags} tags both sides ran (${count(intervals)} status intervals of tags and goals, ${count(actors.effectiveChanges.length)} status changes compared by subject, statuses and effective time; the sides notice silences at different times by design), both for the engine's run of all tags and of the first ${actorTags}.`,
    `- Memory: neither side holds hits (both go tag by tag); peak RSS above the load-only baseline is ${megabytes(engineAll.maxRssMb - baseline.maxRssMb)} for the engine on ${count(tags)} tags (it keeps every tag's timeline and changes for the report) and ${megabytes(actors.maxRssMb - baseline.maxRssMb)} for the actors on ${actorTags} tags.`,
    '',
    'Replay streams: the same Combined Log Format access log (a request every 3 s, a 30-hour silence after every 400,000) at two sizes, each replayed in its own process (`replayFile`, default options).',
    '',
    '| file | lines | records | status changes | time | per line | peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...replays.map(
      ({ bytes, report }) =>
        `| ${(bytes / 2 ** 20).toFixed(1)} MB | ${count(report.lines)} | ${count(report.records)} | ${count(report.changes)} | ${seconds(report.ms)} | ${((report.ms * 1e6) / report.lines).toFixed(0)} ns | ${megabytes(report.maxRssMb)} |`,
    ),
    '',
    `- Machine: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, load average ${load.toFixed(1)} at the start (shared with other work).`,
    '',
  ].join('\n');
}
