import type { StatusChange } from 'uet-tag-status';
import { StepMemo } from 'uet-tag-status/engine';
import { ChangeLimitError } from '../timelines/ChangeLimitError.js';
import { TagProcessor } from '../timelines/TagProcessor.js';
import type { SubjectTimeline, TimelineReport } from '../timelines/timeline.js';
import { ScenarioError } from './ScenarioError.js';
import { SimulationLog } from './SimulationLog.js';
import type { Scenario } from './scenario.js';
import { visitTagInputs } from './tagInputs.js';

/** Options of {@link simulateScenario}. */
export interface SimulateOptions {
  /**
   * The seed of the random traffic.
   * @default the scenario's seed
   */
  readonly seed?: number;
  /**
   * Whether inputs that cannot change a status skip the machine step. `false` steps the
   * machines on every single hit (slow; for comparison).
   * @default true
   */
  readonly fastPath?: boolean;
  /**
   * Called as the simulation goes, with how far it is out of a total: each tag counts
   * {@link PROGRESS_PER_TAG} steps, advanced with its simulated time (every few thousand
   * hits) and completed when the tag is done, so that one long tag shows progress too.
   */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * The most status changes a run keeps (each costs about 33 bytes in a
   * {@link SimulationLog}, about 225 as the objects of {@link simulateScenario}'s result);
   * a scenario that makes more is refused with a {@link ScenarioError} as soon as it
   * reaches the limit, instead of running out of memory.
   * @default MAX_SIMULATED_CHANGES (10,000,000: about 330 MB in a log, 2.3 GB as objects)
   */
  readonly changeLimit?: number;
}

/** The most status changes one simulated run keeps by default. */
export const MAX_SIMULATED_CHANGES = 10_000_000;

/** How many progress steps one tag of a scenario counts for. */
export const PROGRESS_PER_TAG = 1000;

/** Every how many hits of one tag progress is reported. */
const HITS_PER_PROGRESS = 1 << 16;

/** The outcome of one simulated run of a scenario; its tags in scenario order. */
export interface SimulationResult extends TimelineReport {
  /** The scenario's name. */
  readonly name: string;
  /** The seed this run used. */
  readonly seed: number;
  /** How many hits and conversions were simulated. */
  readonly inputs: { readonly hits: number; readonly conversions: number };
}

/** An empty result of a run of `scenario` with `seed`, for a simulator to fill tag by tag. */
export function startSimulationResult(scenario: Scenario, seed: number) {
  return {
    name: scenario.name,
    seed,
    start: scenario.start,
    end: scenario.end,
    windows: scenario.windows,
    timelines: [] as SubjectTimeline[],
    changes: [] as StatusChange[],
    inputs: { hits: 0, conversions: 0 },
  } satisfies SimulationResult;
}

/** A run of a scenario kept compactly: its timelines and changes are in `log`. */
export interface LoggedSimulation extends Omit<SimulationResult, 'timelines' | 'changes'> {
  /** The run's timelines and status changes, about 33 bytes a change. */
  readonly log: SimulationLog;
}

/**
 * Runs a scenario through the model: each tag's inputs are generated lazily in time
 * order and stepped through the engine, jumping from event to event (inputs and silence
 * deadlines, as on XState's `SimulatedClock`; no fixed tick). Every status comes from
 * the tag and goal machines; inputs that cannot change a status take the engine's fast
 * path, and the others the step the machines took for the first tag and input of their
 * kind (`StepMemo`). Deterministic: the same scenario and seed give the same result.
 * Changes effective after the horizon's end are outside it; the last statuses are those
 * at `end`. Timelines and changes are kept as objects (about 225 bytes a change); for
 * millions of changes, {@link simulateToLog} keeps them compactly.
 *
 * @example
 * ```ts
 * const scenario = await loadScenario('examples/weekendOutage.yaml');
 * const result = simulateScenario(scenario);
 * result.timelines[0].intervals; // the tag's status intervals
 * ```
 */
export function simulateScenario(
  scenario: Scenario,
  options: SimulateOptions = {},
): SimulationResult {
  const { log, ...run } = simulateToLog(scenario, options);
  return { ...run, timelines: [...log.timelines()], changes: [...log.changes()] };
}

/**
 * {@link simulateScenario}, keeping the run's timelines and changes in a
 * {@link SimulationLog} (about 33 bytes a change, against about 225 as objects), read
 * one timeline and one change at a time: how `uet-tag simulate` reports a run of
 * millions of changes in little memory.
 *
 * @example
 * ```ts
 * const { log } = simulateToLog(scenario);
 * const out = new PieceWriter((bytes) => io.stdout.write(bytes));
 * writeTimelinesText(out, log.timelines());
 * out.flush();
 * ```
 */
export function simulateToLog(scenario: Scenario, options: SimulateOptions = {}): LoggedSimulation {
  const seed = options.seed ?? scenario.seed;
  const {
    timelines: _timelines,
    changes: _changes,
    ...run
  } = startSimulationResult(scenario, seed);
  const log = new SimulationLog();
  const total = scenario.tags.length * PROGRESS_PER_TAG;
  const changeLimit = options.changeLimit ?? MAX_SIMULATED_CHANGES;
  const memo = new StepMemo();
  scenario.tags.forEach((tag, tagIndex) => {
    const progress = options.onProgress;
    const processor = new TagProcessor(tag.id, scenario.start, scenario.windows, {
      fastPath: options.fastPath !== false,
      changeLimit: changeLimit - log.changeCount,
      memo,
      changeSink: log,
    });
    const counts = withinChangeLimit(scenario.name, changeLimit, () =>
      simulateTag(scenario, tagIndex, seed, processor, progress),
    );
    log.endTag(processor.spans(scenario.end));
    run.inputs.hits += counts.hits;
    run.inputs.conversions += counts.conversions;
    progress?.((tagIndex + 1) * PROGRESS_PER_TAG, total);
  });
  return { ...run, log };
}

/**
 * Drives one tag of a scenario through `processor`: its inputs of the run of `seed`, then
 * its silences up to the horizon's end; returns how many hits and conversions it had.
 * `progress`, if given, hears how far the tag is, as {@link SimulateOptions.onProgress}.
 */
export function simulateTag(
  scenario: Scenario,
  tagIndex: number,
  seed: number,
  processor: TagProcessor,
  progress?: (done: number, total: number) => void,
): { readonly hits: number; readonly conversions: number } {
  const total = scenario.tags.length * PROGRESS_PER_TAG;
  const span = Math.max(scenario.end - scenario.start, 1);
  let hits = 0;
  const counts = visitTagInputs(scenario, tagIndex, seed, {
    goalAttached: (goal, at) => processor.goalAttached(goal.id, goal.type, at),
    accessChanged: (available, at) => processor.accessChanged(available, at),
    hit: (at) => {
      processor.dataReceived(at, at);
      if (progress !== undefined && ++hits % HITS_PER_PROGRESS === 0) {
        const within = Math.floor((PROGRESS_PER_TAG * (at - scenario.start)) / span);
        progress(tagIndex * PROGRESS_PER_TAG + Math.min(within, PROGRESS_PER_TAG - 1), total);
      }
    },
    conversion: (goal, at) => processor.conversionRecorded(goal.id, at, at),
  });
  processor.advanceTo(scenario.end);
  return counts;
}

/** Runs `work`, turning a processor's {@link ChangeLimitError} into a scenario error. */
function withinChangeLimit<T>(name: string, limit: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof ChangeLimitError)) throw error;
    throw new ScenarioError('scenario', [
      {
        path: 'scenario',
        value: name,
        expected: `a scenario whose run makes at most ${limit} status changes (they are kept for the timelines, about 33 bytes each); this one makes more: shorten it, lengthen its windows, or simulate fewer tags at once`,
      },
    ]);
  }
}
