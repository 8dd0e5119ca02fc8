import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTagMonitor, type TagMonitor } from '../packages/uet-tag-status/src/index.js';
import type {
  MonitorInput,
  MonitorStatusChange,
} from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import { type GoalHistory, trackingStatusesAt } from '../packages/uet-tag-status/src/oracle.js';
import {
  createTagRuntime,
  type GoalDefinition,
  type TagRuntime,
} from '../packages/uet-tag-status/src/runtime/createTagRuntime.js';
import type { StatusChange } from '../packages/uet-tag-status/src/runtime/statusChange.js';
import { TrackingInputError } from '../packages/uet-tag-status/src/TrackingInputError.js';
import type { ConversionGoalType } from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { simulatedClockAt } from './support/testClocks.js';

/** Small windows so that random histories cross many boundaries. */
const WINDOWS = { activityWindowMs: 100, conversionWindowMs: 350 };
const SKEW = 10;
const START = 1_000;

/**
 * The tags of every history and their goals; tag `c` has none. The goal ids are awkward
 * on purpose (integer-like, named like `Object.prototype` members), so that any place
 * that keeps goals in a plain object shows up as a difference in goal order.
 */
const TAGS: ReadonlyArray<{ tagId: string; goals: GoalDefinition[] }> = [
  {
    tagId: 'a',
    goals: [
      { goalId: '10', goalType: 'Url' },
      { goalId: '9', goalType: 'AppInstall' },
      { goalId: 'constructor', goalType: 'Duration' },
    ],
  },
  { tagId: 'b', goals: [{ goalId: 'toString', goalType: 'Event' }] },
  { tagId: 'c', goals: [] },
];
const SPARE_GOAL: { goalId: string; goalType: ConversionGoalType } = {
  goalId: '__proto__',
  goalType: 'InStoreTransaction',
};

type Op =
  | { kind: 'advance'; ms: number }
  | { kind: 'toBoundary'; tag: number; offset: number; conversion: boolean }
  | { kind: 'data'; tag: number; ago: number }
  | { kind: 'conversion'; tag: number; goal: number; ago: number }
  | { kind: 'access'; tag: number; lost: boolean }
  | { kind: 'spareGoal'; tag: number; attach: boolean };

const tag = fc.nat(TAGS.length - 1);
const ago = fc.oneof(
  fc.integer({ min: -SKEW - 2, max: 0 }),
  fc.integer({ min: 0, max: 500 }),
  fc.constantFrom(99, 100, 101, 349, 350, 351),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constantFrom(1, 99, 100, 101, 350)),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('toBoundary' as const),
      tag,
      offset: fc.constantFrom(-1, 0, 1),
      conversion: fc.boolean(),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('data' as const), tag, ago }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('conversion' as const), tag, goal: fc.nat(3), ago }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('access' as const), tag, lost: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('spareGoal' as const), tag, attach: fc.boolean() }),
  },
);

interface Model {
  activities: number[];
  /**
   * When each input the model holds began to count, by its time: the earlier of its stamp
   * and the processor's time when it came (a late input counts from its stamp, D1; one
   * stamped a little ahead from its receipt, decision 7).
   */
  countsFrom: Map<number[], number[]>;
  goals: Map<string, { goalType: ConversionGoalType; conversions: number[] }>;
  tagAvailable: boolean;
}

/** Records an input's time in `times`, and when it began to count. */
function record(model: Model, times: number[], at: number, now: number): void {
  times.push(at);
  const from = model.countsFrom.get(times) ?? [];
  from.push(Math.min(at, now));
  model.countsFrom.set(times, from);
}

function withoutSeq({ seq: _seq, ...change }: MonitorStatusChange): StatusChange {
  return change as StatusChange;
}

/** Runs the same input against the monitor and the tag's runtime: both accept or both reject alike. */
function both(monitorCall: () => void, runtimeCall: () => void): boolean {
  let monitorError: unknown;
  let runtimeError: unknown;
  try {
    monitorCall();
  } catch (error) {
    monitorError = error;
  }
  try {
    runtimeCall();
  } catch (error) {
    runtimeError = error;
  }
  for (const error of [monitorError, runtimeError]) {
    if (error !== undefined && !(error instanceof TrackingInputError)) throw error;
  }
  expect((monitorError as TrackingInputError | undefined)?.code).toBe(
    (runtimeError as TrackingInputError | undefined)?.code,
  );
  return monitorError === undefined;
}

/** An input for the monitor, the same for the tag's runtime, and what the model records if both accept it. */
interface InputStep {
  readonly input: MonitorInput;
  readonly runtimeCall: () => void;
  readonly accepted: () => void;
}

/** Calls the monitor's own method for one input (the one-call-per-input way). */
function callOne(monitor: TagMonitor, input: MonitorInput): void {
  switch (input.kind) {
    case 'activity':
      monitor.recordActivity(input.tagId, input.at);
      break;
    case 'conversion':
      monitor.recordConversion(input.tagId, input.goalId, input.at);
      break;
    case 'accessLost':
      monitor.loseTagAccess(input.tagId);
      break;
    case 'accessRestored':
      monitor.restoreTagAccess(input.tagId);
      break;
    case 'attachGoal':
      monitor.attachGoal(input.tagId, input);
      break;
    case 'detachGoal':
      monitor.detachGoal(input.tagId, input.goalId);
      break;
    default:
      throw new Error(`no step makes ${input.kind} inputs`);
  }
}

/**
 * How inputs reach the monitor and when the statuses are compared. Comparing only at the
 * end lets activity the monitor holds back (it changes no status) stay held across timers
 * and other calls; batches group the inputs between two clock moves into one `apply`.
 */
const MODES = [
  { name: 'one call per input, compared after every step', batches: false, everyStep: true },
  { name: 'one call per input, compared at the end only', batches: false, everyStep: false },
  {
    name: 'the inputs between clock moves as one batch, compared after every batch',
    batches: true,
    everyStep: true,
  },
] as const;

describe('createTagMonitor against the timed runtime and the oracle', () => {
  for (const { name, batches, everyStep } of MODES) {
    it(`agrees with createTagRuntime (statuses, goal order and every reported change) and with trackingStatusesAt: ${name}`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 45 }), (ops) => {
          const clock = simulatedClockAt(START);
          const monitorChanges: StatusChange[] = [];
          const monitor = createTagMonitor({
            clock,
            windows: WINDOWS,
            allowedSkewMs: SKEW,
            onStatusChange: (change) => monitorChanges.push(withoutSeq(change)),
          });
          const runtimeChanges: StatusChange[] = [];
          const runtimes: TagRuntime[] = [];
          const models: Model[] = [];
          for (const definition of TAGS) {
            monitor.registerTag(definition.tagId, { goals: definition.goals });
            runtimes.push(
              createTagRuntime({
                tagId: definition.tagId,
                goals: definition.goals,
                windows: WINDOWS,
                clock,
                allowedSkewMs: SKEW,
                onStatusChange: (change) => runtimeChanges.push(change),
              }),
            );
            models.push({
              activities: [],
              countsFrom: new Map(),
              goals: new Map(
                definition.goals.map((goal) => [
                  goal.goalId,
                  { goalType: goal.goalType, conversions: [] },
                ]),
              ),
              tagAvailable: true,
            });
          }

          const group: InputStep[] = [];
          let checkedChanges = 0;
          for (const step of ops) {
            const now = monitor.now();
            if (step.kind === 'advance' || step.kind === 'toBoundary') {
              applyGroup();
              if (step.kind === 'advance') clock.increment(step.ms);
              else {
                const model = models[step.tag] as Model;
                const times = step.conversion
                  ? [...model.goals.values()].flatMap((goal) => goal.conversions)
                  : model.activities;
                const window = step.conversion
                  ? WINDOWS.conversionWindowMs
                  : WINDOWS.activityWindowMs;
                const target = Math.max(...times, -Infinity) + window + step.offset;
                if (target > now) clock.increment(target - now);
              }
            } else {
              const inputStep = toInput(step, now);
              if (batches) group.push(inputStep);
              else if (both(() => callOne(monitor, inputStep.input), inputStep.runtimeCall)) {
                inputStep.accepted();
              }
            }

            if (everyStep && (!batches || group.length === 0)) checkAgreement();
            if (!batches) checkNewChangesHeld();
          }
          applyGroup();
          checkAgreement();

          /** Applies the grouped inputs as one batch; each is rejected alike by the runtime or accepted by both. */
          function applyGroup(): void {
            if (group.length === 0) return;
            const steps = group.splice(0);
            const { rejected } = monitor.apply(steps.map((inputStep) => inputStep.input));
            steps.forEach((inputStep, index) => {
              const monitorError = rejected.find((bad) => bad.index === index)?.error;
              const rejectedInBatch = () => {
                if (monitorError !== undefined) throw monitorError;
              };
              if (both(rejectedInBatch, inputStep.runtimeCall)) inputStep.accepted();
            });
          }

          /** The input a step makes, the runtime's call for it, and what the model records. */
          function toInput(
            step: Exclude<Op, { kind: 'advance' | 'toBoundary' }>,
            now: number,
          ): InputStep {
            const { tagId } = TAGS[step.tag] as (typeof TAGS)[number];
            const runtime = runtimes[step.tag] as TagRuntime;
            const model = models[step.tag] as Model;
            if (step.kind === 'data') {
              const at = Math.max(0, now - step.ago);
              return {
                input: { kind: 'activity', tagId, at },
                runtimeCall: () => runtime.recordActivity(at),
                accepted: () => record(model, model.activities, at, now),
              };
            }
            if (step.kind === 'conversion') {
              const goalIds = [...model.goals.keys(), SPARE_GOAL.goalId];
              const goalId = goalIds[step.goal % goalIds.length] as string;
              const at = Math.max(0, now - step.ago);
              return {
                input: { kind: 'conversion', tagId, goalId, at },
                runtimeCall: () => runtime.recordConversion(goalId, at),
                accepted: () => {
                  const goal = model.goals.get(goalId);
                  if (goal !== undefined) record(model, goal.conversions, at, now);
                },
              };
            }
            if (step.kind === 'access') {
              return {
                input: { kind: step.lost ? 'accessLost' : 'accessRestored', tagId },
                runtimeCall: () =>
                  step.lost ? runtime.loseTagAccess() : runtime.restoreTagAccess(),
                accepted: () => {
                  model.tagAvailable = !step.lost;
                },
              };
            }
            if (step.attach) {
              return {
                input: { kind: 'attachGoal', tagId, ...SPARE_GOAL },
                runtimeCall: () => runtime.attachGoal(SPARE_GOAL),
                accepted: () =>
                  model.goals.set(SPARE_GOAL.goalId, {
                    goalType: SPARE_GOAL.goalType,
                    conversions: [],
                  }),
              };
            }
            return {
              input: { kind: 'detachGoal', tagId, goalId: SPARE_GOAL.goalId },
              runtimeCall: () => runtime.detachGoal(SPARE_GOAL.goalId),
              accepted: () => model.goals.delete(SPARE_GOAL.goalId),
            };
          }

          /**
           * Every change reported since the last step held at its effective time: it is the
           * oracle's status then, from the facts known now that had happened by then (all
           * of them for a change at the present: an input stamped within the skew counts as
           * received, decision 7), with the access of now (access changes apply at the
           * processor's time, which no later change precedes). A status that never held,
           * such as a goal seen recording again on a conversion that had aged out, fails
           * here even when the final status is right.
           */
          function checkNewChangesHeld(): void {
            for (const change of runtimeChanges.slice(checkedChanges)) {
              const index = TAGS.findIndex((definition) => definition.tagId === change.tagId);
              const model = models[index] as Model;
              const present = change.effectiveAt >= change.noticedAt;
              const upTo = (times: number[]) => {
                const from = model.countsFrom.get(times) ?? [];
                return times.filter((_, i) => present || (from[i] as number) <= change.effectiveAt);
              };
              const goals: Record<string, GoalHistory> = Object.fromEntries(
                [...model.goals].map(([goalId, goal]) => [
                  goalId,
                  { goalType: goal.goalType, conversions: upTo(goal.conversions) },
                ]),
              );
              const truth = trackingStatusesAt(
                { activities: upTo(model.activities), goals, tagAvailable: model.tagAvailable },
                change.effectiveAt,
                WINDOWS,
              );
              const held =
                change.kind === 'tag'
                  ? truth.tag
                  : Object.getOwnPropertyDescriptor(truth.goals, change.goalId)?.value;
              expect({ change, held: change.to }).toEqual({ change, held });
            }
            checkedChanges = runtimeChanges.length;
          }

          function checkAgreement(): void {
            const at = monitor.now();
            TAGS.forEach(({ tagId }, index) => {
              const runtime = runtimes[index] as TagRuntime;
              const model = models[index] as Model;
              const report = monitor.status(tagId);
              expect(report.goals.map((goal) => goal.goalId)).toEqual([...model.goals.keys()]);
              expect([...runtime.goalStatuses().keys()]).toEqual([...model.goals.keys()]);
              const goals = Object.fromEntries(
                report.goals.map((goal) => [goal.goalId, goal.status]),
              );
              expect({ tag: report.status, goals }).toEqual({
                tag: runtime.status(),
                goals: Object.fromEntries(runtime.goalStatuses()),
              });
              const history: Record<string, GoalHistory> = Object.fromEntries(model.goals);
              expect({ tag: report.status, goals }).toEqual(
                trackingStatusesAt(
                  {
                    activities: model.activities,
                    goals: history,
                    tagAvailable: model.tagAvailable,
                  },
                  at,
                  WINDOWS,
                ),
              );
              const byTag = (changes: StatusChange[]) => changes.filter((c) => c.tagId === tagId);
              expect(byTag(monitorChanges)).toEqual(byTag(runtimeChanges));
            });
          }
          monitor.close();
          for (const runtime of runtimes) runtime.stop();
        }),
        { numRuns: 150 },
      );
    });
  }
});
