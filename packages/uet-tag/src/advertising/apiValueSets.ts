import { ConversionGoalType } from 'uet-tag-status';

/*
 * `ExpressionOperator`, `ValueOperator` and `ConversionGoalStatus` are value sets of the
 * model too (goal matching, SPEC A2, M2, M4): they come from the library.
 */
export { ConversionGoalStatus, ExpressionOperator, ValueOperator } from 'uet-tag-status';

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
