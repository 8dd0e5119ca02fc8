import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { type GoalHistory, trackingStatusesAt } from '../packages/uet-tag-status/src/oracle.js';
import { MAX_TIMER_DELAY_MS } from '../packages/uet-tag-status/src/runtime/clock.js';
import {
  createTagRuntime,
  DEFAULT_ALLOWED_SKEW_MS,
} from '../packages/uet-tag-status/src/runtime/createTagRuntime.js';
import type { StatusChange } from '../packages/uet-tag-status/src/runtime/statusChange.js';
import {
  ConversionGoalType,
  isTagBasedGoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { DAY_MS, DEFAULT_WINDOWS, HOUR_MS } from '../packages/uet-tag-status/src/windows.js';
import { simulatedClockAt } from './support/testClocks.js';

const { activityWindowMs: W, conversionWindowMs: C } = DEFAULT_WINDOWS;
const SKEW = DEFAULT_ALLOWED_SKEW_MS;
const START = 30 * DAY_MS;
/** Goal ids to attach and detach; numeric ones check that order does not depend on the id. */
const GOAL_IDS = ['20', '3', 'signup', 'install'] as const;

type Op =
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'toBoundary'; readonly pick: number; readonly offset: number }
  | { readonly kind: 'data'; readonly ago: number }
  | { readonly kind: 'duplicateData'; readonly pick: number }
  | { readonly kind: 'conversion'; readonly pick: number; readonly ago: number }
  | { readonly kind: 'duplicateConversion'; readonly pick: number }
  | { readonly kind: 'accessLost' }
  | { readonly kind: 'accessRestored' }
  | { readonly kind: 'attach'; readonly pick: number; readonly goalType: ConversionGoalType }
  | { readonly kind: 'detach'; readonly pick: number };

/** How old an input is when it arrives: a little ahead (skew), fresh, late within and beyond windows. */
const ago = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -SKEW, max: 0 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 * HOUR_MS }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(W, C), fc.constantFrom(-SKEW, -1, 0, 1, SKEW))
      .map(([window, delta]) => window + delta),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: C + DAY_MS }) },
);
const pick = fc.nat(15);
const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('advance'),
      ms: fc.oneof(
        fc.integer({ min: 0, max: 2 * DAY_MS }),
        fc.constantFrom(1, SKEW, W - 1, W, W + 1, C - 1, C, C + 1),
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('toBoundary'),
      pick,
      offset: fc.constantFrom(-SKEW, -1, 0, 1),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('data'), ago }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicateData'), pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('conversion'), pick, ago }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicateConversion'), pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('accessLost') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('accessRestored') }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('attach'),
      pick,
      goalType: fc.constantFrom(...Object.values(ConversionGoalType)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('detach'), pick }) },
) as fc.Arbitrary<Op>;

/** What the oracle is told: every input the runtime accepted, as plain data. */
interface History {
  activities: number[];
  goals: Record<string, { goalType: ConversionGoalType; conversions: number[] }>;
  tagAvailable: boolean;
}

function choose<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

/** The times at which some status is due to lapse: last activity + 24 h, last conversion + 7 d. */
function boundaries(history: History): number[] {
  const goals = Object.values(history.goals);
  const tagActivity = [
    ...history.activities,
    ...goals.flatMap((goal) => (isTagBasedGoalType(goal.goalType) ? goal.conversions : [])),
  ];
  const latest = (times: readonly number[]) => (times.length ? Math.max(...times) : undefined);
  const lastActivity = latest(tagActivity);
  return [
    ...(lastActivity === undefined ? [] : [lastActivity + W]),
    ...goals.flatMap((goal) => {
      const last = latest(goal.conversions);
      return last === undefined ? [] : [last + C];
    }),
  ];
}

/** Runs ops through a runtime; checks it against the oracle after each one. */
function runHistory(ops: readonly Op[]): void {
  const clock = simulatedClockAt(START);
  const runtime = createTagRuntime({
    tagId: 'prop',
    clock,
    goals: [
      { goalId: '20', goalType: 'Url' },
      { goalId: 'install', goalType: 'AppInstall' },
    ],
  });
  const changes: StatusChange[] = [];
  runtime.onStatusChange((change) => changes.push(change));
  const history: History = {
    activities: [],
    goals: {
      '20': { goalType: 'Url', conversions: [] },
      install: { goalType: 'AppInstall', conversions: [] },
    },
    tagAvailable: true,
  };
  /** Each subject's status as the reported changes tell it, for continuity. */
  const reported = new Map<string, string>([
    ['tag', runtime.status()],
    ...[...runtime.goalStatuses()].map(([goalId, status]) => [`goal:${goalId}`, status] as const),
  ]);
  const lastEffective = new Map<string, number>();
  const attached = () => Object.keys(history.goals);
  const allConversions = () =>
    Object.entries(history.goals).flatMap(([goalId, goal]) =>
      goal.conversions.map((at) => ({ goalId, at })),
    );

  for (const op of ops) {
    const now = clock.now();
    switch (op.kind) {
      case 'advance':
        clock.increment(op.ms);
        break;
      case 'toBoundary': {
        const future = boundaries(history)
          .map((at) => at + op.offset)
          .filter((at) => at >= now);
        const target = choose(future, op.pick);
        if (target !== undefined) clock.set(target);
        break;
      }
      case 'data': {
        const at = now - op.ago;
        runtime.recordActivity(at);
        history.activities.push(at);
        break;
      }
      case 'duplicateData': {
        const at = choose(history.activities, op.pick);
        if (at === undefined) break;
        runtime.recordActivity(at);
        history.activities.push(at);
        break;
      }
      case 'conversion': {
        const goalId = choose(attached(), op.pick);
        if (goalId === undefined) break;
        const at = now - op.ago;
        runtime.recordConversion(goalId, at);
        history.goals[goalId]?.conversions.push(at);
        break;
      }
      case 'duplicateConversion': {
        const previous = choose(allConversions(), op.pick);
        if (previous === undefined) break;
        runtime.recordConversion(previous.goalId, previous.at);
        history.goals[previous.goalId]?.conversions.push(previous.at);
        break;
      }
      case 'accessLost':
        runtime.loseTagAccess();
        history.tagAvailable = false;
        break;
      case 'accessRestored':
        runtime.restoreTagAccess();
        history.tagAvailable = true;
        break;
      case 'attach': {
        const goalId = choose(
          GOAL_IDS.filter((id) => !(id in history.goals)),
          op.pick,
        );
        if (goalId === undefined) break;
        runtime.attachGoal({ goalId, goalType: op.goalType });
        history.goals[goalId] = { goalType: op.goalType, conversions: [] };
        reported.set(`goal:${goalId}`, runtime.goalStatus(goalId));
        break;
      }
      case 'detach': {
        const goalId = choose(attached(), op.pick);
        const goal = goalId === undefined ? undefined : history.goals[goalId];
        if (goalId === undefined || goal === undefined) break;
        runtime.detachGoal(goalId);
        // G6: conversions through the tag stay tag activity after the goal is gone.
        if (isTagBasedGoalType(goal.goalType)) history.activities.push(...goal.conversions);
        delete history.goals[goalId];
        reported.delete(`goal:${goalId}`);
        lastEffective.delete(`goal:${goalId}`);
        break;
      }
    }

    const goals: Record<string, GoalHistory> = history.goals;
    expect({ tag: runtime.status(), goals: Object.fromEntries(runtime.goalStatuses()) }).toEqual(
      trackingStatusesAt({ ...history, goals }, clock.now()),
    );
    for (const change of changes.splice(0)) {
      const subject = change.kind === 'tag' ? 'tag' : `goal:${change.goalId}`;
      // Each subject's changes chain: from = the previous to; effective times never go back.
      expect(change.from).toBe(reported.get(subject));
      reported.set(subject, change.to);
      expect(change.noticedAt).toBe(clock.now());
      expect(change.noticedAt).toBeGreaterThanOrEqual(change.effectiveAt - SKEW);
      expect(change.effectiveAt).toBeGreaterThanOrEqual(lastEffective.get(subject) ?? 0);
      lastEffective.set(subject, change.effectiveAt);
    }
    expect(Object.fromEntries(reported)).toEqual({
      tag: runtime.status(),
      ...Object.fromEntries(
        [...runtime.goalStatuses()].map(([goalId, status]) => [`goal:${goalId}`, status]),
      ),
    });
  }
  runtime.stop();
}

describe('createTagRuntime against the oracle (property-based)', () => {
  it('R7 G7 D1 D2 D5: random histories agree with trackingStatusesAt after every step, at window boundaries and 1 ms either side', () => {
    fc.assert(fc.property(fc.array(opArbitrary, { minLength: 1, maxLength: 40 }), runHistory), {
      numRuns: 1000,
    });
  });
});

describe('createTagRuntime', () => {
  it('re-arms a timer longer than setTimeout allows, and still fires at the exact time', () => {
    const clock = simulatedClockAt(START);
    const conversionWindowMs = 30 * DAY_MS;
    expect(conversionWindowMs).toBeGreaterThan(MAX_TIMER_DELAY_MS);
    const runtime = createTagRuntime({
      tagId: 't',
      clock,
      windows: { conversionWindowMs },
      goals: [{ goalId: 'offline', goalType: 'OfflineConversion' }],
    });
    runtime.recordConversion('offline', START);
    clock.increment(MAX_TIMER_DELAY_MS);
    expect(runtime.goalStatus('offline')).toBe('RecordingConversions');
    clock.set(START + conversionWindowMs - 1);
    expect(runtime.goalStatus('offline')).toBe('RecordingConversions');
    clock.increment(1);
    expect(runtime.goalStatus('offline')).toBe('NoRecentConversions');
    runtime.stop();
  });

  it('reports goals in the order they were attached, numeric ids included', () => {
    const clock = new SimulatedClock();
    const changes: StatusChange[] = [];
    const runtime = createTagRuntime({
      tagId: 't',
      clock,
      goals: [
        { goalId: 'b', goalType: 'Event' },
        { goalId: '9', goalType: 'Url' },
        { goalId: '10', goalType: 'Duration' },
      ],
    });
    runtime.onStatusChange((change) => changes.push(change));
    runtime.recordActivity(0);
    expect(changes.map((change) => (change.kind === 'goal' ? change.goalId : 'tag'))).toEqual([
      'tag',
      'b',
      '9',
      '10',
    ]);
    runtime.stop();
  });

  it('takes goal ids that are names of Object.prototype like any other id', () => {
    const clock = new SimulatedClock();
    const runtime = createTagRuntime({ tagId: 't', clock });
    expect(() => runtime.recordConversion('toString', 0)).toThrow(
      expect.objectContaining({ code: 'unknownGoal', value: 'toString' }),
    );
    runtime.attachGoal({ goalId: 'constructor', goalType: 'Url' });
    runtime.recordConversion('constructor', 0);
    expect(runtime.goalStatus('constructor')).toBe('RecordingConversions');
    expect(() => runtime.goalStatus('hasOwnProperty')).toThrow(
      expect.objectContaining({ code: 'unknownGoal', value: 'hasOwnProperty' }),
    );
    runtime.stop();
  });

  it('stops listening when unsubscribed, and stop() clears its timer', () => {
    const clock = new SimulatedClock();
    const seen: string[] = [];
    const runtime = createTagRuntime({ tagId: 't', clock });
    const unsubscribe = runtime.onStatusChange((change) => seen.push(`first ${change.to}`));
    runtime.onStatusChange((change) => seen.push(`second ${change.to}`));
    runtime.recordActivity(0);
    unsubscribe();
    clock.increment(W);
    runtime.recordActivity(W);
    runtime.stop();
    clock.increment(2 * W);
    expect(seen).toEqual(['first Active', 'second Active', 'second Inactive', 'second Active']);
    expect(runtime.status()).toBe('Active');
  });

  it('keeps working when a listener throws: the other listeners get every change, the error goes to onError', () => {
    const clock = new SimulatedClock();
    const failure = new Error('listener failed');
    const seen: string[] = [];
    const errors: unknown[] = [];
    const runtime = createTagRuntime({
      tagId: 't',
      clock,
      goals: [{ goalId: 'g', goalType: 'Url' }],
      onError: (error) => errors.push(error),
    });
    runtime.onStatusChange(() => {
      throw failure;
    });
    runtime.onStatusChange((change) => seen.push(`${change.from}->${change.to}`));
    runtime.recordActivity(0);
    runtime.loseTagAccess();
    expect(errors).toEqual([failure, failure, failure]);
    expect(seen).toEqual([
      'Unverified->Active',
      'TagUnverified->NoRecentConversions',
      'NoRecentConversions->InactiveDueToTagUnavailable',
    ]);
    // A change found by a timer goes the same way, and the clock keeps working.
    clock.increment(W);
    runtime.recordActivity(W + 1);
    expect(runtime.status()).toBe('Active');
    expect(seen.slice(3)).toEqual(['Active->Inactive', 'Inactive->Active']);
    expect(errors).toHaveLength(5);
    runtime.stop();
  });

  it('without onError, a listener error is thrown asynchronously, after the input was processed', async () => {
    const failure = new Error('listener failed');
    const runtime = createTagRuntime({ tagId: 't', clock: new SimulatedClock() });
    runtime.onStatusChange(() => {
      throw failure;
    });
    const thrown = new Promise<unknown>((resolve) => {
      const original = globalThis.queueMicrotask;
      globalThis.queueMicrotask = (callback) => {
        globalThis.queueMicrotask = original;
        try {
          callback();
        } catch (error) {
          resolve(error);
        }
      };
    });
    runtime.recordActivity(0);
    expect(runtime.status()).toBe('Active');
    await expect(thrown).resolves.toBe(failure);
    runtime.stop();
  });

  it('uses the real clock by default', () => {
    const runtime = createTagRuntime({ tagId: 'real' });
    const before = Date.now();
    expect(runtime.now()).toBeGreaterThanOrEqual(before - 1_000);
    runtime.recordActivity(Date.now());
    expect(runtime.status()).toBe('Active');
    runtime.stop();
  });
});
