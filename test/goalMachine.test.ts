import { describe, expect, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { goalMachine } from '../packages/uet-tag-status/src/machines/goalMachine.js';
import type { GoalEvent, GoalMachineInput } from '../packages/uet-tag-status/src/machines/types.js';
import { createTagRuntime } from '../packages/uet-tag-status/src/runtime/createTagRuntime.js';
import {
  type ConversionGoalType,
  isTagBasedGoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { DEFAULT_WINDOWS } from '../packages/uet-tag-status/src/windows.js';
import { replayPaths } from './support/machineCoverage.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * Model-based test of the conversion goal machine (SPEC G1–G7) with the timed runtime as
 * the system under test: one goal attached to a tag, the model's times are the runtime's
 * clock. The tag's changes are made the way a user would make them: data received makes
 * it Active; 24 h without data (the clock advanced past the window) makes it Inactive;
 * the goal's 7-day window elapses by advancing the clock with no conversion.
 */

type GoalSnapshot = SnapshotFrom<typeof goalMachine>;
type EventOf<T extends GoalEvent['type']> = Extract<GoalEvent, { type: T }>;

const { activityWindowMs: W, conversionWindowMs: C } = DEFAULT_WINDOWS;
/** The model and the runtime start at 7 days, so a conversion one window old is still a time. */
const START = C;
const GOAL_ID = 'goal';

const generated = new WeakSet<GoalEvent>();

/**
 * The events a user can cause from a snapshot, at the snapshot's decision time. A
 * conversion through a tag is tag activity (G6), so a tag-based goal only gets fresh
 * conversions while its tag is Active and stale ones (a window old) while it is Inactive.
 */
function eventsFrom(snapshot: GoalSnapshot): GoalEvent[] {
  const { goalType, tagStatus, tagAvailable, lastConversionAt, decidedAt: now } = snapshot.context;
  const tagBased = isTagBasedGoalType(goalType);
  const events: GoalEvent[] = [];
  if (!tagBased || tagStatus === 'Active') {
    events.push({ type: 'goal.conversionRecorded', goalId: GOAL_ID, at: now, now });
  }
  if (!tagBased || tagStatus !== 'Unverified') {
    events.push({ type: 'goal.conversionRecorded', goalId: GOAL_ID, at: now - C, now });
  }
  if (lastConversionAt !== undefined && lastConversionAt + C > now) {
    events.push({
      type: 'goal.conversionWindowElapsed',
      goalId: GOAL_ID,
      at: lastConversionAt + C,
    });
  }
  events.push(
    tagStatus === 'Active'
      ? { type: 'tag.statusChanged', status: 'Inactive', at: now + W }
      : { type: 'tag.statusChanged', status: 'Active', at: now },
  );
  events.push({ type: tagAvailable ? 'tag.accessLost' : 'tag.accessRestored', at: now });
  for (const event of events) generated.add(event);
  return events;
}

function viaOf(previous: GoalSnapshot | undefined, event: GoalEvent | undefined): string {
  if (previous === undefined || event === undefined) return 'start';
  const parts: string[] = [String(previous.value), event.type];
  if (event.type === 'tag.statusChanged') parts.push(event.status);
  if (event.type === 'goal.conversionRecorded')
    parts.push(event.at === event.now ? 'fresh' : 'stale');
  return parts.join(' ');
}

function serializeState(
  snapshot: GoalSnapshot,
  event: GoalEvent | undefined,
  previous?: GoalSnapshot,
): string {
  const { tagStatus, tagAvailable, lastConversionAt, decidedAt } = snapshot.context;
  const conversion =
    lastConversionAt === undefined ? 'none' : lastConversionAt + C > decidedAt ? 'recent' : 'old';
  return JSON.stringify([
    snapshot.value,
    tagStatus,
    tagAvailable,
    conversion,
    viaOf(previous, event),
  ]);
}

const inputFor = (goalType: ConversionGoalType): GoalMachineInput => ({
  goalType,
  at: START,
  conversionWindowMs: C,
});

const models = [
  { goalType: 'Url', expectedPaths: 29 },
  { goalType: 'AppInstall', expectedPaths: 43 },
] as const satisfies readonly { goalType: ConversionGoalType; expectedPaths: number }[];

const runs = models.map(({ goalType, expectedPaths }) => {
  const input = inputFor(goalType);
  const model = createTestModel(goalMachine, {
    input,
    events: eventsFrom,
    filterEvents: (_snapshot, event) => generated.has(event),
    serializeState,
  });
  return { goalType, expectedPaths, input, paths: model.getShortestPaths() };
});

/** A tag runtime with the one goal attached, on a clock that follows the model's times. */
function createHarness(goalType: ConversionGoalType) {
  const clock = simulatedClockAt(START);
  const runtime = createTagRuntime({
    tagId: 'model',
    clock,
    goals: [{ goalId: GOAL_ID, goalType }],
  });
  const eventOf = <T extends GoalEvent['type']>(step: { event: { type: string } }, type: T) => {
    if (step.event.type !== type) throw new Error(`expected ${type}, got ${step.event.type}`);
    return step.event as EventOf<T>;
  };

  const check = (snapshot: GoalSnapshot) => {
    expect(runtime.goalStatus(GOAL_ID)).toBe(snapshot.value);
    expect(runtime.status()).toBe(snapshot.context.tagStatus);
  };
  const states = Object.fromEntries(
    Object.keys(goalMachine.root.states).map((state) => [state, check]),
  );

  return {
    runtime,
    params: {
      states,
      events: {
        'goal.conversionRecorded': (step: { event: { type: string } }) => {
          const { at, now } = eventOf(step, 'goal.conversionRecorded');
          clock.set(now);
          runtime.recordConversion(GOAL_ID, at);
        },
        'goal.conversionWindowElapsed': (step: {
          event: { type: string };
          state: GoalSnapshot;
        }) => {
          const { at: until } = eventOf(step, 'goal.conversionWindowElapsed');
          // No conversion for the window; an Active tag keeps receiving data meanwhile.
          if (step.state.context.tagStatus === 'Active') {
            for (let at = clock.now() + W / 2; at < until; at += W / 2) {
              clock.set(at);
              runtime.recordActivity(at);
            }
          }
          clock.set(until);
        },
        'tag.statusChanged': (step: { event: { type: string } }) => {
          const { status, at } = eventOf(step, 'tag.statusChanged');
          if (status === 'Active') {
            clock.set(at);
            runtime.recordActivity(at);
          } else {
            // Data now, then 24 h without any: the silence takes effect at `at`.
            runtime.recordActivity(clock.now());
            expect(at).toBe(clock.now() + W);
            clock.set(at);
          }
        },
        'tag.accessLost': (step: { event: { type: string } }) => {
          clock.set(eventOf(step, 'tag.accessLost').at);
          runtime.loseTagAccess();
        },
        'tag.accessRestored': (step: { event: { type: string } }) => {
          clock.set(eventOf(step, 'tag.accessRestored').at);
          runtime.restoreTagAccess();
        },
      },
    },
  };
}

describe('goalMachine, model-based against createTagRuntime on a SimulatedClock', () => {
  for (const { goalType, expectedPaths, paths } of runs) {
    describe(`a ${goalType} goal`, () => {
      it(`generates exactly ${expectedPaths} shortest paths`, () => {
        expect(paths).toHaveLength(expectedPaths);
      });

      for (const path of paths) {
        it(path.description, async () => {
          const harness = createHarness(goalType);
          await path.test(harness.params);
          harness.runtime.stop();
        });
      }
    });
  }

  it('covers every state (Deciding included) and every transition (each always branch too)', () => {
    const { recorder, divergent } = replayPaths(goalMachine, runs);
    expect(divergent).toEqual([]);
    expect(recorder.totals).toEqual({ states: 6, transitions: 10 });
    expect(recorder.uncovered()).toEqual({ states: [], transitions: [] });
  });
});
