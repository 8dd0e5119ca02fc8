import { createValueGuard } from './valueSet.js';

/**
 * The `ExpressionOperator` value set of the Campaign Management API: how a goal's URL,
 * event action, category or label expression is compared (SPEC M1, M2), always ignoring
 * letter case.
 *
 * @example
 * ```ts
 * const thanks = { operator: ExpressionOperator.BeginsWith, expression: '/thanks' };
 * ```
 */
export const ExpressionOperator = {
  Equals: 'Equals',
  BeginsWith: 'BeginsWith',
  RegularExpression: 'RegularExpression',
  Contains: 'Contains',
} as const;

/**
 * One value of {@link ExpressionOperator}.
 *
 * @example
 * ```ts
 * const operator: ExpressionOperator = 'Contains';
 * ```
 */
export type ExpressionOperator = (typeof ExpressionOperator)[keyof typeof ExpressionOperator];

/**
 * True only for a value of {@link ExpressionOperator}, spelled exactly.
 *
 * @example
 * ```ts
 * isExpressionOperator('BeginsWith'); // true
 * ```
 */
export const isExpressionOperator = createValueGuard(ExpressionOperator);
