import type { ConversionGoalType, StatusChange } from 'uet-tag-status';
import { createTagRuntime } from 'uet-tag-status';
import { SimulatedClock } from 'xstate';
import { buildTimeline, type TrackingStatus } from '../timelines/timeline.js';
import type { Scenario } from './scenario.js';
import { type SimulationResult, startSimulationResult } from './simulateScenario.js';
import { visitTagInputs } from './tagInputs.js';

interface GoalStart {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
  readonly at: number;
  readonly status: TrackingStatus;
}

/** Options of {@link simulateWithActors}. */
export interface SimulateWithActorsOptions {
  /**
   * The seed of the random traffic.
   * @default the scenario's seed
   */
  readonly seed?: number;
  /** Simulate only these tags (by index in the scenario); all by default. */
  readonly tagIndexes?: readonly number[];
  /** Called after each tag is simulated, with how many are done and the total. */
  readonly onProgress?: (tagsDone: number, tagsTotal: number) => void;
}

/**
 * The straightforward way to simulate a scenario, kept as the reference the engine is
 * measured and checked against: one XState actor per tag (`createTagRuntime`), every
 * single hit sent to it, its timers on a `SimulatedClock` set to each input's time.
 * Same inputs, same result shape as `simulateScenario`; changes are noticed when the
 * clock passes them (effective times are the same).
 *
 * @example
 * ```ts
 * const reference = simulateWithActors(scenario, { tagIndexes: [0] });
 * ```
 */
export function simulateWithActors(
  scenario: Scenario,
  options: SimulateWithActorsOptions = {},
): SimulationResult {
  const seed = options.seed ?? scenario.seed;
  const indexes = options.tagIndexes ?? scenario.tags.map((_, index) => index);
  const result = startSimulationResult(scenario, seed);
  indexes.forEach((tagIndex, done) => {
    const tag = scenario.tags[tagIndex];
    if (tag === undefined) throw new RangeError(`no tag at index ${tagIndex}`);
    const clock = new SimulatedClock();
    clock.set(scenario.start);
    const tagChanges: StatusChange[] = [];
    const goalStarts: GoalStart[] = [];
    const runtime = createTagRuntime({
      tagId: tag.id,
      clock,
      windows: scenario.windows,
      onStatusChange: (change) => tagChanges.push(change),
    });
    const initialStatus = runtime.status();
    const counts = visitTagInputs(scenario, tagIndex, seed, {
      goalAttached(goal, at) {
        clock.set(at);
        runtime.attachGoal({ goalId: goal.id, goalType: goal.type });
        goalStarts.push({
          goalId: goal.id,
          goalType: goal.type,
          at,
          status: runtime.goalStatus(goal.id),
        });
      },
      accessChanged(available, at) {
        clock.set(at);
        if (available) runtime.restoreTagAccess();
        else runtime.loseTagAccess();
      },
      hit(at) {
        clock.set(at);
        runtime.recordActivity(at);
      },
      conversion(goal, at) {
        clock.set(at);
        runtime.recordConversion(goal.id, at);
      },
    });
    clock.set(scenario.end);
    runtime.stop();
    result.timelines.push(
      buildTimeline(
        { tagId: tag.id },
        initialStatus,
        scenario.start,
        tagChanges.filter((change) => change.kind === 'tag'),
        scenario.end,
      ),
    );
    for (const goal of goalStarts) {
      const goalChanges = tagChanges.filter(
        (change) => change.kind === 'goal' && change.goalId === goal.goalId,
      );
      const subject = { tagId: tag.id, goalId: goal.goalId, goalType: goal.goalType };
      result.timelines.push(
        buildTimeline(subject, goal.status, goal.at, goalChanges, scenario.end),
      );
    }
    for (const change of tagChanges) result.changes.push(change);
    result.inputs.hits += counts.hits;
    result.inputs.conversions += counts.conversions;
    options.onProgress?.(done + 1, indexes.length);
  });
  return result;
}
