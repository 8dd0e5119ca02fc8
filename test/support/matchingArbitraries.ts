import fc from 'fast-check';
import type {
  ExpressionOperator,
  GoalDefinition,
  GoalExpression,
} from '../../packages/uet-tag-status/src/uet/goalDefinition.js';

/*
 * Random goals and random visits for the matching property tests (M1–M6, A2).
 * Expressions and field values are drawn from a small alphabet so that matches are
 * frequent; times move by steps from 0 to 40 minutes, and now and then back by a few
 * minutes (hits out of order); visitors, sessions, clicks and tags are drawn from small
 * sets so that visits continue, split and close.
 */

export const MINUTE = 60_000;
/** The tags goals are attached to; hits also come from tag 7, which has none. */
export const TAGS = ['5', '6'];

const word = fc
  .array(fc.constantFrom('a', 'b', 'ab', '/', '.', 'x', 'É'), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));

const regexPattern = fc.oneof(
  word.map((w) => w.replace(/[.]/g, '\\.')),
  fc.tuple(word, word).map(([a, b]) => `${a.replace(/[.]/g, '\\.')}.*${b.replace(/[.]/g, '\\.')}`),
  fc.constantFrom(
    '(a|b)/',
    '^https?://(www\\.)?a',
    'b$',
    '[ab]+x',
    'a{2}',
    '\\bab',
    '\\d',
    '.',
    'é',
    'x|/b',
    '^a',
  ),
);

const operator = fc.constantFrom<ExpressionOperator>(
  'Equals',
  'BeginsWith',
  'Contains',
  'RegularExpression',
);

const expression: fc.Arbitrary<GoalExpression> = fc.oneof(
  fc.record({ operator: operator.filter((o) => o !== 'RegularExpression'), expression: word }),
  fc.record({
    operator: fc.constant<ExpressionOperator>('RegularExpression'),
    expression: regexPattern,
  }),
  fc.record({
    operator: fc.constantFrom<ExpressionOperator>('Equals', 'BeginsWith'),
    expression: fc
      .tuple(fc.constantFrom('https://', 'http://www.', 'www.'), word)
      .map(([prefix, w]) => prefix + w),
  }),
);

const common = {
  status: fc.constantFrom(undefined, undefined, undefined, 'Active', 'Paused', 'Deleted' as const),
  conversionWindowMinutes: fc.constantFrom(undefined, 1, 5, 30, 120),
};

const goalBody = fc.oneof(
  fc.record({ goalType: fc.constant('Url' as const), url: expression, ...common }),
  fc.record({
    goalType: fc.constant('Event' as const),
    event: fc
      .record(
        {
          action: expression,
          category: expression,
          label: expression,
          value: fc.record({
            operator: fc.constantFrom('Equals', 'LessThan', 'GreaterThan' as const),
            value: fc.constantFrom(0, 1, 2, 5),
          }),
        },
        { requiredKeys: [] },
      )
      .filter((event) => Object.keys(event).length > 0)
      .chain((event) => {
        // One or two conditions, so that random hits meet them all now and then.
        const keys = Object.keys(event);
        return fc
          .shuffledSubarray(keys, { minLength: 1, maxLength: Math.min(2, keys.length) })
          .map((kept) =>
            Object.fromEntries(kept.map((key) => [key, event[key as keyof typeof event]])),
          );
      }),
    ...common,
  }),
  fc.record({
    goalType: fc.constant('Duration' as const),
    minimumDurationSeconds: fc.constantFrom(0, 1, 60, 300, 900),
    ...common,
  }),
  fc.record({
    goalType: fc.constant('PagesViewedPerVisit' as const),
    minimumPagesViewed: fc.constantFrom(0, 1, 2, 3),
    ...common,
  }),
  fc.record({ goalType: fc.constant('AppInstall' as const), ...common }),
);

/** Removes the keys fast-check set to undefined, as a goal definition would not have them. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A list of goals, each on one of {@link TAGS}. */
export const goals = fc
  .array(fc.tuple(fc.constantFrom(...TAGS), goalBody), { minLength: 1, maxLength: 14 })
  .map((list) =>
    list.map(([tagId, body], index) => ({
      tagId,
      goal: defined({ goalId: `g${index}`, ...body }) as GoalDefinition,
    })),
  );

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });

/** Texts drawn mostly from the goals' own expressions, reshaped, so that goals often match. */
function textNear(expressions: readonly string[]): fc.Arbitrary<string> {
  const base =
    expressions.length > 0
      ? fc.oneof(
          { arbitrary: fc.constantFrom(...expressions), weight: 4 },
          { arbitrary: word, weight: 1 },
        )
      : word;
  return fc
    .tuple(base, fc.constantFrom('same', 'same', 'upper', 'prefix', 'suffix'))
    .map(([text, shape]) =>
      shape === 'upper'
        ? text.toUpperCase()
        : shape === 'prefix'
          ? `x${text}`
          : shape === 'suffix'
            ? `${text}b`
            : text,
    );
}

/** Hits with the step of time before each, drawn near the goals' expressions. */
export function hitsFor(tagGoals: readonly { goal: GoalDefinition }[]) {
  const all = tagGoals.map(({ goal }) => goal);
  const of = (pick: (goal: GoalDefinition) => GoalExpression | undefined) =>
    all.flatMap((goal) => {
      const chosen = pick(goal);
      return chosen === undefined
        ? []
        : [chosen.expression.replace(/^(https?:\/\/)?(www\.)?/i, '')];
    });
  const values = all.flatMap(({ event }) =>
    event?.value === undefined ? [] : [event.value.value],
  );
  const pageUrl = fc
    .tuple(
      fc.constantFrom('', 'https://', 'http://www.', 'https://www.', 'www.'),
      textNear(of((goal) => goal.url)),
      fc.constantFrom('', '', '?msclkid=1f', '?x=1&MSCLKID=ab', '?msclkid=', '#?msclkid=1', '?q=1'),
    )
    .map(([scheme, path, query]) => scheme + path + query);
  const hit = fc.record({
    tagId: fc.constantFrom(...TAGS, '7'),
    eventType: fc.constantFrom('pageLoad', 'pageLoad', 'custom', 'custom', 'pageHide'),
    pageUrl: maybe(pageUrl),
    eventAction: maybe(textNear(of((goal) => goal.event?.action))),
    eventCategory: maybe(textNear(of((goal) => goal.event?.category))),
    eventLabel: maybe(textNear(of((goal) => goal.event?.label))),
    eventValue: maybe(
      fc.constantFrom(0, 1, 7, ...values, ...values.map((v) => v + 1), ...values.map((v) => v - 1)),
    ),
    visitorId: fc.constantFrom(undefined, 'v1', 'v2', 'v3'),
    sessionId: fc.constantFrom(undefined, 's1', 's1', 's2'),
    clickId: fc.constantFrom(undefined, undefined, 'c-0', 'c-1', 'N'),
  });
  return fc.array(fc.tuple(hit, step), { minLength: 1, maxLength: 60 });
}

/** The time between two hits: mostly forward, now and then back. */
export const step = fc.constantFrom(
  0,
  1_000,
  30_000,
  2 * MINUTE,
  10 * MINUTE,
  29 * MINUTE,
  31 * MINUTE,
  40 * MINUTE,
  -MINUTE,
  -5 * MINUTE,
);
