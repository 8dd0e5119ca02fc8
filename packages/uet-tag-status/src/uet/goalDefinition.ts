import { TrackingInputError } from '../TrackingInputError.js';
import { assertGoalType, assertId } from '../validation.js';
import {
  type ConversionGoalStatus,
  isConversionGoalStatus,
} from '../valueSets/conversionGoalStatus.js';
import type { ConversionGoalType } from '../valueSets/conversionGoalType.js';
import { ExpressionOperator, isExpressionOperator } from '../valueSets/expressionOperator.js';
import { isValueOperator, ValueOperator } from '../valueSets/valueOperator.js';
import { compileDotNetRegex } from './regex/compileDotNetRegex.js';
import { RegexRefusal } from './regex/RegexRefusal.js';

export type { ExpressionOperator } from '../valueSets/expressionOperator.js';
export type { ValueOperator } from '../valueSets/valueOperator.js';

/**
 * An operator with its expression: `UrlOperator` with `UrlExpression`, or one of an event
 * goal's action, category and label pairs.
 *
 * @example
 * ```ts
 * const thanks: GoalExpression = { operator: 'Contains', expression: '/thanks' };
 * ```
 */
export interface GoalExpression {
  readonly operator: ExpressionOperator;
  readonly expression: string;
}

/**
 * An `Event` goal's condition on the event value (`Value` with `ValueOperator`).
 *
 * @example
 * ```ts
 * const bigOrder: ValueCondition = { operator: 'GreaterThan', value: 100 };
 * ```
 */
export interface ValueCondition {
  readonly operator: ValueOperator;
  readonly value: number;
}

/**
 * The conditions of an `Event` goal, at least one, all of which a hit must meet (SPEC M4).
 *
 * @example
 * ```ts
 * const signup: EventConditions = { action: { operator: 'Equals', expression: 'signup' } };
 * ```
 */
export interface EventConditions {
  readonly action?: GoalExpression;
  readonly category?: GoalExpression;
  readonly label?: GoalExpression;
  readonly value?: ValueCondition;
}

/**
 * A conversion goal to attach to a tag: its id and type, and, for a monitor that matches
 * hits, the rest of its definition as Microsoft defines it, normalized (SPEC A1, A2,
 * M2–M6). The runtime and a monitor fed conversions use only `goalId` and `goalType`. The
 * conversion from the API's JSON shape is done elsewhere; {@link checkGoalDefinition}
 * checks one.
 *
 * @example
 * ```ts
 * const goal: GoalDefinition = {
 *   goalId: '1001',
 *   goalType: 'Url',
 *   url: { operator: 'BeginsWith', expression: 'contoso.com/checkout/done' },
 * };
 * ```
 */
export interface GoalDefinition {
  /** The goal's id, unique within the tag. */
  readonly goalId: string;
  /** The goal's type (SPEC G1, G5). */
  readonly goalType: ConversionGoalType;
  /** `Active` (the default), `Paused` (records no conversion) or `Deleted` (detached), SPEC A2. */
  readonly status?: ConversionGoalStatus;
  /**
   * How long after an ad click a conversion is credited, 1 to 129,600 minutes (SPEC M6).
   * @default 43_200 (30 days, {@link DEFAULT_CONVERSION_WINDOW_MINUTES})
   */
  readonly conversionWindowMinutes?: number;
  /** `Url` goals: the page URL condition (SPEC M3). */
  readonly url?: GoalExpression;
  /** `Event` goals: the conditions on the custom event (SPEC M4). */
  readonly event?: EventConditions;
  /** `Duration` goals: how long a visit must last, 0 to 86,399 seconds (SPEC M5). */
  readonly minimumDurationSeconds?: number;
  /** `PagesViewedPerVisit` goals: how many pages a visit must view, an integer ≥ 0 (SPEC M5). */
  readonly minimumPagesViewed?: number;
}

/**
 * The conversion window a goal gets when it sets none. **(our decision)** The API
 * documents no default; 43,200 minutes (30 days) is the value its documentation uses as
 * the example and the one the web application proposes.
 */
export const DEFAULT_CONVERSION_WINDOW_MINUTES = 43_200;
/** The longest conversion window the API accepts: 90 days. */
export const MAX_CONVERSION_WINDOW_MINUTES = 129_600;
/** The longest `MinimumDurationInSeconds`: 23:59:59. */
export const MAX_MINIMUM_DURATION_SECONDS = 86_399;
/** The longest action, category or label expression the API accepts. */
export const MAX_EVENT_EXPRESSION_LENGTH = 100;
/**
 * The longest URL expression accepted. **(our decision)** The API documents no limit; the
 * UET tag keeps the URLs it sends under 4,096 characters.
 */
export const MAX_URL_EXPRESSION_LENGTH = 4_096;

const TYPE_FIELDS = {
  url: 'Url',
  event: 'Event',
  minimumDurationSeconds: 'Duration',
  minimumPagesViewed: 'PagesViewedPerVisit',
} as const;

/**
 * Checks a goal definition and returns a normalized copy holding only the known fields
 * (others, such as a name, are skipped). The field that belongs to the goal's type is
 * required (`url` for `Url`, `event` with at least one condition for `Event`, and so on);
 * a field of another type is refused. A `RegularExpression` is compiled, and refused if
 * JavaScript would not read it as .NET does (SPEC M2). Goal types without a tag
 * (`AppInstall`, `OfflineConversion`, `InStoreTransaction`) take no type field.
 *
 * @param field - where the goal sits, for error messages: `goals[3]`.
 * @example
 * ```ts
 * const goal = checkGoalDefinition('goals[0]', JSON.parse(text));
 * checkGoalDefinition('goals[3]', {
 *   goalId: 'g',
 *   goalType: 'Url',
 *   url: { operator: 'RegularExpression', expression: '(?i)thanks' },
 * }); // throws: goals[3].url.expression … (?i) at offset 0 …
 * ```
 * @throws {@link TrackingInputError} `invalidId`, `unknownGoalType` or `invalidGoalDefinition`,
 * naming the field by its path, such as `goals[3].url.expression`.
 */
export function checkGoalDefinition(field: string, goal: unknown): GoalDefinition {
  if (typeof goal !== 'object' || goal === null || Array.isArray(goal)) {
    throw refused(field, goal, 'a goal definition { goalId, goalType, … }');
  }
  const input = goal as Record<string, unknown>;
  const { goalId, goalType, status, conversionWindowMinutes } = input;
  assertId(`${field}.goalId`, goalId);
  assertGoalType(`${field}.goalType`, goalType);
  if (status !== undefined && !isConversionGoalStatus(status)) {
    throw refused(`${field}.status`, status, 'one of Active, Paused, Deleted');
  }
  if (conversionWindowMinutes !== undefined) {
    checkInteger(
      `${field}.conversionWindowMinutes`,
      conversionWindowMinutes,
      1,
      MAX_CONVERSION_WINDOW_MINUTES,
    );
  }
  for (const [key, type] of Object.entries(TYPE_FIELDS)) {
    if (input[key] !== undefined && goalType !== type) {
      throw refused(
        `${field}.${key}`,
        input[key],
        `nothing: ${key} belongs to ${type} goals, not ${goalType}`,
      );
    }
  }
  const checked: Record<string, unknown> = { goalId, goalType };
  if (status !== undefined) checked.status = status;
  if (conversionWindowMinutes !== undefined)
    checked.conversionWindowMinutes = conversionWindowMinutes;
  switch (goalType) {
    case 'Url':
      checked.url = checkExpression(`${field}.url`, input.url, MAX_URL_EXPRESSION_LENGTH, goalId);
      break;
    case 'Event':
      checked.event = checkEvent(`${field}.event`, input.event, goalId);
      break;
    case 'Duration':
      checkInteger(
        `${field}.minimumDurationSeconds`,
        input.minimumDurationSeconds,
        0,
        MAX_MINIMUM_DURATION_SECONDS,
      );
      checked.minimumDurationSeconds = input.minimumDurationSeconds;
      break;
    case 'PagesViewedPerVisit':
      checkInteger(
        `${field}.minimumPagesViewed`,
        input.minimumPagesViewed,
        0,
        Number.MAX_SAFE_INTEGER,
      );
      checked.minimumPagesViewed = input.minimumPagesViewed;
      break;
  }
  return Object.freeze(checked) as unknown as GoalDefinition;
}

function checkEvent(field: string, event: unknown, goalId: string): EventConditions {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw refused(
      field,
      event,
      'the conditions { action?, category?, label?, value? } of an Event goal',
    );
  }
  const input = event as Record<string, unknown>;
  const checked: Record<string, unknown> = {};
  for (const key of ['action', 'category', 'label'] as const) {
    if (input[key] !== undefined) {
      checked[key] = checkExpression(
        `${field}.${key}`,
        input[key],
        MAX_EVENT_EXPRESSION_LENGTH,
        goalId,
      );
    }
  }
  if (input.value !== undefined) checked.value = checkValue(`${field}.value`, input.value);
  if (Object.keys(checked).length === 0) {
    throw refused(field, event, 'at least one condition: action, category, label or value');
  }
  return Object.freeze(checked) as EventConditions;
}

function checkExpression(
  field: string,
  value: unknown,
  maxLength: number,
  goalId: string,
): GoalExpression {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refused(field, value, 'an expression { operator, expression }');
  }
  const { operator, expression } = value as Record<string, unknown>;
  if (!isExpressionOperator(operator)) {
    throw refused(
      `${field}.operator`,
      operator,
      `one of ${Object.values(ExpressionOperator).join(', ')}`,
    );
  }
  if (typeof expression !== 'string' || expression.length === 0 || expression.length > maxLength) {
    throw refused(`${field}.expression`, expression, `a string of 1 to ${maxLength} characters`);
  }
  if (operator === 'RegularExpression') {
    try {
      compileDotNetRegex(expression);
    } catch (error) {
      if (!(error instanceof RegexRefusal)) throw error;
      throw refused(
        `${field}.expression`,
        expression,
        `a regular expression JavaScript reads as .NET does (SPEC M2), but goal ${JSON.stringify(goalId)} uses ${error.construct} at offset ${error.offset}: ${error.reason}`,
      );
    }
  }
  return Object.freeze({ operator: operator as ExpressionOperator, expression });
}

function checkValue(field: string, value: unknown): ValueCondition {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refused(field, value, 'a value condition { operator, value }');
  }
  const { operator, value: number } = value as Record<string, unknown>;
  if (!isValueOperator(operator)) {
    throw refused(
      `${field}.operator`,
      operator,
      `one of ${Object.values(ValueOperator).join(', ')}`,
    );
  }
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw refused(`${field}.value`, number, 'a finite number');
  }
  return Object.freeze({ operator: operator as ValueOperator, value: number });
}

function checkInteger(field: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
    throw refused(field, value, `an integer ${range}`);
  }
}

function refused(field: string, value: unknown, expected: string): TrackingInputError {
  return new TrackingInputError('invalidGoalDefinition', field, value, expected);
}
