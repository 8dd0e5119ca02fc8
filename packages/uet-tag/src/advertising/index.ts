/**
 * Microsoft Advertising objects in their REST JSON form: UET tags and conversion goals
 * read from API responses (SPEC A1, A2) and written back with computed statuses (SPEC A3).
 *
 * @packageDocumentation
 */

export type { AdvertisingIssue } from './AdvertisingObjectError.js';
export { AdvertisingObjectError } from './AdvertisingObjectError.js';
export type {
  AdvertisingObjects,
  ApiAppInstallGoal,
  ApiBatchError,
  ApiConversionGoal,
  ApiConversionGoalBase,
  ApiConversionGoalRevenue,
  ApiDurationGoal,
  ApiEventGoal,
  ApiInStoreTransactionGoal,
  ApiObjectOrigin,
  ApiOfflineConversionGoal,
  ApiPagesViewedPerVisitGoal,
  ApiUetTag,
  ApiUrlGoal,
  JsonObject,
} from './apiObjects.js';
export {
  AttributionModelType,
  ConversionGoalCategory,
  ConversionGoalCountType,
  ConversionGoalRevenueType,
  ConversionGoalStatus,
  EntityScope,
  ExpressionOperator,
  GOAL_TYPE_SPELLINGS,
  ValueOperator,
} from './apiValueSets.js';
export type { ConversionGoalFields } from './conversionGoalSchema.js';
export { conversionGoalSchema, EVENT_CONDITION_PAIRS } from './conversionGoalSchema.js';
export { INT64_MAX, normalizeInt64Id } from './fieldSchemas.js';
export { apiFieldOf, apiFieldsOf, goalDefinitionOf } from './goalDefinitionOf.js';
export {
  loadAdvertisingObjects,
  loadAdvertisingObjectsFile,
  readAdvertisingObjects,
} from './loadAdvertisingObjects.js';
export {
  advertisingResponseSchema,
  getConversionGoalsResponseSchema,
  getUetTagsByIdsResponseSchema,
  partialErrorsSchema,
} from './responseSchemas.js';
export type { UetTagFields } from './uetTagSchema.js';
export { uetTagSchema } from './uetTagSchema.js';
export type {
  ConversionGoalsResponse,
  GoalStatusRecord,
  GoalWriteOptions,
  StatusLookup,
  TagStatusRecord,
  UetTagsResponse,
} from './writeAdvertisingObjects.js';
export {
  conversionGoalsResponseOf,
  reportedGoalStatus,
  uetTagsResponseOf,
  writeConversionGoalsResponse,
  writeUetTagsResponse,
} from './writeAdvertisingObjects.js';
