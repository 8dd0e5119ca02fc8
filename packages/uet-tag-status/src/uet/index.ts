export type {
  ConversionMatcher,
  ConversionMatcherOptions,
} from './createConversionMatcher.js';
export { createConversionMatcher, DEFAULT_VISIT_TIMEOUT_MS } from './createConversionMatcher.js';
export type {
  EventConditions,
  ExpressionOperator,
  GoalDefinition,
  GoalExpression,
  ValueCondition,
  ValueOperator,
} from './goalDefinition.js';
export {
  checkGoalDefinition,
  DEFAULT_CONVERSION_WINDOW_MINUTES,
  EXPRESSION_OPERATORS,
  MAX_CONVERSION_WINDOW_MINUTES,
  MAX_EVENT_EXPRESSION_LENGTH,
  MAX_MINIMUM_DURATION_SECONDS,
  MAX_URL_EXPRESSION_LENGTH,
  VALUE_OPERATORS,
} from './goalDefinition.js';
export { isAdClick } from './isAdClick.js';
export { isBeaconTarget, parseBeacon, parseBeaconQuery } from './parseBeacon.js';
export type { CompiledRegex } from './regex/compileDotNetRegex.js';
export { compileDotNetRegex } from './regex/compileDotNetRegex.js';
export { RegexRefusal } from './regex/RegexRefusal.js';
export type { UetHit } from './UetHit.js';
