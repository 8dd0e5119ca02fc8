import { createValueGuard } from './valueSet.js';

/**
 * The `ValueOperator` value set of the Campaign Management API: how an `Event` goal
 * compares a hit's event value with its `Value` (SPEC M4). There is no greater-or-equal.
 *
 * @example
 * ```ts
 * const overTen = { operator: ValueOperator.GreaterThan, value: 10 };
 * ```
 */
export const ValueOperator = {
  Equals: 'Equals',
  LessThan: 'LessThan',
  GreaterThan: 'GreaterThan',
} as const;

/**
 * One value of {@link ValueOperator}.
 *
 * @example
 * ```ts
 * const operator: ValueOperator = 'LessThan';
 * ```
 */
export type ValueOperator = (typeof ValueOperator)[keyof typeof ValueOperator];

/**
 * True only for a value of {@link ValueOperator}, spelled exactly.
 *
 * @example
 * ```ts
 * isValueOperator('GreaterThan'); // true
 * ```
 */
export const isValueOperator = createValueGuard(ValueOperator);
