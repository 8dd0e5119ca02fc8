import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  createTagRuntime,
  type GoalDefinition,
  type TagRuntime,
  type TagRuntimeOptions,
} from '../packages/uet-tag-status/src/runtime/createTagRuntime.js';
import type { StatusChange } from '../packages/uet-tag-status/src/runtime/statusChange.js';
import {
  TrackingInputError,
  type TrackingInputErrorCode,
} from '../packages/uet-tag-status/src/TrackingInputError.js';
import {
  assertEpochMs,
  assertGoalType,
  assertId,
  assertNotInFuture,
  assertSkew,
} from '../packages/uet-tag-status/src/validation.js';
import { DAY_MS, MAX_TIME_MS, resolveWindows } from '../packages/uet-tag-status/src/windows.js';
import { simulatedClockAt } from './support/testClocks.js';

/* SPEC D3, D4: every bad input gets a TrackingInputError naming code, field and value,
 * and changes nothing: not the tag, not its goals, not the reported changes. */

const T0 = 30 * DAY_MS;

/** A runtime with some history: Active, a Recording tag-based goal, a tagless goal. */
function busyRuntime() {
  const clock = simulatedClockAt(T0);
  const runtime = createTagRuntime({
    tagId: 'tag',
    clock,
    goals: [
      { goalId: 'signup', goalType: 'Url' },
      { goalId: 'app', goalType: 'AppInstall' },
    ],
  });
  runtime.recordActivity(T0 - DAY_MS / 2);
  runtime.recordConversion('signup', T0 - 1);
  const changes: StatusChange[] = [];
  runtime.onStatusChange((change) => changes.push(change));
  return { runtime, changes };
}

/** Everything the actor holds: the tag's value and context, each goal's value and context. */
function stateOf(runtime: TagRuntime) {
  const snapshot = runtime.actor.getSnapshot();
  return {
    value: snapshot.value,
    context: snapshot.context,
    goals: Object.fromEntries(
      Object.entries(snapshot.children).map(([goalId, child]) => {
        const goal = child?.getSnapshot();
        return [goalId, { value: goal?.value, context: goal?.context }];
      }),
    ),
  };
}

interface BadInputCase {
  readonly name: string;
  readonly input: (runtime: TagRuntime) => void;
  readonly code: TrackingInputErrorCode;
  readonly field: string;
  readonly value: unknown;
}

const badTimes: readonly [string, unknown][] = [
  ['a fraction', 1.5],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['a negative time', -1],
  ['a time beyond 2^53', 2 ** 53],
  ['a numeric string', '1700000000000'],
  ['null', null],
  ['undefined', undefined],
  ['a Date', new Date(T0)],
];

const badIds: readonly [string, unknown][] = [
  ['an empty id', ''],
  ['a blank id', ' '],
  ['an id with a space', 'sign up'],
  ['an id with a tab', 'sign\tup'],
  ['an id with a control character', 'sign\u0000up'],
  ['an id longer than 256 characters', 'x'.repeat(257)],
  ['a number', 42],
  ['null', null],
];

const badGoalTypes: readonly [string, unknown][] = [
  ['lower case', 'url'],
  ['upper case', 'URL'],
  ['a leading space', ' Url'],
  ['a trailing space', 'Url '],
  ['another API value', 'Unverified'],
  ['a number', 1],
  ['undefined', undefined],
];

const cases: readonly BadInputCase[] = [
  ...badTimes.flatMap(([name, value]): BadInputCase[] => [
    {
      name: `recordActivity: ${name}`,
      input: (runtime) => runtime.recordActivity(value as number),
      code: 'invalidTime',
      field: 'at',
      value,
    },
    {
      name: `recordConversion: ${name}`,
      input: (runtime) => runtime.recordConversion('signup', value as number),
      code: 'invalidTime',
      field: 'at',
      value,
    },
  ]),
  {
    name: 'recordActivity: beyond the allowed skew',
    input: (runtime) => runtime.recordActivity(T0 + 300_001),
    code: 'futureTime',
    field: 'at',
    value: T0 + 300_001,
  },
  {
    name: 'recordConversion: beyond the allowed skew',
    input: (runtime) => runtime.recordConversion('app', T0 + 300_001),
    code: 'futureTime',
    field: 'at',
    value: T0 + 300_001,
  },
  ...badIds.flatMap(([name, value]): BadInputCase[] => [
    {
      name: `recordConversion: ${name}`,
      input: (runtime) => runtime.recordConversion(value as string, T0),
      code: 'invalidId',
      field: 'goalId',
      value,
    },
    {
      name: `attachGoal: ${name}`,
      input: (runtime) => runtime.attachGoal({ goalId: value as string, goalType: 'Url' }),
      code: 'invalidId',
      field: 'goalId',
      value,
    },
    {
      name: `detachGoal: ${name}`,
      input: (runtime) => runtime.detachGoal(value as string),
      code: 'invalidId',
      field: 'goalId',
      value,
    },
  ]),
  ...badGoalTypes.map(
    ([name, value]): BadInputCase => ({
      name: `attachGoal: goal type in ${name}`,
      input: (runtime) => runtime.attachGoal({ goalId: 'new', goalType: value as 'Url' }),
      code: 'unknownGoalType',
      field: 'goalType',
      value,
    }),
  ),
  {
    name: 'recordConversion: a goal that is not attached',
    input: (runtime) => runtime.recordConversion('ghost', T0),
    code: 'unknownGoal',
    field: 'goalId',
    value: 'ghost',
  },
  {
    name: 'detachGoal: a goal that is not attached',
    input: (runtime) => runtime.detachGoal('ghost'),
    code: 'unknownGoal',
    field: 'goalId',
    value: 'ghost',
  },
  {
    name: 'goalStatus: a goal that is not attached',
    input: (runtime) => runtime.goalStatus('ghost'),
    code: 'unknownGoal',
    field: 'goalId',
    value: 'ghost',
  },
  {
    name: 'attachGoal: an id already attached',
    input: (runtime) => runtime.attachGoal({ goalId: 'signup', goalType: 'Event' }),
    code: 'duplicateGoal',
    field: 'goalId',
    value: 'signup',
  },
  {
    name: 'attachGoal: null instead of a goal',
    input: (runtime) => runtime.attachGoal(null as unknown as GoalDefinition),
    code: 'invalidId',
    field: 'goalId',
    value: null,
  },
];

function caught(action: () => unknown): TrackingInputError {
  try {
    action();
  } catch (error) {
    if (error instanceof TrackingInputError) return error;
    throw error;
  }
  throw new Error('expected a TrackingInputError, nothing was thrown');
}

describe('bad input to a running tag (SPEC D3, D4)', () => {
  for (const c of cases) {
    it(`D4 ${c.name}: ${c.code} on ${c.field}, nothing changes`, () => {
      const { runtime, changes } = busyRuntime();
      const before = stateOf(runtime);
      const error = caught(() => c.input(runtime));
      expect({ code: error.code, field: error.field, value: error.value }).toEqual({
        code: c.code,
        field: c.field,
        value: c.value,
      });
      expect(error.name).toBe('TrackingInputError');
      expect(error.message.startsWith(`${c.field}: `)).toBe(true);
      expect(stateOf(runtime)).toEqual(before);
      expect(changes).toEqual([]);
      runtime.stop();
    });
  }

  it('D4 the state before a bad input is the one these tests compare against', () => {
    const { runtime } = busyRuntime();
    expect(stateOf(runtime)).toMatchObject({
      value: 'Active',
      context: {
        firstDataAt: T0 - DAY_MS / 2,
        lastDataAt: T0 - 1,
        goals: [
          { goalId: 'signup', goalType: 'Url' },
          { goalId: 'app', goalType: 'AppInstall' },
        ],
      },
      goals: {
        signup: { value: 'RecordingConversions', context: { lastConversionAt: T0 - 1 } },
        app: { value: 'NoRecentConversions', context: { lastConversionAt: undefined } },
      },
    });
    runtime.stop();
  });
});

describe('bad options to createTagRuntime', () => {
  const clock = new SimulatedClock();
  const optionCases: readonly {
    name: string;
    options: TagRuntimeOptions;
    code: TrackingInputErrorCode;
    field: string;
    value: unknown;
  }[] = [
    {
      name: 'an empty tag id',
      options: { tagId: '' },
      code: 'invalidId',
      field: 'tagId',
      value: '',
    },
    {
      name: 'a negative skew',
      options: { tagId: 't', allowedSkewMs: -1 },
      code: 'invalidOption',
      field: 'allowedSkewMs',
      value: -1,
    },
    {
      name: 'a fractional skew',
      options: { tagId: 't', allowedSkewMs: 0.5 },
      code: 'invalidOption',
      field: 'allowedSkewMs',
      value: 0.5,
    },
    {
      name: 'a zero activity window',
      options: { tagId: 't', windows: { activityWindowMs: 0 } },
      code: 'invalidOption',
      field: 'activityWindowMs',
      value: 0,
    },
    {
      name: 'a negative conversion window',
      options: { tagId: 't', windows: { conversionWindowMs: -5 } },
      code: 'invalidOption',
      field: 'conversionWindowMs',
      value: -5,
    },
    {
      name: 'a tagAvailable that is not a boolean',
      options: { tagId: 't', tagAvailable: 'yes' as never },
      code: 'invalidOption',
      field: 'tagAvailable',
      value: 'yes',
    },
    {
      name: 'a start goal of an unknown type',
      options: { tagId: 't', goals: [{ goalId: 'g', goalType: 'Offline' as never }] },
      code: 'unknownGoalType',
      field: 'goalType',
      value: 'Offline',
    },
    {
      name: 'the same start goal twice',
      options: {
        tagId: 't',
        goals: [
          { goalId: 'g', goalType: 'Url' },
          { goalId: 'g', goalType: 'Event' },
        ],
      },
      code: 'duplicateGoal',
      field: 'goalId',
      value: 'g',
    },
  ];

  for (const c of optionCases) {
    it(`D4 ${c.name}: ${c.code} on ${c.field}`, () => {
      const error = caught(() => createTagRuntime({ clock, ...c.options }));
      expect({ code: error.code, field: error.field, value: error.value }).toEqual({
        code: c.code,
        field: c.field,
        value: c.value,
      });
    });
  }
});

describe('validation functions', () => {
  it('accept what they describe', () => {
    expect(() => {
      assertEpochMs('at', 0);
      assertEpochMs('at', MAX_TIME_MS);
      assertId('tagId', '1234');
      assertId('goalId', 'é'.repeat(256));
      assertGoalType('goalType', 'InStoreTransaction');
      assertNotInFuture('at', 105, 100, 5);
      assertSkew('allowedSkewMs', 0);
    }).not.toThrow();
    expect(resolveWindows({ activityWindowMs: 1, conversionWindowMs: undefined })).toEqual({
      activityWindowMs: 1,
      conversionWindowMs: 604_800_000,
    });
  });

  it('D3 D4 name field, value and what was expected in the message', () => {
    const messages = [
      () => assertEpochMs('at', 1.5),
      () => assertEpochMs('at', MAX_TIME_MS + 1),
      () => assertNotInFuture('at', 106, 100, 5),
      () => assertId('goalId', ''),
      () => assertGoalType('goalType', { type: 'Url' }),
      () => assertSkew('allowedSkewMs', undefined),
    ].map((action) => caught(action).message);
    expect(messages).toEqual([
      'at: 1.5 is not valid: expected an integer of UTC epoch milliseconds from 0 to 8636844240000000',
      'at: 8636844240000001 is not valid: expected an integer of UTC epoch milliseconds from 0 to 8636844240000000',
      'at: 106 is not valid: expected a time no later than 105 (now 100 plus the allowed skew of 5 ms)',
      'goalId: "" is not valid: expected a string of 1 to 256 visible characters (no white space, control or format character, or lone surrogate)',
      'goalType: {"type":"Url"} is not valid: expected one of Url, Duration, PagesViewedPerVisit, Event, AppInstall, OfflineConversion, InStoreTransaction',
      'allowedSkewMs: undefined is not valid: expected a non-negative integer of ms',
    ]);
  });
});
