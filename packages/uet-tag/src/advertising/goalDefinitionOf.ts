import {
  checkGoalDefinition,
  type EventConditions,
  type GoalDefinition,
  type GoalExpression,
  TrackingInputError,
} from 'uet-tag-status';
import type { ConversionGoalFields } from './conversionGoalSchema.js';

/** Where each field of a `GoalDefinition` comes from in a `ConversionGoal`, for messages. */
const API_FIELDS: Readonly<Record<string, string>> = {
  goalId: 'Id',
  goalType: 'Type',
  status: 'Status',
  conversionWindowMinutes: 'ConversionWindowInMinutes',
  'url.expression': 'UrlExpression',
  'url.operator': 'UrlOperator',
  'event.action.expression': 'ActionExpression',
  'event.action.operator': 'ActionOperator',
  'event.category.expression': 'CategoryExpression',
  'event.category.operator': 'CategoryOperator',
  'event.label.expression': 'LabelExpression',
  'event.label.operator': 'LabelOperator',
  'event.value.value': 'Value',
  'event.value.operator': 'ValueOperator',
  minimumDurationSeconds: 'MinimumDurationInSeconds',
  minimumPagesViewed: 'MinimumPagesViewed',
};

/**
 * The `ConversionGoal` field that a field of its goal definition comes from:
 * `url.expression` → `UrlExpression`.
 *
 * @example
 * ```ts
 * apiFieldOf('event.value.operator'); // 'ValueOperator'
 * ```
 */
export function apiFieldOf(definitionField: string): string {
  return API_FIELDS[definitionField] ?? definitionField;
}

function expressionOf(expression: string | undefined, operator: string | undefined) {
  if (expression === undefined || operator === undefined) return undefined;
  return { operator, expression } as GoalExpression;
}

/**
 * A goal definition, as the monitor, the matcher and replay take it, from a
 * `ConversionGoal` in the API's shape (SPEC A1, A2, M2–M6), checked whole: a regular
 * expression JavaScript reads differently from .NET is refused here (SPEC M2).
 *
 * @param path - where the goal sits, for messages: `ConversionGoals[3]`.
 * @example
 * ```ts
 * const definition = goalDefinitionOf(
 *   conversionGoalSchema.parse({ Id: 46000001, Type: 'UrlGoal', TagId: 26000001, UrlExpression: 'contoso.com/thanks', UrlOperator: 'BeginsWith' }),
 *   'goal',
 * ); // { goalId: '46000001', goalType: 'Url', url: { operator: 'BeginsWith', expression: 'contoso.com/thanks' } }
 * ```
 * @throws `TrackingInputError` `invalidGoalDefinition` naming the API's field:
 * `ConversionGoals[3].UrlExpression`.
 */
export function goalDefinitionOf(goal: ConversionGoalFields, path: string): GoalDefinition {
  const definition: Record<string, unknown> = { goalId: goal.Id, goalType: goal.Type };
  if (goal.Status !== undefined) definition.status = goal.Status;
  if (goal.ConversionWindowInMinutes !== undefined)
    definition.conversionWindowMinutes = goal.ConversionWindowInMinutes;
  switch (goal.Type) {
    case 'Url':
      definition.url = expressionOf(goal.UrlExpression, goal.UrlOperator);
      break;
    case 'Event': {
      const event: Record<string, unknown> = {};
      const action = expressionOf(goal.ActionExpression, goal.ActionOperator);
      const category = expressionOf(goal.CategoryExpression, goal.CategoryOperator);
      const label = expressionOf(goal.LabelExpression, goal.LabelOperator);
      if (action !== undefined) event.action = action;
      if (category !== undefined) event.category = category;
      if (label !== undefined) event.label = label;
      if (goal.Value !== undefined && goal.ValueOperator !== undefined) {
        event.value = { operator: goal.ValueOperator, value: goal.Value };
      }
      definition.event = event as EventConditions;
      break;
    }
    case 'Duration':
      definition.minimumDurationSeconds = goal.MinimumDurationInSeconds;
      break;
    case 'PagesViewedPerVisit':
      definition.minimumPagesViewed = goal.MinimumPagesViewed;
      break;
  }
  try {
    return checkGoalDefinition('', definition);
  } catch (error) {
    if (!(error instanceof TrackingInputError)) throw error;
    const field = apiFieldOf(error.field.replace(/^\./, ''));
    throw new TrackingInputError(error.code, `${path}.${field}`, error.value, error.expected);
  }
}

/**
 * The `ConversionGoal` fields a goal definition stands for (the inverse of
 * {@link goalDefinitionOf}), for writing goals back in the API's shape (SPEC A3):
 * `Status`, `ConversionWindowInMinutes` and the fields of its type.
 *
 * @example
 * ```ts
 * apiFieldsOf({ goalId: '1', goalType: 'Url', url: { operator: 'Contains', expression: 'thanks' } });
 * // { UrlExpression: 'thanks', UrlOperator: 'Contains' }
 * ```
 */
export function apiFieldsOf(definition: GoalDefinition): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (definition.status !== undefined) fields.Status = definition.status;
  if (definition.conversionWindowMinutes !== undefined)
    fields.ConversionWindowInMinutes = definition.conversionWindowMinutes;
  if (definition.url !== undefined) {
    fields.UrlExpression = definition.url.expression;
    fields.UrlOperator = definition.url.operator;
  }
  const { event } = definition;
  for (const [key, prefix] of [
    ['action', 'Action'],
    ['category', 'Category'],
    ['label', 'Label'],
  ] as const) {
    const condition = event?.[key];
    if (condition !== undefined) {
      fields[`${prefix}Expression`] = condition.expression;
      fields[`${prefix}Operator`] = condition.operator;
    }
  }
  if (event?.value !== undefined) {
    fields.Value = event.value.value;
    fields.ValueOperator = event.value.operator;
  }
  if (definition.minimumDurationSeconds !== undefined)
    fields.MinimumDurationInSeconds = definition.minimumDurationSeconds;
  if (definition.minimumPagesViewed !== undefined)
    fields.MinimumPagesViewed = definition.minimumPagesViewed;
  return fields;
}
