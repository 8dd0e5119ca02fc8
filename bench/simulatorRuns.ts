/**
 * `simulate --runs` per run: the audit's flapping scenario (0.04 hits an hour, one `Url`
 * goal converting 10 % of hits, a year), run by
 * - the floor: the same hits and conversions generated and handed to no-op callbacks
 *   (what any simulator of these inputs must pay before stepping a status);
 * - streaming: `simulateRuns` (each change counted into its subject's summary, none kept;
 *   inputs and silences by `StepMemo`);
 * - streaming with a machine step per silence: the same without the memo;
 * - keeping: what `--runs` did before, a `TagProcessor` per tag keeping every change,
 *   a machine step per silence, its timelines built, then summarised.
 * Each round has a fresh seed (fresh hits) and runs the sides in rotated order, in one
 * process; heap retained by a side's result is measured after a full collection.
 * Run: `npm run bench -- simulator-runs` (`SIMULATOR_RUNS_TAGS`, `SIMULATOR_RUNS_ROUNDS`).
 */
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { StatusChange } from 'uet-tag-status';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import type { Scenario } from '../packages/uet-tag/src/simulation/scenario.js';
import { simulateRuns } from '../packages/uet-tag/src/simulation/simulateRuns.js';
import { simulateTag } from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { visitTagInputs } from '../packages/uet-tag/src/simulation/tagInputs.js';
import { TagProcessor } from '../packages/uet-tag/src/timelines/TagProcessor.js';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** The flapping scenario of the audit, `tags` tags. */
function flappingScenario(tags: number, seed: number): Scenario {
  return parseScenario(
    JSON.stringify({
      name: 'flapping',
      start: '2024-01-01T00:00:00Z',
      end: '+365d',
      seed,
      tags: Array.from({ length: tags }, (_, index) => ({
        id: `tag${index}`,
        traffic: { ratePerHour: 0.04 },
        goals: [{ id: 'signup', type: 'Url', conversionRate: 0.1 }],
      })),
    }),
    'json',
  );
}

interface Measure {
  readonly ms: number;
  /** Processor time of the process (user + system, GC threads included), ms. */
  readonly cpuMs: number;
  readonly retainedBytes: number;
  readonly changes: number;
  readonly hits: number;
}

/** Runs `work` after a full collection; its time and the heap its result keeps. */
function measure(work: () => { changes: number; hits: number; keep: unknown }): Measure {
  collect();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = work();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1_000;
  collect();
  const retainedBytes = process.memoryUsage().heapUsed - before;
  if (result.keep === undefined) throw new Error('nothing kept');
  return { ms, cpuMs, retainedBytes, changes: result.changes, hits: result.hits };
}

const sides: Record<string, (scenario: Scenario) => Measure> = {
  floor: (scenario) =>
    measure(() => {
      let hits = 0;
      scenario.tags.forEach((_, tagIndex) => {
        hits += visitTagInputs(scenario, tagIndex, scenario.seed, {
          goalAttached: () => {},
          accessChanged: () => {},
          hit: () => {},
          conversion: () => {},
        }).hits;
      });
      return { changes: 0, hits, keep: hits };
    }),
  streaming: (scenario) =>
    measure(() => {
      const runs = simulateRuns(scenario, 1);
      const changes = runs.subjects.reduce((sum, subject) => sum + subject.changes.mean, 0);
      return { changes, hits: 0, keep: runs };
    }),
  unmemoised: (scenario) =>
    measure(() => {
      let changes = 0;
      const summaries = scenario.tags.flatMap((tag, tagIndex) => {
        const processor = new TagProcessor(tag.id, scenario.start, scenario.windows, {
          retainChanges: false,
        });
        simulateTag(scenario, tagIndex, scenario.seed, processor);
        const tagSummaries = processor.summaries(scenario.end);
        for (const summary of tagSummaries) changes += summary.changes;
        return tagSummaries;
      });
      return { changes, hits: 0, keep: summaries };
    }),
  keeping: (scenario) =>
    measure(() => {
      let hits = 0;
      const changes: StatusChange[] = [];
      const timelines = scenario.tags.flatMap((tag, tagIndex) => {
        const processor = new TagProcessor(tag.id, scenario.start, scenario.windows);
        hits += simulateTag(scenario, tagIndex, scenario.seed, processor).hits;
        for (const change of processor.changes) changes.push(change);
        return processor.timelines(scenario.end);
      });
      const summaries = timelines.map(({ changes, timeInStatus }) => ({ changes, timeInStatus }));
      return { changes: changes.length, hits, keep: [timelines, changes, summaries] };
    }),
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const range = (values: number[], digits: number) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

/** Runs the benchmark and returns its Markdown section for `BENCHMARKS.md`. */
export async function run(): Promise<string> {
  const tags = Number(process.env.SIMULATOR_RUNS_TAGS ?? 2_000);
  const rounds = Number(process.env.SIMULATOR_RUNS_ROUNDS ?? 5);
  const load = loadavg()[0] ?? 0;
  const names = Object.keys(sides);
  const perRound: Record<string, Measure>[] = [];
  for (let round = 0; round < rounds; round++) {
    const scenario = flappingScenario(tags, 1_000 + round);
    const results: Record<string, Measure> = {};
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(round + turn) % names.length] as string;
      results[name] = (sides[name] as (scenario: Scenario) => Measure)(scenario);
    }
    const { streaming, unmemoised, keeping } = results as Record<
      'streaming' | 'unmemoised' | 'keeping',
      Measure
    >;
    if (streaming.changes !== keeping.changes || unmemoised.changes !== keeping.changes) {
      throw new Error(`round ${round}: ${streaming.changes} vs ${keeping.changes} changes`);
    }
    perRound.push(results);
  }
  const column = (f: (r: Record<string, Measure>) => number) => perRound.map(f);
  const at = (r: Record<string, Measure>, name: string) => r[name] as Measure;
  const changes = column((r) => at(r, 'keeping').changes);
  const hits = column((r) => at(r, 'keeping').hits);
  const beyond = (name: string) =>
    column((r) => ((at(r, name).ms - at(r, 'floor').ms) * 1e6) / at(r, 'keeping').changes);
  const beyondCpu = (name: string) =>
    column((r) => ((at(r, name).cpuMs - at(r, 'floor').cpuMs) * 1e6) / at(r, 'keeping').changes);
  const bytes = (name: string) => column((r) => at(r, name).retainedBytes / at(r, name).changes);
  const ratio = column((r) => at(r, 'keeping').ms / at(r, 'streaming').ms);
  const row = (name: string, label: string) => {
    const ms = column((r) => at(r, name).ms);
    const cost =
      name === 'floor' ? '—' : `${median(beyond(name)).toFixed(0)} ns (${range(beyond(name), 0)})`;
    const cpuCost =
      name === 'floor'
        ? '—'
        : `${median(beyondCpu(name)).toFixed(0)} ns (${range(beyondCpu(name), 0)})`;
    const kept =
      name === 'floor' ? '—' : `${median(bytes(name)).toFixed(1)} B (${range(bytes(name), 1)})`;
    return `| ${label} | ${median(ms).toFixed(0)} ms (${range(ms, 0)}) | ${cost} | ${cpuCost} | ${kept} |`;
  };
  return [
    '## Simulator, `--runs` (one run, summarised)',
    '',
    `Command: \`npm run bench -- simulator-runs\`. ${tags.toLocaleString('en-US')} tags over 365 days, 0.04 hits an hour each, one \`Url\` goal converting 10 % of hits; ${rounds} rounds, a fresh seed each round (about ${median(hits).toLocaleString('en-US')} hits and ${median(changes).toLocaleString('en-US')} status changes a round), sides in rotated order in one process; load average ${load.toFixed(1)} at the start. Work per change beyond its hit is (side − floor) / changes, so it also carries the cost of stepping each hit, in wall time and in the process's processor time (user + system, garbage collection threads included; less moved by the other sessions' load than wall time); heap kept is what the side's result holds after a full collection, per change.`,
    '',
    '| side | time, median (range) | work per change beyond the floor (wall), median (range) | same, processor time | heap kept per change, median (range) |',
    '|---|---:|---:|---:|---:|',
    row('floor', 'floor: the same hits and conversions generated into no-op callbacks'),
    row('streaming', 'streaming: `simulateRuns(scenario, 1)` (now)'),
    row('unmemoised', 'streaming, every step through the machines (no `StepMemo`)'),
    row('keeping', 'keeping every change and interval, then summarising (before)'),
    '',
    `Keeping vs streaming, per-round ratio of time: ${median(ratio).toFixed(2)}× (${range(ratio, 2)}).`,
    '',
  ].join('\n');
}
