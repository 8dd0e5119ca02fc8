import { describe, expect, it } from 'vitest';
import type { SnapshotFrom } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { tagMachine } from '../packages/uet-tag-status/src/machines/tagMachine.js';
import type { TagEvent } from '../packages/uet-tag-status/src/machines/types.js';
import { createTagRuntime } from '../packages/uet-tag-status/src/runtime/createTagRuntime.js';
import {
  type ConversionGoalType,
  isTagBasedGoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { DAY_MS, DEFAULT_WINDOWS, HOUR_MS } from '../packages/uet-tag-status/src/windows.js';
import { replayPaths } from './support/machineCoverage.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * Model-based test of the tag machine (SPEC R1–R7, G4, G6) with the timed runtime as the
 * system under test. The model's events carry times relative to the tag's last activity;
 * the runtime is driven the same way relative to its own clock: "24 h silence" is the
 * clock advanced to the last activity plus the window, with no data.
 */

type TagSnapshot = SnapshotFrom<typeof tagMachine>;
type EventOf<T extends TagEvent['type']> = Extract<TagEvent, { type: T }>;

const { activityWindowMs: W, conversionWindowMs: C } = DEFAULT_WINDOWS;
/** The runtime's clock starts late enough that "old" times stay positive. */
const START = 30 * DAY_MS;
const MODEL_GOALS: Readonly<Record<string, ConversionGoalType>> = {
  signup: 'Url',
  install: 'AppInstall',
};

/** Events the generator made; `createTestModel` adds bare `{ type }` events otherwise. */
const generated = new WeakSet<TagEvent>();

/** The events worth trying from a snapshot, timed relative to its last activity. */
function eventsFrom(snapshot: TagSnapshot): TagEvent[] {
  const { value, context } = snapshot;
  const last = context.lastDataAt ?? 0;
  const now = value === 'Inactive' ? last + W : last;
  const fresh = value === 'Active' ? { at: last + HOUR_MS, now: last + HOUR_MS } : { at: now, now };
  // Only an Inactive tag can receive data too old to count (SPEC D1); before any data
  // such a backlog passes through Active at once (D1a), which the model has no step for.
  const times = value === 'Inactive' ? [fresh, { at: last, now }] : [fresh];
  const events: TagEvent[] = times.map((time) => ({ type: 'tag.dataReceived', ...time }));
  if (value === 'Active') events.push({ type: 'tag.silenceElapsed', at: last + W });
  for (const [goalId, goalType] of Object.entries(MODEL_GOALS)) {
    if (context.goals.some((goal) => goal.goalId === goalId)) {
      for (const time of times) events.push({ type: 'goal.conversionRecorded', goalId, ...time });
      events.push({ type: 'goal.conversionWindowElapsed', goalId, at: now + C });
      events.push({ type: 'goal.detached', goalId });
    } else {
      events.push({ type: 'goal.attached', goalId, goalType, at: now });
    }
  }
  events.push({ type: context.tagAvailable ? 'tag.accessLost' : 'tag.accessRestored', at: now });
  for (const event of events) generated.add(event);
  return events;
}

/** Which transition led here, in the terms that pick a branch (source, event, variant). */
function viaOf(previous: TagSnapshot | undefined, event: TagEvent | undefined): string {
  if (previous === undefined || event === undefined) return 'start';
  const parts: string[] = [String(previous.value), event.type];
  if ('now' in event) parts.push(event.at + W > event.now ? 'fresh' : 'late');
  const goalType =
    'goalId' in event
      ? previous.context.goals.find((goal) => goal.goalId === event.goalId)?.goalType
      : undefined;
  if (goalType !== undefined) parts.push(isTagBasedGoalType(goalType) ? 'tag-based' : 'tagless');
  return parts.join(' ');
}

const model = createTestModel(tagMachine, {
  input: {},
  events: eventsFrom,
  filterEvents: (_snapshot, event) => generated.has(event),
  serializeState: (snapshot, event, previous) =>
    JSON.stringify([
      snapshot.value,
      snapshot.context.tagAvailable,
      snapshot.context.goals.map((goal) => goal.goalId).sort(),
      viaOf(previous, event),
    ]),
});
const paths = model.getShortestPaths();

/** A runtime on a simulated clock, driven by the model's events relative to its clock. */
function createHarness() {
  const clock = simulatedClockAt(START);
  const runtime = createTagRuntime({ tagId: 'model', clock });
  let lastActivityAt: number | undefined;
  const noteActivity = (at: number) => {
    lastActivityAt = Math.max(lastActivityAt ?? at, at);
  };
  const lateness = (event: { at: number; now: number }) => event.now - event.at;
  const eventOf = <T extends TagEvent['type']>(step: { event: { type: string } }, type: T) => {
    if (step.event.type !== type) throw new Error(`expected ${type}, got ${step.event.type}`);
    return step.event as EventOf<T>;
  };

  const check = (snapshot: TagSnapshot) => {
    expect(runtime.status()).toBe(snapshot.value);
    expect(runtime.actor.getSnapshot().context.tagAvailable).toBe(snapshot.context.tagAvailable);
    expect([...runtime.goalStatuses().keys()].sort()).toEqual(
      snapshot.context.goals.map((goal) => goal.goalId).sort(),
    );
  };

  return {
    runtime,
    params: {
      states: {
        Unverified: check,
        Active: check,
        Inactive: check,
      },
      events: {
        'tag.dataReceived': (step: { event: { type: string } }) => {
          const at = clock.now() - lateness(eventOf(step, 'tag.dataReceived'));
          runtime.recordActivity(at);
          noteActivity(at);
        },
        'tag.silenceElapsed': () => {
          if (lastActivityAt === undefined) throw new Error('silence before any activity');
          clock.set(lastActivityAt + W);
        },
        'goal.conversionRecorded': (step: { event: { type: string } }) => {
          const event = eventOf(step, 'goal.conversionRecorded');
          const at = clock.now() - lateness(event);
          runtime.recordConversion(event.goalId, at);
          const goalType = MODEL_GOALS[event.goalId];
          if (goalType !== undefined && isTagBasedGoalType(goalType)) noteActivity(at);
        },
        'goal.conversionWindowElapsed': (step: { state: TagSnapshot }) => {
          // The conversion window passes with no conversion; an Active tag keeps
          // receiving data meanwhile, so only the goal's window is what elapses.
          const until = clock.now() + C;
          if (step.state.value === 'Active') {
            for (let at = clock.now() + W / 2; at < until; at += W / 2) {
              clock.set(at);
              runtime.recordActivity(at);
              noteActivity(at);
            }
          }
          clock.set(until);
        },
        'goal.attached': (step: { event: { type: string } }) => {
          const { goalId, goalType } = eventOf(step, 'goal.attached');
          runtime.attachGoal({ goalId, goalType });
        },
        'goal.detached': (step: { event: { type: string } }) => {
          runtime.detachGoal(eventOf(step, 'goal.detached').goalId);
        },
        'tag.accessLost': () => runtime.loseTagAccess(),
        'tag.accessRestored': () => runtime.restoreTagAccess(),
      },
    },
  };
}

describe('tagMachine, model-based against createTagRuntime on a SimulatedClock', () => {
  it('generates exactly 139 shortest paths', () => {
    expect(paths).toHaveLength(139);
  });

  for (const path of paths) {
    it(path.description, async () => {
      const harness = createHarness();
      await path.test(harness.params);
      harness.runtime.stop();
    });
  }

  it('covers every state and every transition of the tag machine', () => {
    const { recorder, divergent } = replayPaths(tagMachine, [{ input: {}, paths }]);
    expect(divergent).toEqual([]);
    expect(recorder.totals).toEqual({ states: 3, transitions: 19 });
    expect(recorder.uncovered()).toEqual({ states: [], transitions: [] });
  });
});
