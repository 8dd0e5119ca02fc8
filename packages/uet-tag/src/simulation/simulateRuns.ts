import { StepMemo } from 'uet-tag-status/engine';
import { TagProcessor } from '../timelines/TagProcessor.js';
import type { SubjectSummary, TimelineSubject, TrackingStatus } from '../timelines/timeline.js';
import type { Scenario } from './scenario.js';
import { type SimulateOptions, simulateTag } from './simulateScenario.js';

/** The spread of one quantity over runs. */
export interface Spread {
  readonly mean: number;
  readonly min: number;
  /** 5th percentile (linear interpolation between closest ranks). */
  readonly p5: number;
  /** The median. */
  readonly p50: number;
  /** 95th percentile. */
  readonly p95: number;
  readonly max: number;
}

/** How a tag or goal fared over many runs. */
export interface SubjectSpread extends TimelineSubject {
  /** Time in each status that occurred in any run, ms (0 in runs where it did not). */
  readonly timeInStatus: Readonly<Partial<Record<TrackingStatus, Spread>>>;
  /** Number of status changes. */
  readonly changes: Spread;
}

/** The outcome of {@link simulateRuns}. */
export interface RunsResult {
  /** The scenario's name. */
  readonly name: string;
  /** The horizon's start and end, UTC epoch ms. */
  readonly start: number;
  readonly end: number;
  /** The seeds used, one per run: the scenario's seed, then the next integers. */
  readonly seeds: readonly number[];
  /** Each tag followed by its goals, in scenario order. */
  readonly subjects: readonly SubjectSpread[];
}

/**
 * Runs a scenario `runs` times with consecutive seeds (from the scenario's, or
 * `options.seed`) and reports, per tag and goal, the spread of the time in each status
 * and of the number of status changes: how likely flapping is at a given traffic rate.
 * Each run is summarised as it goes, keeping no status change (memory O(tags and goals)
 * per run, however many changes it makes; so no change limit applies); the summaries are
 * those of {@link simulateScenario}'s timelines for the same seed.
 *
 * @example
 * ```ts
 * const spread = simulateRuns(scenario, 100);
 * spread.subjects[0].changes.p95; // status changes of the first tag in a bad run
 * ```
 */
export function simulateRuns(
  scenario: Scenario,
  runs: number,
  options: Omit<SimulateOptions, 'onProgress' | 'changeLimit'> & {
    readonly onRun?: (done: number, total: number) => void;
  } = {},
): RunsResult {
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new RangeError(`runs: ${runs} is not valid: expected an integer >= 1`);
  }
  const firstSeed = options.seed ?? scenario.seed;
  const seeds = Array.from({ length: runs }, (_, index) => (firstSeed + index) >>> 0);
  const samples: {
    subject: TimelineSubject;
    times: Map<TrackingStatus, number[]>;
    changes: number[];
  }[] = [];
  const memo = new StepMemo();
  seeds.forEach((seed, run) => {
    summarizeRun(scenario, seed, options.fastPath !== false, memo).forEach((timeline, index) => {
      let sample = samples[index];
      if (sample === undefined) {
        const { tagId, goalId, goalType } = timeline;
        const subject = goalId === undefined ? { tagId } : { tagId, goalId, goalType };
        sample = { subject, times: new Map(), changes: [] };
        samples[index] = sample;
      }
      sample.changes.push(timeline.changes);
      for (const [status, ms] of Object.entries(timeline.timeInStatus) as [
        TrackingStatus,
        number,
      ][]) {
        let list = sample.times.get(status);
        if (list === undefined) {
          list = new Array<number>(run).fill(0);
          sample.times.set(status, list);
        }
        list.push(ms);
      }
      for (const list of sample.times.values()) if (list.length === run) list.push(0);
    });
    options.onRun?.(run + 1, runs);
  });
  return {
    name: scenario.name,
    start: scenario.start,
    end: scenario.end,
    seeds,
    subjects: samples.map(({ subject, times, changes }) => ({
      ...subject,
      timeInStatus: Object.fromEntries(
        [...times].map(([status, list]) => [status, spreadOf(list)]),
      ),
      changes: spreadOf(changes),
    })),
  };
}

/** The summary of each tag and goal of the run of `seed`, in scenario order, keeping no change. */
function summarizeRun(
  scenario: Scenario,
  seed: number,
  fastPath: boolean,
  memo: StepMemo,
): SubjectSummary[] {
  const summaries: SubjectSummary[] = [];
  scenario.tags.forEach((tag, tagIndex) => {
    const processor = new TagProcessor(tag.id, scenario.start, scenario.windows, {
      fastPath,
      retainChanges: false,
      memo,
    });
    simulateTag(scenario, tagIndex, seed, processor);
    for (const summary of processor.summaries(scenario.end)) summaries.push(summary);
  });
  return summaries;
}

/**
 * The mean, extremes and 5th, 50th and 95th percentiles of some numbers (percentiles by
 * linear interpolation between closest ranks).
 *
 * @example
 * ```ts
 * spreadOf([1, 2, 3, 4]); // { mean: 2.5, min: 1, p5: 1.15, p50: 2.5, p95: 3.85, max: 4 }
 * ```
 */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spreadOf: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const percentile = (p: number): number => {
    const rank = (sorted.length - 1) * p;
    const low = Math.floor(rank);
    const lowValue = sorted[low] ?? 0;
    const highValue = sorted[Math.min(low + 1, sorted.length - 1)] ?? lowValue;
    return lowValue + (highValue - lowValue) * (rank - low);
  };
  return {
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
    min: sorted[0] ?? 0,
    p5: percentile(0.05),
    p50: percentile(0.5),
    p95: percentile(0.95),
    max: sorted.at(-1) ?? 0,
  };
}
