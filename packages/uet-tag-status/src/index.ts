export { goalMachine } from './machines/goalMachine.js';
export { goalStatusOf } from './machines/goalStatusOf.js';
export { tagMachine } from './machines/tagMachine.js';
export type {
  GoalAttachedEvent,
  GoalContext,
  GoalConversionRecordedEvent,
  GoalConversionWindowElapsedEvent,
  GoalDetachedEvent,
  GoalEvent,
  GoalMachineInput,
  TagAccessLostEvent,
  TagAccessRestoredEvent,
  TagContext,
  TagDataReceivedEvent,
  TagEvent,
  TagMachineInput,
  TagSilenceElapsedEvent,
  TagStatusChangedEvent,
} from './machines/types.js';
export { createTagMonitor } from './monitor/createTagMonitor.js';
export type { MonitorStoreErrorCode } from './monitor/MonitorStoreError.js';
export { MonitorStoreError } from './monitor/MonitorStoreError.js';
export type {
  AccessInput,
  ActivityInput,
  AttachGoalInput,
  BatchResult,
  ConversionInput,
  DetachGoalInput,
  HitInput,
  MonitorChangeListener,
  MonitorInput,
  MonitorStatusChange,
  RegisterTagInput,
  RejectedInput,
  RemoveTagInput,
} from './monitor/monitorInput.js';
export { MONITOR_INPUT_KINDS } from './monitor/monitorInput.js';
export type { TagMonitorOptions } from './monitor/monitorOptions.js';
export { DEFAULT_HISTORY_LIMIT } from './monitor/monitorOptions.js';
export type { MemoryStoreOptions } from './monitor/store/memoryStore.js';
export { createMemoryStore } from './monitor/store/memoryStore.js';
export type {
  LoggedChange,
  MonitorStore,
  StoreCommit,
  StoredChange,
  StoredGoal,
  StoredHits,
  StoredMonitorState,
  StoredTag,
  StoreSnapshot,
} from './monitor/store/monitorStore.js';
export type {
  ApplyOptions,
  GoalStatusReport,
  RegisterTagOptions,
  TagMonitor,
  TagStatusReport,
} from './monitor/tagMonitor.js';
export type { RuntimeClock } from './runtime/clock.js';
export { MAX_TIMER_DELAY_MS, realClock } from './runtime/clock.js';
export type { TagRuntime, TagRuntimeOptions } from './runtime/createTagRuntime.js';
export { createTagRuntime, DEFAULT_ALLOWED_SKEW_MS } from './runtime/createTagRuntime.js';
export { isoTime } from './runtime/isoTime.js';
export type { ErrorHandler } from './runtime/listeners.js';
export type {
  GoalStatusChange,
  StatusChange,
  StatusChangeFields,
  StatusChangeListener,
  TagStatusChange,
} from './runtime/statusChange.js';
export { statusChange } from './runtime/statusChange.js';
export type { TrackingInputErrorCode } from './TrackingInputError.js';
export { TrackingInputError } from './TrackingInputError.js';
export { hitOf } from './uet/checkUetHit.js';
export type {
  ConversionMatcher,
  ConversionMatcherOptions,
} from './uet/createConversionMatcher.js';
export {
  createConversionMatcher,
  DEFAULT_VISIT_TIMEOUT_MS,
} from './uet/createConversionMatcher.js';
export type {
  EventConditions,
  GoalDefinition,
  GoalExpression,
  ValueCondition,
} from './uet/goalDefinition.js';
export {
  checkGoalDefinition,
  DEFAULT_CONVERSION_WINDOW_MINUTES,
  MAX_CONVERSION_WINDOW_MINUTES,
  MAX_EVENT_EXPRESSION_LENGTH,
  MAX_MINIMUM_DURATION_SECONDS,
  MAX_URL_EXPRESSION_LENGTH,
} from './uet/goalDefinition.js';
export { isAdClick } from './uet/isAdClick.js';
export {
  isBeaconTarget,
  mayBeBeaconTarget,
  parseBeacon,
  parseBeaconQuery,
} from './uet/parseBeacon.js';
export type { UetHit } from './uet/UetHit.js';
export { MAX_GOALS_PER_TAG } from './validation.js';
export {
  ConversionGoalStatus,
  conversionGoalStatusMeanings,
  isConversionGoalStatus,
} from './valueSets/conversionGoalStatus.js';
export {
  ConversionGoalTrackingStatus,
  conversionGoalTrackingStatusMeanings,
  isConversionGoalTrackingStatus,
} from './valueSets/conversionGoalTrackingStatus.js';
export {
  ConversionGoalType,
  conversionGoalTypeMeanings,
  isConversionGoalType,
  isTagBasedGoalType,
} from './valueSets/conversionGoalType.js';
export { ExpressionOperator, isExpressionOperator } from './valueSets/expressionOperator.js';
export {
  isUetTagTrackingStatus,
  UetTagTrackingStatus,
  uetTagTrackingStatusMeanings,
} from './valueSets/uetTagTrackingStatus.js';
export { isValueOperator, ValueOperator } from './valueSets/valueOperator.js';
export type { TrackingWindows } from './windows.js';
export {
  DAY_MS,
  DEFAULT_WINDOWS,
  HOUR_MS,
  MAX_TIME_MS,
  MAX_WINDOW_MS,
  resolveWindows,
} from './windows.js';
