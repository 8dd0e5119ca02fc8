import type { StatusChange } from '../runtime/statusChange.js';
import type { TrackingWindows } from '../windows.js';
import type { Scenario } from './scenario.js';
import { visitTagInputs } from './tagInputs.js';
import { TagProcessor } from './tagProcessor.js';
import type { SubjectTimeline } from './timeline.js';

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
  /** Called after each tag is simulated, with how many are done and the total. */
  readonly onProgress?: (tagsDone: number, tagsTotal: number) => void;
}

/** The outcome of one simulated run of a scenario. */
export interface SimulationResult {
  /** The scenario's name. */
  readonly name: string;
  /** The seed this run used. */
  readonly seed: number;
  /** The horizon's start, UTC epoch ms. */
  readonly start: number;
  /** The horizon's end, UTC epoch ms: the last statuses are those at this time. */
  readonly end: number;
  /** The windows used. */
  readonly windows: TrackingWindows;
  /** Each tag's timeline followed by its goals', tags in scenario order. */
  readonly timelines: readonly SubjectTimeline[];
  /** Every status change, tag by tag, each in effective-time order. */
  readonly changes: readonly StatusChange[];
  /** How many hits and conversions were simulated. */
  readonly inputs: { readonly hits: number; readonly conversions: number };
}

/**
 * Runs a scenario through the model: each tag's inputs are generated lazily in time
 * order and stepped through the engine, jumping from event to event (inputs and silence
 * deadlines, as on XState's `SimulatedClock`; no fixed tick). Every status comes from
 * the tag and goal machines; inputs that cannot change a status take the engine's fast
 * path. Deterministic: the same scenario and seed give the same result. Changes
 * effective after the horizon's end are outside it; the last statuses are those at `end`.
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
  const seed = options.seed ?? scenario.seed;
  const timelines: SubjectTimeline[] = [];
  const changes: StatusChange[] = [];
  const inputs = { hits: 0, conversions: 0 };
  scenario.tags.forEach((tag, tagIndex) => {
    const processor = new TagProcessor(tag.id, scenario.start, scenario.windows, {
      fastPath: options.fastPath !== false,
    });
    const counts = visitTagInputs(scenario, tagIndex, seed, {
      goalAttached: (goal, at) => processor.goalAttached(goal.id, goal.type, at),
      accessChanged: (available, at) => processor.accessChanged(available, at),
      hit: (at) => processor.dataReceived(at, at),
      conversion: (goal, at) => processor.conversionRecorded(goal.id, at, at),
    });
    processor.advanceTo(scenario.end);
    timelines.push(...processor.timelines(scenario.end));
    changes.push(...processor.changes);
    inputs.hits += counts.hits;
    inputs.conversions += counts.conversions;
    options.onProgress?.(tagIndex + 1, scenario.tags.length);
  });
  return {
    name: scenario.name,
    seed,
    start: scenario.start,
    end: scenario.end,
    windows: scenario.windows,
    timelines,
    changes,
    inputs,
  };
}
