import {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  type ConversionGoalType as GoalType,
  isTagBasedGoalType,
} from 'uet-tag-status';
import { z } from 'zod';
import { withoutAbsent } from '../withoutAbsent.js';
import type { ApiConversionGoal } from './apiObjects.js';
import {
  AttributionModelType,
  ConversionGoalCategory,
  ConversionGoalCountType,
  ConversionGoalRevenueType,
  ConversionGoalStatus,
  EntityScope,
  ExpressionOperator,
  ValueOperator,
} from './apiValueSets.js';
import {
  absentIfNull,
  boundedInteger,
  decimal,
  int64Id,
  jsonBoolean,
  limitedString,
  oneOf,
  optionalInt64Id,
} from './fieldSchemas.js';

/**
 * A ConversionGoal as the schema gives it, before its origin is attached.
 *
 * @example
 * ```ts
 * const fields: ConversionGoalFields = conversionGoalSchema.parse(json);
 * ```
 */
export type ConversionGoalFields = WithoutOrigin<ApiConversionGoal>;

/** Each member of a union without the origin fields. */
type WithoutOrigin<Goal> = Goal extends unknown ? Omit<Goal, 'path' | 'original'> : never;

/**
 * What `Type` must hold, for messages.
 *
 * @example
 * ```ts
 * GOAL_TYPE_EXPECTED.startsWith('a ConversionGoalType: Url'); // true
 * ```
 */
export const GOAL_TYPE_EXPECTED = `a ConversionGoalType: ${Object.values(ConversionGoalType).join(', ')} (or the SOAP-style names ${Object.values(
  ConversionGoalType,
)
  .map((type) => `${type}Goal`)
  .join(', ')})`;

const expressionOperator = absentIfNull(oneOf(ExpressionOperator, 'ExpressionOperator'));

const revenue = z
  .object(
    {
      CurrencyCode: absentIfNull(limitedString()),
      Type: absentIfNull(oneOf(ConversionGoalRevenueType, 'ConversionGoalRevenueType')),
      Value: absentIfNull(decimal.min(0, { error: 'a JSON number, 0 or more' })),
    },
    { error: 'a ConversionGoalRevenue object { CurrencyCode, Type, Value }' },
  )
  .transform(withoutAbsent);

/** The fields of the ConversionGoal base object, shared by every type. */
const baseFields = {
  Id: int64Id,
  Name: absentIfNull(limitedString(100)),
  TagId: optionalInt64Id,
  Status: absentIfNull(oneOf(ConversionGoalStatus, 'ConversionGoalStatus')),
  TrackingStatus: absentIfNull(oneOf(ConversionGoalTrackingStatus, 'ConversionGoalTrackingStatus')),
  ConversionWindowInMinutes: absentIfNull(boundedInteger(1, 129_600)),
  CountType: absentIfNull(oneOf(ConversionGoalCountType, 'ConversionGoalCountType')),
  Revenue: absentIfNull(revenue),
  Scope: absentIfNull(oneOf(EntityScope, 'EntityScope')),
  ExcludeFromBidding: absentIfNull(jsonBoolean),
  GoalCategory: absentIfNull(oneOf(ConversionGoalCategory, 'ConversionGoalCategory')),
  AttributionModelType: absentIfNull(oneOf(AttributionModelType, 'AttributionModelType')),
  ViewThroughConversionWindowInMinutes: absentIfNull(boundedInteger(1, 43_200)),
  IsEnhancedConversionsEnabled: absentIfNull(jsonBoolean),
  IsAutoGoal: absentIfNull(jsonBoolean),
};

/** `Type` spelled the REST way or the SOAP way, read as the REST name. */
function typeField<const T extends GoalType>(type: T) {
  return z.enum([type, `${type}Goal`]).transform((): T => type);
}

/** The tag id a tag-based goal must name (SPEC G1). */
function tagIdOf(type: GoalType) {
  return z.unknown().transform((value, context): string => {
    const parsed = optionalInt64Id.safeParse(value);
    if (parsed.success && parsed.data !== undefined) return parsed.data;
    context.issues.push({
      code: 'custom',
      input: value,
      message: `the int64 id of the goal's UET tag (a ${type} goal belongs to one tag, SPEC G1)`,
    });
    return z.NEVER;
  });
}

function goalOf<const T extends GoalType, S extends z.core.$ZodLooseShape>(type: T, fields: S) {
  return z.object(
    {
      ...baseFields,
      Type: typeField(type),
      ...(isTagBasedGoalType(type) ? { TagId: tagIdOf(type) } : {}),
      ...fields,
    },
    { error: `a ConversionGoal object (${type})` },
  );
}

const urlGoal = goalOf('Url', {
  UrlExpression: limitedString()
    .nullish()
    .transform((value, context): string => {
      if (typeof value === 'string') return value;
      context.issues.push({
        code: 'custom',
        input: value,
        message: 'a string: the URL expression',
      });
      return z.NEVER;
    }),
  UrlOperator: expressionOperator.transform((value) => value ?? ExpressionOperator.Equals),
});

/**
 * An event goal's condition pairs: expression field, operator field.
 *
 * @example
 * ```ts
 * for (const [expression, operator] of EVENT_CONDITION_PAIRS) console.log(goal[expression], goal[operator]);
 * ```
 */
export const EVENT_CONDITION_PAIRS = [
  ['ActionExpression', 'ActionOperator'],
  ['CategoryExpression', 'CategoryOperator'],
  ['LabelExpression', 'LabelOperator'],
  ['Value', 'ValueOperator'],
] as const;

const eventGoal = goalOf('Event', {
  ActionExpression: absentIfNull(limitedString(100)),
  ActionOperator: expressionOperator,
  CategoryExpression: absentIfNull(limitedString(100)),
  CategoryOperator: expressionOperator,
  LabelExpression: absentIfNull(limitedString(100)),
  LabelOperator: expressionOperator,
  Value: absentIfNull(decimal),
  ValueOperator: absentIfNull(oneOf(ValueOperator, 'ValueOperator')),
}).check(
  // Runs even when other fields of the goal have issues, so that all are reported at once.
  z.superRefine(
    (goal: Record<string, unknown>, context) => {
      const present = (key: string) => goal[key] !== undefined && goal[key] !== null;
      let pairs = 0;
      for (const [expression, operator] of EVENT_CONDITION_PAIRS) {
        if (present(expression) && present(operator)) pairs++;
        for (const [given, missing] of [
          [expression, operator],
          [operator, expression],
        ] as const) {
          if (!present(given) || present(missing)) continue;
          context.addIssue({
            code: 'custom',
            path: [missing],
            message: `${missing} too, since ${given} is given (a condition is a pair)`,
          });
        }
      }
      const halfPair = EVENT_CONDITION_PAIRS.some(([e, o]) => present(e) !== present(o));
      if (pairs === 0 && !halfPair) {
        context.addIssue({
          code: 'custom',
          message: `an Event goal with at least one condition pair: ${EVENT_CONDITION_PAIRS.map((pair) => pair.join('/')).join(', ')}`,
        });
      }
    },
    { when: () => true },
  ),
);

const durationGoal = goalOf('Duration', {
  MinimumDurationInSeconds: absentIfNull(boundedInteger(0, 86_399)).transform(
    (value) => value ?? 0,
  ),
});

const pagesViewedPerVisitGoal = goalOf('PagesViewedPerVisit', {
  MinimumPagesViewed: boundedInteger(0, 9_999_999)
    .nullish()
    .transform((value, context) => {
      if (typeof value === 'number') return value;
      context.issues.push({
        code: 'custom',
        input: value,
        message: 'an integer from 0 to 9,999,999: the pages a visit must view',
      });
      return z.NEVER;
    }),
});

const appInstallGoal = goalOf('AppInstall', {
  AppPlatform: absentIfNull(limitedString()),
  AppStoreId: absentIfNull(limitedString()),
});

const offlineConversionGoal = goalOf('OfflineConversion', {
  IsExternallyAttributed: absentIfNull(jsonBoolean),
});

const inStoreTransactionGoal = goalOf('InStoreTransaction', {});

/**
 * The schema of one `ConversionGoal` of any type (SPEC A1), told apart by `Type` in its
 * REST spelling (`Url`) or its SOAP-style one (`UrlGoal`), and given with the REST name.
 * Known fields are checked against their types and ranges, null reads as absent,
 * unknown fields are dropped (the loader keeps the original for write-back), ids become
 * decimal strings, `UrlOperator` defaults to `Equals` and `MinimumDurationInSeconds` to 0
 * as in the API. Tag-based goals must name their `TagId`; event goals need at least one
 * complete condition pair.
 *
 * @example
 * ```ts
 * conversionGoalSchema.parse({
 *   Id: '46000001', Type: 'UrlGoal', TagId: 26000001, UrlExpression: 'thanks',
 *   UrlOperator: 'Contains',
 * }); // { Id: '46000001', Type: 'Url', TagId: '26000001', ... }
 * ```
 */
export const conversionGoalSchema = z
  .discriminatedUnion(
    'Type',
    [
      urlGoal,
      eventGoal,
      durationGoal,
      pagesViewedPerVisitGoal,
      appInstallGoal,
      offlineConversionGoal,
      inStoreTransactionGoal,
    ],
    {
      error: (issue) => {
        // A value that is not an object arrives here as invalid_type, whatever the typing says.
        if (String(issue.code) === 'invalid_type') return 'a ConversionGoal object';
        const type = (issue.input as { Type?: unknown } | undefined)?.Type;
        if (type === 'AppDownload' || type === 'AppDownloadGoal') {
          return `${GOAL_TYPE_EXPECTED}; AppDownload goals (returned only on request) are not modelled`;
        }
        return GOAL_TYPE_EXPECTED;
      },
    },
  )
  .transform((goal) => withoutAbsent(goal) as ConversionGoalFields);
