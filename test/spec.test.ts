import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { goalMachine } from '../packages/uet-tag-status/src/machines/goalMachine.js';
import { tagMachine } from '../packages/uet-tag-status/src/machines/tagMachine.js';
import {
  goalStatusAt,
  tagStatusAt,
  trackingStatusesAt,
} from '../packages/uet-tag-status/src/oracle.js';
import {
  createTagRuntime,
  DEFAULT_ALLOWED_SKEW_MS,
  type GoalDefinition,
  type TagRuntimeOptions,
} from '../packages/uet-tag-status/src/runtime/createTagRuntime.js';
import type { StatusChange } from '../packages/uet-tag-status/src/runtime/statusChange.js';
import { TrackingInputError } from '../packages/uet-tag-status/src/TrackingInputError.js';
import {
  ConversionGoalType,
  isTagBasedGoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import {
  DAY_MS,
  DEFAULT_WINDOWS,
  HOUR_MS,
  resolveWindows,
} from '../packages/uet-tag-status/src/windows.js';
import { transitionsOf } from './support/machineCoverage.js';
import { SteppingClock, simulatedClockAt } from './support/testClocks.js';

/* One test per rule of SPEC.md, titled with the rule's number (D7 is the monitor's: see the README). */

const W = DAY_MS;
const C = 7 * DAY_MS;
const T0 = Date.UTC(2025, 0, 6); // a Monday, 00:00 UTC

function start(options: Partial<TagRuntimeOptions> = {}) {
  const clock = simulatedClockAt(T0);
  const changes: StatusChange[] = [];
  const runtime = createTagRuntime({ tagId: 'tag', clock, ...options });
  runtime.onStatusChange((change) => changes.push(change));
  /** The changes so far as `subject from->to @effective (noticed)`, then forgets them. */
  const take = () =>
    changes
      .splice(0)
      .map(
        (c) =>
          `${c.kind === 'tag' ? 'tag' : c.goalId} ${c.from}->${c.to} @${c.effectiveAt - T0} (${c.noticedAt - T0})`,
      );
  return { clock, runtime, take };
}

const tagBased: readonly GoalDefinition[] = [{ goalId: 'signup', goalType: 'Url' }];

describe('SPEC: time', () => {
  it('T1: times are integer UTC epoch milliseconds, reported as given; fractions are rejected', () => {
    const { runtime, take } = start();
    runtime.recordActivity(T0 - 1);
    expect(take()).toEqual(['tag Unverified->Active @-1 (0)']);
    expect(() => runtime.recordActivity(T0 + 0.5)).toThrow(TrackingInputError);
    expect(() => resolveWindows({ activityWindowMs: 1.5 })).toThrow(TrackingInputError);
  });

  it('T2: the windows default to 24 h and 7 days, and are options', () => {
    expect(DEFAULT_WINDOWS).toEqual({
      activityWindowMs: 86_400_000,
      conversionWindowMs: 604_800_000,
    });
    expect(createActor(tagMachine, { input: {} }).getSnapshot().context).toMatchObject(
      DEFAULT_WINDOWS,
    );
    const { clock, runtime, take } = start({
      windows: { activityWindowMs: HOUR_MS, conversionWindowMs: 2 * HOUR_MS },
      goals: [{ goalId: 'app', goalType: 'AppInstall' }],
    });
    runtime.recordActivity(T0);
    runtime.recordConversion('app', T0);
    clock.increment(2 * HOUR_MS);
    expect(take()).toEqual([
      'tag Unverified->Active @0 (0)',
      'app NoRecentConversions->RecordingConversions @0 (0)',
      'tag Active->Inactive @3600000 (7200000)',
      'app RecordingConversions->NoRecentConversions @7200000 (7200000)',
    ]);
  });

  it("T3: an activity's time is the time the data was received, not the processor's time", () => {
    const { clock, runtime, take } = start();
    clock.increment(HOUR_MS);
    runtime.recordActivity(T0);
    clock.set(T0 + W);
    expect(take()).toEqual([
      'tag Unverified->Active @0 (3600000)',
      'tag Active->Inactive @86400000 (86400000)',
    ]);
  });

  it('T4: "in the last W" is (now - W, now]: Active at t + W - 1, Inactive at t + W; the same for conversions', () => {
    const { clock, runtime } = start({
      goals: [{ goalId: 'offline', goalType: 'OfflineConversion' }],
    });
    runtime.recordActivity(T0);
    runtime.recordConversion('offline', T0);
    clock.set(T0 + W - 1);
    expect(runtime.status()).toBe('Active');
    expect(tagStatusAt([T0], T0 + W - 1)).toBe('Active');
    clock.set(T0 + W);
    expect(runtime.status()).toBe('Inactive');
    expect(tagStatusAt([T0], T0 + W)).toBe('Inactive');
    clock.set(T0 + C - 1);
    expect(runtime.goalStatus('offline')).toBe('RecordingConversions');
    clock.set(T0 + C);
    expect(runtime.goalStatus('offline')).toBe('NoRecentConversions');
    const offline = {
      goalType: 'OfflineConversion',
      conversions: [T0],
      tagStatus: 'Inactive',
    } as const;
    expect([goalStatusAt(offline, T0 + C - 1), goalStatusAt(offline, T0 + C)]).toEqual([
      'RecordingConversions',
      'NoRecentConversions',
    ]);
  });
});

describe('SPEC: tag lifecycle', () => {
  it('R1: a new tag is Unverified', () => {
    const { runtime } = start();
    expect(runtime.status()).toBe('Unverified');
    expect(createActor(tagMachine, { input: {} }).start().getSnapshot().value).toBe('Unverified');
    expect(tagStatusAt([], T0)).toBe('Unverified');
  });

  it('R2: the first activity makes it Active, effective at the activity', () => {
    const { runtime, take } = start();
    runtime.recordActivity(T0 - 5);
    expect(runtime.status()).toBe('Active');
    expect(take()).toEqual(['tag Unverified->Active @-5 (0)']);
  });

  it('R3: activity while Active keeps it Active and restarts the 24 h silence', () => {
    const { clock, runtime, take } = start();
    runtime.recordActivity(T0);
    clock.set(T0 + 10 * HOUR_MS);
    runtime.recordActivity(T0 + 10 * HOUR_MS);
    clock.set(T0 + W);
    expect(runtime.status()).toBe('Active');
    clock.set(T0 + 10 * HOUR_MS + W);
    expect(take()).toEqual([
      'tag Unverified->Active @0 (0)',
      'tag Active->Inactive @122400000 (122400000)',
    ]);
  });

  it('R4: 24 h without activity turns Active into Inactive at last activity + 24 h, whenever noticed', () => {
    const { clock, runtime, take } = start();
    runtime.recordActivity(T0);
    clock.increment(3 * W);
    expect(runtime.status()).toBe('Inactive');
    expect(take()).toEqual([
      'tag Unverified->Active @0 (0)',
      'tag Active->Inactive @86400000 (259200000)',
    ]);
  });

  it('R5: activity while Inactive makes it Active again', () => {
    const { clock, runtime, take } = start();
    runtime.recordActivity(T0);
    clock.set(T0 + 2 * W);
    runtime.recordActivity(T0 + 2 * W - HOUR_MS);
    expect(runtime.status()).toBe('Active');
    expect(take()).toEqual([
      'tag Unverified->Active @0 (0)',
      'tag Active->Inactive @86400000 (172800000)',
      'tag Inactive->Active @169200000 (172800000)',
    ]);
  });

  it('R6: nothing leads back to Unverified', () => {
    const targets = transitionsOf(tagMachine).flatMap((t) => t.target ?? []);
    expect(targets.map((target) => target.key).sort()).toEqual([
      'Active',
      'Active',
      'Active',
      'Active',
      'Inactive',
    ]);
    const { clock, runtime } = start();
    runtime.recordActivity(T0);
    clock.increment(365 * W);
    expect(runtime.status()).toBe('Inactive');
  });

  it('R7: the status is a pure function of the activities received so far, and the runtime agrees with it', () => {
    const { clock, runtime } = start();
    const activities: number[] = [];
    const script = [
      { at: T0 + HOUR_MS, now: T0 + HOUR_MS },
      { at: T0 + 2 * HOUR_MS, now: T0 + 30 * HOUR_MS },
      { at: T0 + 20 * HOUR_MS, now: T0 + 50 * HOUR_MS },
      { at: T0 + 49 * HOUR_MS, now: T0 + 73 * HOUR_MS - 1 },
    ];
    for (const { at, now } of script) {
      for (const probe of [now - 1, now]) {
        clock.set(probe);
        expect(runtime.status()).toBe(tagStatusAt(activities, probe));
      }
      runtime.recordActivity(at);
      activities.push(at);
      expect(runtime.status()).toBe(tagStatusAt(activities, now));
    }
    expect(runtime.status()).toBe('Active');
    clock.increment(1);
    expect([runtime.status(), tagStatusAt(activities, clock.now())]).toEqual([
      'Inactive',
      'Inactive',
    ]);
  });
});

describe('SPEC: conversion goal tracking status', () => {
  const tagBasedTypes = ['Url', 'Duration', 'PagesViewedPerVisit', 'Event'] as const;

  it('G1: Url, Duration, PagesViewedPerVisit and Event goals are tag-based and follow their tag', () => {
    expect(Object.values(ConversionGoalType).filter(isTagBasedGoalType)).toEqual(tagBasedTypes);
    const goals = tagBasedTypes.map((goalType) => ({ goalId: goalType, goalType }));
    const { runtime } = start({ goals });
    const all = (status: string) => Object.fromEntries(tagBasedTypes.map((type) => [type, status]));
    expect(Object.fromEntries(runtime.goalStatuses())).toEqual(all('TagUnverified'));
    runtime.recordActivity(T0);
    expect(Object.fromEntries(runtime.goalStatuses())).toEqual(all('NoRecentConversions'));
  });

  it('G2: while the tag is not Active a tag-based goal mirrors it: TagUnverified, TagInactive', () => {
    const { clock, runtime, take } = start({ goals: tagBased });
    expect(runtime.goalStatus('signup')).toBe('TagUnverified');
    runtime.recordActivity(T0);
    clock.set(T0 + W);
    expect(runtime.goalStatus('signup')).toBe('TagInactive');
    expect(take()).toEqual([
      'tag Unverified->Active @0 (0)',
      'signup TagUnverified->NoRecentConversions @0 (0)',
      'tag Active->Inactive @86400000 (86400000)',
      'signup NoRecentConversions->TagInactive @86400000 (86400000)',
    ]);
  });

  it('G3: with the tag Active, RecordingConversions for a conversion in (now - 7 d, now], else NoRecentConversions', () => {
    const { clock, runtime, take } = start({ goals: tagBased });
    runtime.recordConversion('signup', T0);
    for (let at = T0 + 20 * HOUR_MS; at <= T0 + 8 * W; at += 20 * HOUR_MS) {
      clock.set(at);
      runtime.recordActivity(at);
    }
    expect(take()).toEqual([
      'tag Unverified->Active @0 (0)',
      'signup TagUnverified->RecordingConversions @0 (0)',
      'signup RecordingConversions->NoRecentConversions @604800000 (648000000)',
    ]);
    expect(runtime.goalStatus('signup')).toBe('NoRecentConversions');
  });

  it('G4: without access to the tag a tag-based goal is InactiveDueToTagUnavailable whatever the tag status; restored, G2/G3 apply again', () => {
    const { clock, runtime } = start({ goals: tagBased, tagAvailable: false });
    const seen: string[] = [`${runtime.status()} ${runtime.goalStatus('signup')}`];
    runtime.recordConversion('signup', T0);
    seen.push(`${runtime.status()} ${runtime.goalStatus('signup')}`);
    clock.set(T0 + W);
    seen.push(`${runtime.status()} ${runtime.goalStatus('signup')}`);
    runtime.restoreTagAccess();
    seen.push(`${runtime.status()} ${runtime.goalStatus('signup')}`);
    runtime.recordActivity(clock.now());
    seen.push(`${runtime.status()} ${runtime.goalStatus('signup')}`);
    runtime.loseTagAccess();
    seen.push(`${runtime.status()} ${runtime.goalStatus('signup')}`);
    expect(seen).toEqual([
      'Unverified InactiveDueToTagUnavailable',
      'Active InactiveDueToTagUnavailable',
      'Inactive InactiveDueToTagUnavailable',
      'Inactive TagInactive',
      'Active RecordingConversions',
      'Active InactiveDueToTagUnavailable',
    ]);
  });

  it('G5: AppInstall, OfflineConversion and InStoreTransaction goals have no tag: only G3 decides', () => {
    const taglessTypes = ['AppInstall', 'OfflineConversion', 'InStoreTransaction'] as const;
    expect(taglessTypes.map(isTagBasedGoalType)).toEqual([false, false, false]);
    const alone = taglessTypes.map((goalType) =>
      createActor(goalMachine, {
        input: { goalType, at: T0, tagStatus: 'Inactive', tagAvailable: false },
      })
        .start()
        .getSnapshot(),
    );
    expect(alone.map((snapshot) => snapshot.value)).toEqual(Array(3).fill('NoRecentConversions'));
    const { clock, runtime } = start({
      goals: taglessTypes.map((goalType) => ({ goalId: goalType, goalType })),
      tagAvailable: false,
    });
    const statuses = () => [...runtime.goalStatuses().values()];
    expect(statuses()).toEqual(Array(3).fill('NoRecentConversions'));
    for (const goalType of taglessTypes) runtime.recordConversion(goalType, T0);
    expect([runtime.status(), ...statuses()]).toEqual([
      'Unverified',
      ...Array(3).fill('RecordingConversions'),
    ]);
    runtime.restoreTagAccess();
    runtime.recordActivity(T0);
    clock.set(T0 + 2 * W);
    expect([runtime.status(), ...statuses()]).toEqual([
      'Inactive',
      ...Array(3).fill('RecordingConversions'),
    ]);
    clock.set(T0 + C);
    expect(statuses()).toEqual(Array(3).fill('NoRecentConversions'));
  });

  it('G6: a conversion through a tag-based goal is tag activity (R2, R3, R5); a tagless one is not', () => {
    const { clock, runtime, take } = start({
      goals: [...tagBased, { goalId: 'app', goalType: 'AppInstall' }],
    });
    runtime.recordConversion('app', T0);
    expect(runtime.status()).toBe('Unverified');
    runtime.recordConversion('signup', T0);
    clock.set(T0 + 20 * HOUR_MS);
    runtime.recordConversion('signup', clock.now());
    clock.set(T0 + W);
    expect(runtime.status()).toBe('Active');
    clock.set(T0 + 20 * HOUR_MS + W);
    runtime.recordConversion('signup', clock.now());
    expect(take()).toEqual([
      'app NoRecentConversions->RecordingConversions @0 (0)',
      'tag Unverified->Active @0 (0)',
      'signup TagUnverified->RecordingConversions @0 (0)',
      'tag Active->Inactive @158400000 (158400000)',
      'signup RecordingConversions->TagInactive @158400000 (158400000)',
      'tag Inactive->Active @158400000 (158400000)',
      'signup TagInactive->RecordingConversions @158400000 (158400000)',
    ]);
  });

  it("G7: a goal's status is a pure function of the tag's status, access and the conversions, and the runtime agrees with it", () => {
    const { clock, runtime } = start({
      goals: [
        { goalId: 'signup', goalType: 'Url' },
        { goalId: 'app', goalType: 'AppInstall' },
      ],
    });
    const activities: number[] = [];
    const conversions = { signup: [] as number[], app: [] as number[] };
    let tagAvailable = true;
    const convert = (goalId: 'signup' | 'app') => {
      runtime.recordConversion(goalId, clock.now());
      conversions[goalId].push(clock.now());
    };
    const steps: [string, () => void][] = [
      ['app converts', () => convert('app')],
      ['24 h - 1 ms later', () => clock.increment(W - 1)],
      ['signup converts', () => convert('signup')],
      ['24 h later', () => clock.increment(W)],
      [
        'access lost',
        () => {
          runtime.loseTagAccess();
          tagAvailable = false;
        },
      ],
      ['7 days later', () => clock.increment(C)],
      [
        'access restored',
        () => {
          runtime.restoreTagAccess();
          tagAvailable = true;
        },
      ],
      [
        'data',
        () => {
          runtime.recordActivity(clock.now());
          activities.push(clock.now());
        },
      ],
    ];
    const seen: string[] = [];
    for (const [name, step] of steps) {
      step();
      const history = {
        activities,
        goals: {
          signup: { goalType: 'Url', conversions: conversions.signup },
          app: { goalType: 'AppInstall', conversions: conversions.app },
        },
        tagAvailable,
      } as const;
      const expected = trackingStatusesAt(history, clock.now());
      expect(Object.fromEntries(runtime.goalStatuses())).toEqual(expected.goals);
      seen.push(`${name}: ${expected.goals.signup} ${expected.goals.app}`);
    }
    expect(seen).toEqual([
      'app converts: TagUnverified RecordingConversions',
      '24 h - 1 ms later: TagUnverified RecordingConversions',
      'signup converts: RecordingConversions RecordingConversions',
      '24 h later: TagInactive RecordingConversions',
      'access lost: InactiveDueToTagUnavailable RecordingConversions',
      '7 days later: InactiveDueToTagUnavailable NoRecentConversions',
      'access restored: TagInactive NoRecentConversions',
      'data: NoRecentConversions NoRecentConversions',
    ]);
  });
});

describe('SPEC: data that arrives late, twice, or wrong', () => {
  it('D1: late data never moves the latest time back, and data that would only change the past emits nothing', () => {
    const { clock, runtime, take } = start();
    runtime.recordActivity(T0);
    clock.set(T0 + 10 * HOUR_MS);
    runtime.recordActivity(T0 + 10 * HOUR_MS);
    runtime.recordActivity(T0 + 5 * HOUR_MS);
    clock.set(T0 + 10 * HOUR_MS + W - 1);
    expect(runtime.status()).toBe('Active');
    clock.set(T0 + 10 * HOUR_MS + W);
    clock.set(T0 + 10 * HOUR_MS + 2 * W);
    runtime.recordActivity(T0 + 20 * HOUR_MS);
    const activities = [T0, T0 + 10 * HOUR_MS, T0 + 5 * HOUR_MS, T0 + 20 * HOUR_MS];
    expect([runtime.status(), tagStatusAt(activities, clock.now())]).toEqual([
      'Inactive',
      'Inactive',
    ]);
    expect(take()).toEqual([
      'tag Unverified->Active @0 (0)',
      'tag Active->Inactive @122400000 (122400000)',
    ]);
  });

  it('D1a: a first activity already older than 24 h passes through Active to Inactive, both reported at once; the goal, attached at T0, changes once, at T0 (decisions 10, 17)', () => {
    const { runtime, take } = start({ goals: tagBased });
    runtime.recordActivity(T0 - 3 * W);
    expect([runtime.status(), runtime.goalStatus('signup')]).toEqual(['Inactive', 'TagInactive']);
    expect(take()).toEqual([
      'tag Unverified->Active @-259200000 (0)',
      'tag Active->Inactive @-172800000 (0)',
      'signup TagUnverified->TagInactive @0 (0)',
    ]);
  });

  it('D2: a duplicate activity or conversion changes nothing', () => {
    const { clock, runtime, take } = start({ goals: tagBased });
    runtime.recordActivity(T0);
    runtime.recordConversion('signup', T0);
    take();
    const snapshot = () => ({
      tag: runtime.actor.getSnapshot().context,
      goal: runtime.actor.getSnapshot().children.signup?.getSnapshot().context,
    });
    const before = snapshot();
    runtime.recordActivity(T0);
    runtime.recordConversion('signup', T0);
    expect(snapshot()).toEqual(before);
    clock.set(T0 + W);
    take();
    runtime.recordActivity(T0);
    expect([runtime.status(), take()]).toEqual(['Inactive', []]);
  });

  it('D3: an activity stamped later than the allowed skew (default 5 min) is rejected and changes nothing', () => {
    expect(DEFAULT_ALLOWED_SKEW_MS).toBe(300_000);
    const { runtime, take } = start();
    expect(() => runtime.recordActivity(T0 + 300_001)).toThrow(
      expect.objectContaining({ code: 'futureTime', field: 'at', value: T0 + 300_001 }),
    );
    expect([runtime.status(), take()]).toEqual(['Unverified', []]);
    runtime.recordActivity(T0 + 300_000);
    expect(take()).toEqual(['tag Unverified->Active @300000 (0)']);
    const strict = start({ allowedSkewMs: 0 });
    expect(() => strict.runtime.recordActivity(T0 + 1)).toThrow(TrackingInputError);
    expect(strict.runtime.status()).toBe('Unverified');
  });

  it('D4: bad times, ids, goal types and unknown goals get a typed error naming the field; the rest of a batch is kept', () => {
    const { runtime, take } = start({ goals: tagBased });
    const batch: (() => void)[] = [
      () => runtime.recordActivity(T0),
      () => runtime.recordActivity(Number.NaN),
      () => runtime.recordConversion('nope', T0),
      () => runtime.attachGoal({ goalId: '', goalType: 'Url' }),
      () => runtime.attachGoal({ goalId: 'x', goalType: 'url' as never }),
      () => runtime.recordActivity(-1),
      () => runtime.recordConversion('signup', T0),
    ];
    const errors: string[] = [];
    for (const input of batch) {
      try {
        input();
      } catch (error) {
        if (!(error instanceof TrackingInputError)) throw error;
        errors.push(`${error.code} ${error.field} ${String(error.value)}`);
      }
    }
    expect(errors).toEqual([
      'invalidTime at NaN',
      'unknownGoal goalId nope',
      'invalidId goalId ',
      'unknownGoalType goalType url',
      'invalidTime at -1',
    ]);
    expect(take()).toEqual([
      'tag Unverified->Active @0 (0)',
      'signup TagUnverified->NoRecentConversions @0 (0)',
      'signup NoRecentConversions->RecordingConversions @0 (0)',
    ]);
  });

  it('D5: changes carry the effective time (activity, last + 24 h, last conversion + 7 d) and the time they were noticed', () => {
    const { clock, runtime, take } = start({ goals: [{ goalId: 'app', goalType: 'AppInstall' }] });
    clock.set(T0 + HOUR_MS);
    runtime.recordActivity(T0);
    runtime.recordConversion('app', T0);
    clock.set(T0 + 3 * W);
    runtime.recordActivity(T0 + 3 * W - 2 * HOUR_MS);
    clock.set(T0 + 10 * W);
    expect(take()).toEqual([
      'tag Unverified->Active @0 (3600000)',
      'app NoRecentConversions->RecordingConversions @0 (3600000)',
      'tag Active->Inactive @86400000 (259200000)',
      'tag Inactive->Active @252000000 (259200000)',
      'tag Active->Inactive @338400000 (864000000)',
      'app RecordingConversions->NoRecentConversions @604800000 (864000000)',
    ]);
  });

  it('D6: when the wall clock steps back, the processor time stays, statuses stay, and the silence fires once the clock is past its time again', () => {
    const clock = new SteppingClock(T0);
    const changes: StatusChange[] = [];
    const runtime = createTagRuntime({ tagId: 't', clock, onStatusChange: (c) => changes.push(c) });
    runtime.recordActivity(T0);
    clock.stepWall(-HOUR_MS);
    expect(runtime.now()).toBe(T0);
    clock.advance(W);
    expect([runtime.status(), runtime.now()]).toEqual(['Active', T0 + W - HOUR_MS]);
    clock.advance(HOUR_MS - 1);
    expect(runtime.status()).toBe('Active');
    clock.advance(1);
    expect(runtime.status()).toBe('Inactive');
    clock.stepWall(-2 * HOUR_MS);
    expect([runtime.status(), runtime.now()]).toEqual(['Inactive', T0 + W]);
    // Data stamped by the stepped-back clock is judged at the processor's time, and its
    // change takes effect no earlier than the Inactive it ends.
    runtime.recordActivity(clock.now());
    expect(runtime.status()).toBe('Active');
    const tag = { kind: 'tag', tagId: 't' } as const;
    expect(changes).toEqual([
      { ...tag, from: 'Unverified', to: 'Active', effectiveAt: T0, noticedAt: T0 },
      { ...tag, from: 'Active', to: 'Inactive', effectiveAt: T0 + W, noticedAt: T0 + W },
      { ...tag, from: 'Inactive', to: 'Active', effectiveAt: T0 + W, noticedAt: T0 + W },
    ]);
    runtime.stop();
  });
});
