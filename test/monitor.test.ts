import { describe, expect, it } from 'vitest';
import { createTagMonitor, type TagMonitorOptions } from '../packages/uet-tag-status/src/index.js';
import { MonitorStoreError } from '../packages/uet-tag-status/src/monitor/MonitorStoreError.js';
import type {
  MonitorInput,
  MonitorStatusChange,
} from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import type { RuntimeClock } from '../packages/uet-tag-status/src/runtime/clock.js';
import { TrackingInputError } from '../packages/uet-tag-status/src/TrackingInputError.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';
import { SteppingClock, simulatedClockAt } from './support/testClocks.js';

const T0 = Date.UTC(2025, 0, 1);
const WEEK_MS = 7 * DAY_MS;

function setup(options: Omit<TagMonitorOptions, 'clock'> = {}) {
  const clock = simulatedClockAt(T0);
  const changes: MonitorStatusChange[] = [];
  const monitor = createTagMonitor({ ...options, clock, onStatusChange: (c) => changes.push(c) });
  return { clock, monitor, changes };
}

/**
 * A test clock whose timers run only when told, one at a time, so that a test sees what
 * happens between them (as the host's event loop would).
 */
class QueuedClock implements RuntimeClock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; delay: number; fn: () => void }>();

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, delay: number): unknown {
    const id = this.nextId;
    this.nextId += 1;
    this.timers.set(id, { due: this.time + delay, delay, fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  /** Moves the time without running any timer. */
  set(time: number): void {
    this.time = time;
  }

  /** The delay the earliest pending timer was set with. */
  nextDelay(): number | undefined {
    return this.earliest()?.[1].delay;
  }

  /** Runs the earliest pending timer, which must be due. */
  fireNext(): void {
    const [id, timer] = this.earliest() ?? [];
    if (id === undefined || timer === undefined || timer.due > this.time) {
      throw new Error('no timer is due');
    }
    this.timers.delete(id);
    timer.fn();
  }

  private earliest() {
    return [...this.timers].sort(([, a], [, b]) => a.due - b.due)[0];
  }
}

/** Changes without their sequence numbers, for readable expectations. */
function plain(changes: readonly MonitorStatusChange[]) {
  return changes.map(({ seq: _seq, ...change }) => change);
}

describe('createTagMonitor', () => {
  it('R1 a registered tag is Unverified and its tag-based goal TagUnverified, with no change reported', () => {
    const { monitor, changes } = setup();
    monitor.registerTag('tag-1', { goals: [{ goalId: 'signup', goalType: 'Url' }] });
    expect(monitor.status('tag-1')).toEqual({
      tagId: 'tag-1',
      status: 'Unverified',
      since: undefined,
      lastDataAt: undefined,
      tagAvailable: true,
      goals: [
        {
          goalId: 'signup',
          goalType: 'Url',
          status: 'TagUnverified',
          since: undefined,
          lastConversionAt: undefined,
        },
      ],
    });
    expect(changes).toEqual([]);
  });

  it('R2 D5 the first activity makes the tag Active, effective at the activity, noticed at the monitor time', () => {
    const { clock, monitor, changes } = setup();
    monitor.registerTag('tag-1', { goals: [{ goalId: 'signup', goalType: 'Url' }] });
    clock.increment(5_000);
    monitor.recordActivity('tag-1', T0 + 1_000);
    expect(plain(changes)).toEqual([
      {
        kind: 'tag',
        tagId: 'tag-1',
        from: 'Unverified',
        to: 'Active',
        effectiveAt: T0 + 1_000,
        noticedAt: T0 + 5_000,
      },
      {
        kind: 'goal',
        tagId: 'tag-1',
        goalId: 'signup',
        from: 'TagUnverified',
        to: 'NoRecentConversions',
        effectiveAt: T0 + 1_000,
        noticedAt: T0 + 5_000,
      },
    ]);
    expect(changes.map((change) => change.seq)).toEqual([1, 2]);
  });

  it('R3 R4 T4 activity restarts the 24 h silence; Inactive exactly at last activity + 24 h', () => {
    const { clock, monitor, changes } = setup();
    monitor.registerTag('tag-1');
    monitor.recordActivity('tag-1', T0);
    clock.increment(DAY_MS / 2);
    monitor.recordActivity('tag-1', T0 + DAY_MS / 2);
    clock.increment(DAY_MS - 1);
    expect(monitor.status('tag-1').status).toBe('Active');
    clock.increment(1);
    expect(monitor.status('tag-1').status).toBe('Inactive');
    expect(plain(changes).at(-1)).toEqual({
      kind: 'tag',
      tagId: 'tag-1',
      from: 'Active',
      to: 'Inactive',
      effectiveAt: T0 + DAY_MS / 2 + DAY_MS,
      noticedAt: T0 + DAY_MS / 2 + DAY_MS,
    });
    expect(changes).toHaveLength(2);
  });

  it('R5 activity while Inactive makes the tag Active again', () => {
    const { clock, monitor, changes } = setup();
    monitor.registerTag('tag-1');
    monitor.recordActivity('tag-1', T0);
    clock.increment(3 * DAY_MS);
    monitor.recordActivity('tag-1', T0 + 3 * DAY_MS);
    expect(plain(changes).map(({ from, to, effectiveAt }) => [from, to, effectiveAt])).toEqual([
      ['Unverified', 'Active', T0],
      ['Active', 'Inactive', T0 + DAY_MS],
      ['Inactive', 'Active', T0 + 3 * DAY_MS],
    ]);
  });

  it('G3 G6 a conversion through the tag is activity, and the goal lapses at last conversion + 7 days', () => {
    const { clock, monitor, changes } = setup();
    monitor.registerTag('tag-1', { goals: [{ goalId: 'install', goalType: 'AppInstall' }] });
    monitor.attachGoal('tag-1', { goalId: 'signup', goalType: 'Url' });
    monitor.recordConversion('tag-1', 'signup', T0);
    expect(monitor.status('tag-1').status).toBe('Active');
    monitor.recordConversion('tag-1', 'install', T0);
    for (let day = 1; day <= 7; day++) {
      clock.increment(DAY_MS);
      monitor.recordActivity('tag-1', clock.now());
    }
    expect(monitor.goalsInStatus('NoRecentConversions')).toEqual([
      { tagId: 'tag-1', goalId: 'install' },
      { tagId: 'tag-1', goalId: 'signup' },
    ]);
    expect(
      plain(changes)
        .filter((change) => change.kind === 'goal' && change.to === 'NoRecentConversions')
        .map((change) => change.effectiveAt),
    ).toEqual([T0 + WEEK_MS, T0 + WEEK_MS]);
  });

  it('G4 access lost makes tag-based goals InactiveDueToTagUnavailable; restored brings G3 back', () => {
    const { monitor } = setup();
    monitor.registerTag('tag-1', {
      goals: [
        { goalId: 'signup', goalType: 'Url' },
        { goalId: 'offline', goalType: 'OfflineConversion' },
      ],
    });
    monitor.recordActivity('tag-1', T0);
    monitor.loseTagAccess('tag-1');
    expect(monitor.status('tag-1').goals.map((goal) => goal.status)).toEqual([
      'InactiveDueToTagUnavailable',
      'NoRecentConversions',
    ]);
    expect(monitor.status('tag-1').tagAvailable).toBe(false);
    monitor.restoreTagAccess('tag-1');
    expect(monitor.status('tag-1').goals.map((goal) => goal.status)).toEqual([
      'NoRecentConversions',
      'NoRecentConversions',
    ]);
  });

  it('D1 a late activity never moves the latest time back and emits nothing', () => {
    const { clock, monitor, changes } = setup();
    monitor.registerTag('tag-1');
    clock.increment(DAY_MS / 2);
    monitor.recordActivity('tag-1', T0 + DAY_MS / 2);
    monitor.recordActivity('tag-1', T0 + 1_000);
    expect(monitor.status('tag-1').lastDataAt).toBe(T0 + DAY_MS / 2);
    expect(changes).toHaveLength(1);
    clock.increment(DAY_MS);
    expect(changes.at(-1)?.effectiveAt).toBe(T0 + DAY_MS / 2 + DAY_MS);
  });

  it('D1a a first activity older than 24 h reports Active then Inactive at once, with effective times', () => {
    const { clock, monitor, changes } = setup();
    monitor.registerTag('tag-1');
    clock.increment(3 * DAY_MS);
    const result = monitor.apply([{ kind: 'activity', tagId: 'tag-1', at: T0 }]);
    expect(
      plain(result.changes).map(({ from, to, effectiveAt, noticedAt }) => [
        from,
        to,
        effectiveAt,
        noticedAt,
      ]),
    ).toEqual([
      ['Unverified', 'Active', T0, T0 + 3 * DAY_MS],
      ['Active', 'Inactive', T0 + DAY_MS, T0 + 3 * DAY_MS],
    ]);
    expect(changes).toEqual(result.changes);
  });

  it('D2 a duplicate activity changes nothing', () => {
    const { monitor, changes } = setup();
    monitor.registerTag('tag-1');
    monitor.recordActivity('tag-1', T0);
    const before = monitor.status('tag-1');
    monitor.recordActivity('tag-1', T0);
    expect(monitor.status('tag-1')).toEqual(before);
    expect(changes).toHaveLength(1);
  });

  it('D3 activity beyond the allowed skew is rejected; within it, accepted', () => {
    const { monitor } = setup({ allowedSkewMs: 1_000 });
    monitor.registerTag('tag-1');
    expect(() => monitor.recordActivity('tag-1', T0 + 1_001)).toThrowError(
      expect.objectContaining({ code: 'futureTime', field: 'at', value: T0 + 1_001 }),
    );
    expect(monitor.status('tag-1').status).toBe('Unverified');
    monitor.recordActivity('tag-1', T0 + 1_000);
    expect(monitor.status('tag-1').status).toBe('Active');
  });

  const badInputs: ReadonlyArray<{
    name: string;
    act: (monitor: ReturnType<typeof setup>['monitor']) => void;
    code: string;
    field: string;
  }> = [
    {
      name: 'a negative time',
      act: (m) => m.recordActivity('tag-1', -1),
      code: 'invalidTime',
      field: 'at',
    },
    {
      name: 'a fractional time',
      act: (m) => m.recordActivity('tag-1', T0 + 0.5),
      code: 'invalidTime',
      field: 'at',
    },
    {
      name: 'NaN as time',
      act: (m) => m.recordActivity('tag-1', Number.NaN),
      code: 'invalidTime',
      field: 'at',
    },
    {
      name: 'an empty tag id',
      act: (m) => m.recordActivity('', T0),
      code: 'invalidId',
      field: 'tagId',
    },
    {
      name: 'a tag id with spaces',
      act: (m) => m.registerTag('tag 2'),
      code: 'invalidId',
      field: 'tagId',
    },
    {
      name: 'an unknown tag',
      act: (m) => m.recordActivity('tag-9', T0),
      code: 'unknownTag',
      field: 'tagId',
    },
    {
      name: 'a tag registered twice',
      act: (m) => m.registerTag('tag-1'),
      code: 'duplicateTag',
      field: 'tagId',
    },
    {
      name: 'a conversion for an unknown goal',
      act: (m) => m.recordConversion('tag-1', 'nope', T0),
      code: 'unknownGoal',
      field: 'goalId',
    },
    {
      name: 'an unknown goal type',
      act: (m) => m.attachGoal('tag-1', { goalId: 'g2', goalType: 'Click' as never }),
      code: 'unknownGoalType',
      field: 'goalType',
    },
    {
      name: 'a goal attached twice',
      act: (m) => m.attachGoal('tag-1', { goalId: 'signup', goalType: 'Url' }),
      code: 'duplicateGoal',
      field: 'goalId',
    },
    {
      name: 'detaching an unknown goal',
      act: (m) => m.detachGoal('tag-1', 'nope'),
      code: 'unknownGoal',
      field: 'goalId',
    },
    {
      name: 'a tag status that does not exist',
      act: (m) => m.tagsInStatus('Paused' as never),
      code: 'invalidInput',
      field: 'status',
    },
  ];

  for (const bad of badInputs) {
    it(`D4 rejects ${bad.name} with a typed error naming ${bad.field}, and nothing changes`, () => {
      const { monitor, changes } = setup();
      monitor.registerTag('tag-1', { goals: [{ goalId: 'signup', goalType: 'Url' }] });
      const before = [...monitor.statuses()];
      let caught: unknown;
      try {
        bad.act(monitor);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TrackingInputError);
      expect(caught).toMatchObject({ code: bad.code, field: bad.field });
      expect([...monitor.statuses()]).toEqual(before);
      expect(changes).toEqual([]);
    });
  }

  it('D4 a batch applies the good inputs and reports each bad one with its index and reason', () => {
    const { monitor } = setup();
    const inputs = [
      { kind: 'registerTag', tagId: 'tag-1', goals: [{ goalId: 'signup', goalType: 'Url' }] },
      { kind: 'activity', tagId: 'tag-1', at: -5 },
      { kind: 'registerTag', tagId: 'tag-2' },
      { kind: 'conversion', tagId: 'tag-1', goalId: 'signup', at: T0 },
      { kind: 'activity', tagId: 'tag-3', at: T0 },
      { kind: 'teleport', tagId: 'tag-1' },
      { kind: 'activity', tagId: 'tag-2', at: T0 },
    ] as unknown as MonitorInput[];
    const result = monitor.apply(inputs);
    expect(result.applied).toBe(4);
    expect(result.rejected.map(({ index, error }) => [index, error.code, error.field])).toEqual([
      [1, 'invalidTime', 'at'],
      [4, 'unknownTag', 'tagId'],
      [5, 'invalidInput', 'kind'],
    ]);
    expect(monitor.tagsInStatus('Active')).toEqual(['tag-1', 'tag-2']);
    expect(monitor.status('tag-1').goals[0]?.status).toBe('RecordingConversions');
  });

  it('D6 the wall clock stepping back keeps reached statuses; a silence fires when the clock passes it again', () => {
    const clock = new SteppingClock(T0);
    const changes: MonitorStatusChange[] = [];
    const monitor = createTagMonitor({ clock, onStatusChange: (c) => changes.push(c) });
    monitor.apply([
      { kind: 'registerTag', tagId: 'a' },
      { kind: 'registerTag', tagId: 'b' },
      { kind: 'activity', tagId: 'a', at: T0 },
    ]);
    clock.advance(DAY_MS);
    monitor.recordActivity('b', T0 + DAY_MS);
    clock.stepWall(-2 * 3_600_000);
    expect(monitor.now()).toBe(T0 + DAY_MS);
    expect(monitor.status('a').status).toBe('Inactive');
    monitor.recordActivity('b', clock.now());
    expect(monitor.status('b').lastDataAt).toBe(T0 + DAY_MS);
    clock.advance(DAY_MS + 2 * 3_600_000 - 1);
    expect(monitor.status('b').status).toBe('Active');
    clock.advance(1);
    expect(plain(changes)).toEqual([
      { kind: 'tag', tagId: 'a', from: 'Unverified', to: 'Active', effectiveAt: T0, noticedAt: T0 },
      {
        kind: 'tag',
        tagId: 'a',
        from: 'Active',
        to: 'Inactive',
        effectiveAt: T0 + DAY_MS,
        noticedAt: T0 + DAY_MS,
      },
      {
        kind: 'tag',
        tagId: 'b',
        from: 'Unverified',
        to: 'Active',
        effectiveAt: T0 + DAY_MS,
        noticedAt: T0 + DAY_MS,
      },
      {
        kind: 'tag',
        tagId: 'b',
        from: 'Active',
        to: 'Inactive',
        effectiveAt: T0 + 2 * DAY_MS,
        noticedAt: T0 + 2 * DAY_MS,
      },
    ]);
  });

  it('fires the silences of 20,000 tags falling due at once, each once, in effective-time order', () => {
    const { clock, monitor, changes } = setup();
    const count = 20_000;
    const inputs: MonitorInput[] = [];
    for (let index = 0; index < count; index++) {
      inputs.push({ kind: 'registerTag', tagId: `tag-${index}` });
      inputs.push({
        kind: 'activity',
        tagId: `tag-${index}`,
        at: T0 - ((index * 7919) % 3_600_000),
      });
    }
    expect(monitor.apply(inputs).rejected).toEqual([]);
    changes.length = 0;
    clock.increment(DAY_MS + 1);
    expect(changes).toHaveLength(count);
    expect(new Set(changes.map((change) => change.tagId)).size).toBe(count);
    for (let index = 1; index < count; index++) {
      const previous = changes[index - 1] as MonitorStatusChange;
      const current = changes[index] as MonitorStatusChange;
      if (current.effectiveAt < previous.effectiveAt) {
        throw new Error(`change ${index} took effect before change ${index - 1}`);
      }
    }
    expect(monitor.tagsInStatus('Inactive')).toHaveLength(count);
  });

  it('R4 with silencesPerTimer, a storm is applied a slice per timer callback, each silence once, in effective-time order; a call applies the rest first', () => {
    const clock = new QueuedClock(T0);
    const changes: MonitorStatusChange[] = [];
    const monitor = createTagMonitor({
      clock,
      silencesPerTimer: 5_000,
      onStatusChange: (change) => changes.push(change),
    });
    const count = 16_000;
    const inputs: MonitorInput[] = [];
    for (let index = 0; index < count; index++) {
      inputs.push(
        { kind: 'registerTag', tagId: `tag-${index}` },
        { kind: 'activity', tagId: `tag-${index}`, at: T0 - (index % 1_000) },
      );
    }
    monitor.apply(inputs);
    changes.length = 0;
    clock.set(T0 + DAY_MS);
    const perCallback: number[] = [];
    for (const delay of [DAY_MS - 999, 0, 0]) {
      expect(clock.nextDelay()).toBe(delay);
      clock.fireNext();
      perCallback.push(changes.length - perCallback.reduce((sum, n) => sum + n, 0));
    }
    expect(perCallback).toEqual([5_000, 5_000, 5_000]);
    expect(monitor.tagsInStatus('Inactive')).toHaveLength(15_000);
    monitor.recordActivity('tag-0', T0 + DAY_MS);
    expect(changes).toHaveLength(count + 1);
    expect(new Set(changes.slice(0, count).map((change) => change.tagId)).size).toBe(count);
    const effective = changes.slice(0, count).map((change) => change.effectiveAt);
    expect(effective).toEqual([...effective].sort((a, b) => a - b));
    expect(changes.at(-1)).toMatchObject({ tagId: 'tag-0', from: 'Inactive', to: 'Active' });
    expect(clock.nextDelay()).toBe(DAY_MS);
    monitor.close();
  });

  it('D6 with silencesPerTimer, the slices of a storm follow at once even if the wall clock steps back during it', () => {
    const clock = new SteppingClock(T0);
    let stepped = false;
    const changes: MonitorStatusChange[] = [];
    const monitor = createTagMonitor({
      clock,
      silencesPerTimer: 10,
      onStatusChange: (change) => {
        changes.push(change);
        if (stepped || change.to !== 'Inactive') return;
        stepped = true;
        clock.stepWall(-3_600_000);
      },
    });
    const inputs: MonitorInput[] = [];
    for (let index = 0; index < 25; index++) {
      inputs.push(
        { kind: 'registerTag', tagId: `tag-${index}` },
        { kind: 'activity', tagId: `tag-${index}`, at: T0 },
      );
    }
    monitor.apply(inputs);
    clock.advance(DAY_MS);
    expect(stepped).toBe(true);
    expect(monitor.tagsInStatus('Inactive')).toHaveLength(25);
    expect(changes.filter((change) => change.to === 'Inactive')).toHaveLength(25);
    monitor.close();
  });

  it('keeps a silence exact when activity took the fast path: its early heap key is corrected, no change reported', () => {
    const { clock, monitor, changes } = setup();
    monitor.registerTag('tag-1');
    monitor.recordActivity('tag-1', T0);
    for (let hour = 1; hour <= 30; hour++) {
      clock.increment(3_600_000);
      monitor.recordActivity('tag-1', clock.now());
    }
    expect(changes).toHaveLength(1);
    clock.increment(DAY_MS);
    expect(plain(changes).at(-1)).toMatchObject({
      to: 'Inactive',
      effectiveAt: T0 + 30 * 3_600_000 + DAY_MS,
    });
    expect(changes).toHaveLength(2);
  });

  it('R3 R4 D1 activity held back (it changes no status) is all in the next answer: 5,000 hits in and out of order, more than one buffer full', () => {
    const { clock, monitor, changes } = setup();
    monitor.apply([
      { kind: 'registerTag', tagId: 'a' },
      { kind: 'registerTag', tagId: 'b' },
      { kind: 'activity', tagId: 'a', at: T0 },
      { kind: 'activity', tagId: 'b', at: T0 },
    ]);
    clock.increment(3_600_000);
    const latest = { a: T0, b: T0 };
    for (let hit = 0; hit < 5_000; hit++) {
      const tagId = hit % 3 === 0 ? 'b' : 'a';
      const at = T0 + ((hit * 7_919) % 3_600_000);
      monitor.recordActivity(tagId, at);
      latest[tagId] = Math.max(latest[tagId], at);
    }
    expect(latest.a).toBeGreaterThan(latest.b);
    expect([...monitor.statuses()].map(({ tagId, lastDataAt }) => [tagId, lastDataAt])).toEqual([
      ['a', latest.a],
      ['b', latest.b],
    ]);
    expect(changes).toHaveLength(2);
    clock.set(latest.b + DAY_MS);
    expect(plain(changes).slice(2)).toEqual([
      {
        kind: 'tag',
        tagId: 'b',
        from: 'Active',
        to: 'Inactive',
        effectiveAt: latest.b + DAY_MS,
        noticedAt: latest.b + DAY_MS,
      },
    ]);
  });

  it('R1 R2 a batch applies held activity before the inputs after it: a removed and registered-again tag starts fresh', () => {
    const { clock, monitor, changes } = setup();
    monitor.apply([
      { kind: 'registerTag', tagId: 'a' },
      { kind: 'activity', tagId: 'a', at: T0 },
    ]);
    clock.increment(60_000);
    monitor.recordActivity('a', T0 + 30_000);
    const result = monitor.apply([
      { kind: 'activity', tagId: 'a', at: T0 + 40_000 },
      { kind: 'removeTag', tagId: 'a' },
      { kind: 'registerTag', tagId: 'a' },
      { kind: 'activity', tagId: 'a', at: T0 + 50_000 },
      { kind: 'activity', tagId: 'a', at: T0 + 20_000 },
    ]);
    expect(result.rejected).toEqual([]);
    expect(monitor.status('a')).toMatchObject({
      status: 'Active',
      since: T0 + 50_000,
      lastDataAt: T0 + 50_000,
    });
    expect(plain(changes).map(({ from, to, effectiveAt }) => [from, to, effectiveAt])).toEqual([
      ['Unverified', 'Active', T0],
      ['Unverified', 'Active', T0 + 50_000],
    ]);
  });

  it('R1 R2 held activity of a removed tag never lands on the tag that takes its number', () => {
    const { clock, monitor } = setup();
    monitor.registerTag('a');
    monitor.recordActivity('a', T0);
    clock.increment(60_000);
    monitor.recordActivity('a', T0 + 30_000);
    monitor.removeTag('a');
    monitor.registerTag('b');
    monitor.recordActivity('b', T0 + 40_000);
    expect([...monitor.statuses()]).toMatchObject([
      { tagId: 'b', status: 'Active', since: T0 + 40_000, lastDataAt: T0 + 40_000 },
    ]);
  });

  it('answers queries: size, all statuses, tags in a status', () => {
    const { monitor } = setup();
    monitor.apply([
      { kind: 'registerTag', tagId: 'a' },
      { kind: 'registerTag', tagId: 'b' },
      { kind: 'registerTag', tagId: 'c' },
      { kind: 'activity', tagId: 'b', at: T0 },
    ]);
    expect(monitor.size).toBe(3);
    expect([...monitor.statuses()].map(({ tagId, status }) => [tagId, status])).toEqual([
      ['a', 'Unverified'],
      ['b', 'Active'],
      ['c', 'Unverified'],
    ]);
    expect(monitor.tagsInStatus('Unverified')).toEqual(['a', 'c']);
    expect(monitor.tagsInStatus('Inactive')).toEqual([]);
  });

  it('keeps a bounded history per tag, oldest first, goals included', () => {
    const { clock, monitor } = setup({ historyLimit: 3 });
    monitor.registerTag('tag-1', { goals: [{ goalId: 'signup', goalType: 'Url' }] });
    monitor.recordActivity('tag-1', T0);
    clock.increment(DAY_MS);
    expect(monitor.history('tag-1').map(({ seq, kind, to }) => [seq, kind, to])).toEqual([
      [2, 'goal', 'NoRecentConversions'],
      [3, 'tag', 'Inactive'],
      [4, 'goal', 'TagInactive'],
    ]);
  });

  it('removes a tag with its history; the id can be registered again and starts fresh', () => {
    const { clock, monitor } = setup();
    monitor.apply([
      { kind: 'registerTag', tagId: 'a' },
      { kind: 'registerTag', tagId: 'b' },
      { kind: 'activity', tagId: 'a', at: T0 },
      { kind: 'activity', tagId: 'b', at: T0 },
    ]);
    monitor.removeTag('a');
    expect(() => monitor.status('a')).toThrowError(expect.objectContaining({ code: 'unknownTag' }));
    monitor.registerTag('c');
    monitor.registerTag('a');
    expect(monitor.status('a')).toMatchObject({ status: 'Unverified', lastDataAt: undefined });
    expect(monitor.history('a')).toEqual([]);
    clock.increment(2 * DAY_MS);
    expect(monitor.tagsInStatus('Unverified').sort()).toEqual(['a', 'c']);
    expect(monitor.tagsInStatus('Inactive')).toEqual(['b']);
  });

  it('tells every subscriber; a listener that throws goes to onError and the others still hear', () => {
    const clock = simulatedClockAt(T0);
    const errors: unknown[] = [];
    const monitor = createTagMonitor({ clock, onError: (error) => errors.push(error) });
    const heard: string[] = [];
    monitor.subscribe(() => {
      throw new Error('listener broke');
    });
    const unsubscribe = monitor.subscribe((change) => heard.push(`${change.tagId}:${change.to}`));
    monitor.registerTag('tag-1');
    monitor.recordActivity('tag-1', T0);
    unsubscribe();
    clock.increment(DAY_MS);
    expect(heard).toEqual(['tag-1:Active']);
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'listener broke',
      'listener broke',
    ]);
  });

  it('refuses every call after close with code closed', () => {
    const { monitor } = setup();
    monitor.registerTag('tag-1');
    monitor.close();
    expect(() => monitor.recordActivity('tag-1', T0)).toThrowError(MonitorStoreError);
    expect(() => monitor.registerTag('tag-2')).toThrowError(
      expect.objectContaining({ code: 'closed' }),
    );
  });

  it('rejects bad options with invalidOption', () => {
    expect(() => createTagMonitor({ historyLimit: -1 })).toThrowError(
      expect.objectContaining({ code: 'invalidOption', field: 'historyLimit' }),
    );
    expect(() => createTagMonitor({ allowedSkewMs: 1.5 })).toThrowError(
      expect.objectContaining({ code: 'invalidOption', field: 'allowedSkewMs' }),
    );
    for (const silencesPerTimer of [0, 2.5, Number.NaN]) {
      expect(() => createTagMonitor({ silencesPerTimer })).toThrowError(
        expect.objectContaining({ code: 'invalidOption', field: 'silencesPerTimer' }),
      );
    }
    expect(() => createTagMonitor({ windows: { activityWindowMs: 0 } })).toThrowError(
      expect.objectContaining({ code: 'invalidOption', field: 'activityWindowMs' }),
    );
  });
});
