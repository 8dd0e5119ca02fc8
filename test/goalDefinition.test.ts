import { describe, expect, it } from 'vitest';
import {
  TrackingInputError,
  type TrackingInputErrorCode,
} from '../packages/uet-tag-status/src/TrackingInputError.js';
import {
  checkGoalDefinition,
  DEFAULT_CONVERSION_WINDOW_MINUTES,
  type GoalDefinition,
} from '../packages/uet-tag-status/src/uet/goalDefinition.js';

function failure(run: () => unknown): TrackingInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TrackingInputError);
    return error as TrackingInputError;
  }
  throw new Error('expected a TrackingInputError');
}

describe('checkGoalDefinition', () => {
  const valid: [name: string, goal: GoalDefinition][] = [
    [
      'a Url goal',
      {
        goalId: '1001',
        goalType: 'Url',
        status: 'Active',
        conversionWindowMinutes: 129_600,
        url: { operator: 'BeginsWith', expression: 'contoso.com/checkout' },
      },
    ],
    [
      'a Url goal with a regular expression',
      {
        goalId: '1002',
        goalType: 'Url',
        url: { operator: 'RegularExpression', expression: 'order-\\d+' },
      },
    ],
    [
      'an Event goal with every condition',
      {
        goalId: '1003',
        goalType: 'Event',
        status: 'Paused',
        conversionWindowMinutes: 1,
        event: {
          action: { operator: 'Equals', expression: 'purchase' },
          category: { operator: 'Contains', expression: 'checkout' },
          label: { operator: 'RegularExpression', expression: '^spring' },
          value: { operator: 'GreaterThan', value: -0.5 },
        },
      },
    ],
    [
      'an Event goal with only a value',
      { goalId: '1004', goalType: 'Event', event: { value: { operator: 'LessThan', value: 10 } } },
    ],
    [
      'a Duration goal of 0 s',
      { goalId: '1005', goalType: 'Duration', status: 'Deleted', minimumDurationSeconds: 0 },
    ],
    [
      'a Duration goal of 23:59:59',
      { goalId: '1006', goalType: 'Duration', minimumDurationSeconds: 86_399 },
    ],
    [
      'a PagesViewedPerVisit goal',
      { goalId: '1007', goalType: 'PagesViewedPerVisit', minimumPagesViewed: 9_999_999 },
    ],
    ['an AppInstall goal', { goalId: '1008', goalType: 'AppInstall' }],
    ['an OfflineConversion goal', { goalId: '1009', goalType: 'OfflineConversion' }],
    ['an InStoreTransaction goal', { goalId: '1010', goalType: 'InStoreTransaction' }],
  ];
  for (const [name, goal] of valid) {
    it(`A1 accepts ${name} and returns an equal, frozen copy`, () => {
      const checked = checkGoalDefinition('goals[0]', goal);
      expect(checked).toStrictEqual(goal);
      expect(checked).not.toBe(goal);
      expect(Object.isFrozen(checked)).toBe(true);
    });
  }

  it('A1 skips fields it does not know, such as a name or a tag id', () => {
    const checked = checkGoalDefinition('goals[0]', {
      goalId: '7',
      goalType: 'Url',
      name: 'Thanks',
      tagId: '5',
      url: { operator: 'Contains', expression: '/thanks', note: 'x' },
    });
    expect(checked).toStrictEqual({
      goalId: '7',
      goalType: 'Url',
      url: { operator: 'Contains', expression: '/thanks' },
    });
  });

  it('M6 the default conversion window is 43,200 minutes (30 days)', () => {
    expect(DEFAULT_CONVERSION_WINDOW_MINUTES).toBe(43_200);
  });

  const url = { operator: 'Equals', expression: 'contoso.com' };
  const refused: {
    name: string;
    goal: unknown;
    code: TrackingInputErrorCode;
    field: string;
    value: unknown;
  }[] = [
    {
      name: 'a goal that is no object',
      goal: 'Url',
      code: 'invalidGoalDefinition',
      field: 'goals[3]',
      value: 'Url',
    },
    {
      name: 'a goal that is an array',
      goal: [],
      code: 'invalidGoalDefinition',
      field: 'goals[3]',
      value: [],
    },
    {
      name: 'a missing goal id',
      goal: { goalType: 'Url', url },
      code: 'invalidId',
      field: 'goals[3].goalId',
      value: undefined,
    },
    {
      name: 'a goal id with a space',
      goal: { goalId: 'a b', goalType: 'Url', url },
      code: 'invalidId',
      field: 'goals[3].goalId',
      value: 'a b',
    },
    {
      name: 'a goal type in lower case',
      goal: { goalId: 'g', goalType: 'url', url },
      code: 'unknownGoalType',
      field: 'goals[3].goalType',
      value: 'url',
    },
    {
      name: 'a status in lower case',
      goal: { goalId: 'g', goalType: 'Url', status: 'paused', url },
      code: 'invalidGoalDefinition',
      field: 'goals[3].status',
      value: 'paused',
    },
    {
      name: 'a window of 0 minutes',
      goal: { goalId: 'g', goalType: 'Url', conversionWindowMinutes: 0, url },
      code: 'invalidGoalDefinition',
      field: 'goals[3].conversionWindowMinutes',
      value: 0,
    },
    {
      name: 'a window over 90 days',
      goal: { goalId: 'g', goalType: 'Url', conversionWindowMinutes: 129_601, url },
      code: 'invalidGoalDefinition',
      field: 'goals[3].conversionWindowMinutes',
      value: 129_601,
    },
    {
      name: 'a window that is no integer',
      goal: { goalId: 'g', goalType: 'Url', conversionWindowMinutes: 1.5, url },
      code: 'invalidGoalDefinition',
      field: 'goals[3].conversionWindowMinutes',
      value: 1.5,
    },
    {
      name: 'a Url goal without url',
      goal: { goalId: 'g', goalType: 'Url' },
      code: 'invalidGoalDefinition',
      field: 'goals[3].url',
      value: undefined,
    },
    {
      name: 'an operator in lower case',
      goal: { goalId: 'g', goalType: 'Url', url: { operator: 'contains', expression: 'x' } },
      code: 'invalidGoalDefinition',
      field: 'goals[3].url.operator',
      value: 'contains',
    },
    {
      name: 'an empty expression',
      goal: { goalId: 'g', goalType: 'Url', url: { operator: 'Contains', expression: '' } },
      code: 'invalidGoalDefinition',
      field: 'goals[3].url.expression',
      value: '',
    },
    {
      name: 'a URL expression over 4,096 characters',
      goal: {
        goalId: 'g',
        goalType: 'Url',
        url: { operator: 'Contains', expression: 'x'.repeat(4_097) },
      },
      code: 'invalidGoalDefinition',
      field: 'goals[3].url.expression',
      value: 'x'.repeat(4_097),
    },
    {
      name: 'an Event goal without conditions',
      goal: { goalId: 'g', goalType: 'Event', event: {} },
      code: 'invalidGoalDefinition',
      field: 'goals[3].event',
      value: {},
    },
    {
      name: 'an Event goal without event',
      goal: { goalId: 'g', goalType: 'Event' },
      code: 'invalidGoalDefinition',
      field: 'goals[3].event',
      value: undefined,
    },
    {
      name: 'an action expression over 100 characters',
      goal: {
        goalId: 'g',
        goalType: 'Event',
        event: { action: { operator: 'Equals', expression: 'a'.repeat(101) } },
      },
      code: 'invalidGoalDefinition',
      field: 'goals[3].event.action.expression',
      value: 'a'.repeat(101),
    },
    {
      name: 'a greater-or-equal value operator',
      goal: {
        goalId: 'g',
        goalType: 'Event',
        event: { value: { operator: 'GreaterThanEqualTo', value: 1 } },
      },
      code: 'invalidGoalDefinition',
      field: 'goals[3].event.value.operator',
      value: 'GreaterThanEqualTo',
    },
    {
      name: 'a value that is not finite',
      goal: {
        goalId: 'g',
        goalType: 'Event',
        event: { value: { operator: 'Equals', value: Number.NaN } },
      },
      code: 'invalidGoalDefinition',
      field: 'goals[3].event.value.value',
      value: Number.NaN,
    },
    {
      name: 'a Duration goal without minimum',
      goal: { goalId: 'g', goalType: 'Duration' },
      code: 'invalidGoalDefinition',
      field: 'goals[3].minimumDurationSeconds',
      value: undefined,
    },
    {
      name: 'a Duration of 24 hours',
      goal: { goalId: 'g', goalType: 'Duration', minimumDurationSeconds: 86_400 },
      code: 'invalidGoalDefinition',
      field: 'goals[3].minimumDurationSeconds',
      value: 86_400,
    },
    {
      name: 'a negative Duration',
      goal: { goalId: 'g', goalType: 'Duration', minimumDurationSeconds: -1 },
      code: 'invalidGoalDefinition',
      field: 'goals[3].minimumDurationSeconds',
      value: -1,
    },
    {
      name: 'a fractional page count',
      goal: { goalId: 'g', goalType: 'PagesViewedPerVisit', minimumPagesViewed: 2.5 },
      code: 'invalidGoalDefinition',
      field: 'goals[3].minimumPagesViewed',
      value: 2.5,
    },
    {
      name: 'a negative page count',
      goal: { goalId: 'g', goalType: 'PagesViewedPerVisit', minimumPagesViewed: -1 },
      code: 'invalidGoalDefinition',
      field: 'goals[3].minimumPagesViewed',
      value: -1,
    },
    {
      name: 'a url on an Event goal',
      goal: {
        goalId: 'g',
        goalType: 'Event',
        url,
        event: { value: { operator: 'Equals', value: 1 } },
      },
      code: 'invalidGoalDefinition',
      field: 'goals[3].url',
      value: url,
    },
    {
      name: 'a minimum duration on an AppInstall goal',
      goal: { goalId: 'g', goalType: 'AppInstall', minimumDurationSeconds: 5 },
      code: 'invalidGoalDefinition',
      field: 'goals[3].minimumDurationSeconds',
      value: 5,
    },
  ];
  for (const c of refused) {
    it(`D4 A1 refuses ${c.name}: ${c.code} naming ${c.field}`, () => {
      const error = failure(() => checkGoalDefinition('goals[3]', c.goal));
      expect([error.code, error.field, error.value]).toEqual([c.code, c.field, c.value]);
      expect(error.message.startsWith(`${c.field}: `)).toBe(true);
    });
  }

  it('M2 refuses a URL regular expression JavaScript would read differently, naming the goal and the construct', () => {
    const error = failure(() =>
      checkGoalDefinition('goals[3]', {
        goalId: 'signup',
        goalType: 'Url',
        url: { operator: 'RegularExpression', expression: '(?i)thanks' },
      }),
    );
    expect([error.code, error.field, error.value]).toEqual([
      'invalidGoalDefinition',
      'goals[3].url.expression',
      '(?i)thanks',
    ]);
    expect(error.message).toBe(
      'goals[3].url.expression: "(?i)thanks" is not valid: expected a regular expression JavaScript reads as .NET does (SPEC M2), but goal "signup" uses (?i) at offset 0: inline options, which JavaScript does not have; matching is already case-insensitive (M1)',
    );
  });

  it('M2 refuses an event label regular expression the same way', () => {
    const error = failure(() =>
      checkGoalDefinition('goals[0]', {
        goalId: 'e',
        goalType: 'Event',
        event: { label: { operator: 'RegularExpression', expression: 'sale\\z' } },
      }),
    );
    expect([error.field, error.message.includes('goal "e" uses \\z at offset 4')]).toEqual([
      'goals[0].event.label.expression',
      true,
    ]);
  });

  it('M2 a refused pattern is refused only under RegularExpression: elsewhere it is plain text', () => {
    expect(
      checkGoalDefinition('goals[0]', {
        goalId: 'g',
        goalType: 'Url',
        url: { operator: 'Contains', expression: '(?i)' },
      }).url,
    ).toEqual({ operator: 'Contains', expression: '(?i)' });
  });
});
