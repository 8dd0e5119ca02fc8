import { ConversionGoalType } from 'uet-tag-status';

/**
 * The `ExpressionOperator` value set (Campaign Management v13): how a goal's URL, action,
 * category or label expression is compared (SPEC M2).
 *
 * @example
 * ```ts
 * goal.UrlOperator === ExpressionOperator.BeginsWith;
 * ```
 */
export const ExpressionOperator = {
  Equals: 'Equals',
  BeginsWith: 'BeginsWith',
  RegularExpression: 'RegularExpression',
  Contains: 'Contains',
} as const;

/** One value of {@link ExpressionOperator}. */
export type ExpressionOperator = (typeof ExpressionOperator)[keyof typeof ExpressionOperator];

/**
 * The `ValueOperator` value set: how an event goal's `Value` is compared (SPEC M4). There
 * is no greater-or-equal.
 *
 * @example
 * ```ts
 * goal.ValueOperator === ValueOperator.GreaterThan;
 * ```
 */
export const ValueOperator = {
  Equals: 'Equals',
  LessThan: 'LessThan',
  GreaterThan: 'GreaterThan',
} as const;

/** One value of {@link ValueOperator}. */
export type ValueOperator = (typeof ValueOperator)[keyof typeof ValueOperator];

/**
 * The `ConversionGoalStatus` value set: the status a user sets on a goal (SPEC A2).
 *
 * @example
 * ```ts
 * if (goal.Status === ConversionGoalStatus.Paused) skipConversions(goal);
 * ```
 */
export const ConversionGoalStatus = {
  Active: 'Active',
  Paused: 'Paused',
  Deleted: 'Deleted',
} as const;

/** One value of {@link ConversionGoalStatus}. */
export type ConversionGoalStatus = (typeof ConversionGoalStatus)[keyof typeof ConversionGoalStatus];

/**
 * The `ConversionGoalCountType` value set: count every conversion after a click, or one.
 *
 * @example
 * ```ts
 * goal.CountType === ConversionGoalCountType.Unique;
 * ```
 */
export const ConversionGoalCountType = { All: 'All', Unique: 'Unique' } as const;

/** One value of {@link ConversionGoalCountType}. */
export type ConversionGoalCountType =
  (typeof ConversionGoalCountType)[keyof typeof ConversionGoalCountType];

/**
 * The `ConversionGoalRevenueType` value set: the `Type` of a goal's `Revenue`.
 *
 * @example
 * ```ts
 * goal.Revenue?.Type === ConversionGoalRevenueType.VariableValue;
 * ```
 */
export const ConversionGoalRevenueType = {
  FixedValue: 'FixedValue',
  VariableValue: 'VariableValue',
  NoValue: 'NoValue',
} as const;

/** One value of {@link ConversionGoalRevenueType}. */
export type ConversionGoalRevenueType =
  (typeof ConversionGoalRevenueType)[keyof typeof ConversionGoalRevenueType];

/**
 * The `EntityScope` value set: a goal of one account or of the whole customer.
 *
 * @example
 * ```ts
 * goal.Scope === EntityScope.Customer;
 * ```
 */
export const EntityScope = { Account: 'Account', Customer: 'Customer' } as const;

/** One value of {@link EntityScope}. */
export type EntityScope = (typeof EntityScope)[keyof typeof EntityScope];

/**
 * The `AttributionModelType` value set.
 *
 * @example
 * ```ts
 * goal.AttributionModelType === AttributionModelType.LastClick;
 * ```
 */
export const AttributionModelType = {
  LastClick: 'LastClick',
  LastTouch: 'LastTouch',
  DataDriven: 'DataDriven',
} as const;

/** One value of {@link AttributionModelType}. */
export type AttributionModelType = (typeof AttributionModelType)[keyof typeof AttributionModelType];

/**
 * Every spelling of a goal's `Type` that is read (SPEC A1), with the ConversionGoalType
 * value it stands for: the REST names (`Url`) and the SOAP-style names of the derived
 * objects (`UrlGoal`), which the API's own JSON templates also show.
 *
 * @example
 * ```ts
 * GOAL_TYPE_SPELLINGS.get('EventGoal'); // 'Event'
 * GOAL_TYPE_SPELLINGS.get('Event'); // 'Event'
 * ```
 */
export const GOAL_TYPE_SPELLINGS: ReadonlyMap<string, ConversionGoalType> = new Map(
  Object.values(ConversionGoalType).flatMap((type) => [
    [type, type],
    [`${type}Goal`, type],
  ]),
);

/**
 * The `ConversionGoalCategory` value set: how a goal is segmented in reports.
 *
 * @example
 * ```ts
 * goal.GoalCategory === ConversionGoalCategory.Purchase;
 * ```
 */
export const ConversionGoalCategory = {
  AddToCart: 'AddToCart',
  BeginCheckout: 'BeginCheckout',
  BookAppointment: 'BookAppointment',
  Contact: 'Contact',
  Download: 'Download',
  GetDirections: 'GetDirections',
  None: 'None',
  Other: 'Other',
  OutboundClick: 'OutboundClick',
  PageView: 'PageView',
  Purchase: 'Purchase',
  RequestQuote: 'RequestQuote',
  Signup: 'Signup',
  SubmitLeadForm: 'SubmitLeadForm',
  Subscribe: 'Subscribe',
  Unknown: 'Unknown',
} as const;

/** One value of {@link ConversionGoalCategory}. */
export type ConversionGoalCategory =
  (typeof ConversionGoalCategory)[keyof typeof ConversionGoalCategory];
