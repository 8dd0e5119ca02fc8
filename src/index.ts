export type { FactChange } from './engine/factChange.js';
export { effectiveTimeOf } from './engine/factChange.js';
export { applyFastPath } from './engine/fastPath.js';
export type { DueSilence, SilenceSource } from './engine/nextSilence.js';
export { nextSilence } from './engine/nextSilence.js';
export { settleTag } from './engine/settleTag.js';
export type { StepTagOptions } from './engine/stepTag.js';
export { stepTag } from './engine/stepTag.js';
export { stepThroughMachines } from './engine/stepThroughMachines.js';
export type { GoalFacts, TagFacts } from './engine/tagFacts.js';
export { createTagFacts } from './engine/tagFacts.js';
export type { TrackingInputErrorCode } from './errors.js';
export { TrackingInputError } from './errors.js';
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
export type {
  ApplyOptions,
  GoalStatusReport,
  RegisterTagOptions,
  TagMonitor,
  TagMonitorOptions,
  TagStatusReport,
} from './monitor/createTagMonitor.js';
export { createTagMonitor, DEFAULT_HISTORY_LIMIT } from './monitor/createTagMonitor.js';
export type {
  AccessInput,
  ActivityInput,
  AttachGoalInput,
  BatchResult,
  ConversionInput,
  DetachGoalInput,
  MonitorChangeListener,
  MonitorInput,
  MonitorStatusChange,
  RegisterTagInput,
  RejectedInput,
  RemoveTagInput,
} from './monitor/monitorInput.js';
export { MONITOR_INPUT_KINDS } from './monitor/monitorInput.js';
export type { MonitorStoreErrorCode } from './monitor/monitorStoreError.js';
export { MonitorStoreError } from './monitor/monitorStoreError.js';
export { createMemoryStore } from './monitor/store/memoryStore.js';
export type {
  MonitorStore,
  StoreCommit,
  StoredChange,
  StoredGoal,
  StoredHits,
  StoredMonitorState,
  StoredTag,
  StoreSnapshot,
} from './monitor/store/monitorStore.js';
export type { GoalHistory, GoalStatusInput, TagHistory, TrackingStatuses } from './oracle.js';
export { goalStatusAt, tagStatusAt, trackingStatusesAt } from './oracle.js';
export type { RuntimeClock } from './runtime/clock.js';
export { MAX_TIMER_DELAY_MS, realClock } from './runtime/clock.js';
export type { GoalDefinition, TagRuntime, TagRuntimeOptions } from './runtime/createTagRuntime.js';
export { createTagRuntime, DEFAULT_ALLOWED_SKEW_MS } from './runtime/createTagRuntime.js';
export type {
  GoalStatusChange,
  StatusChange,
  StatusChangeListener,
  TagStatusChange,
} from './runtime/statusChange.js';
export {
  assertEpochMs,
  assertGoalType,
  assertId,
  assertNotInFuture,
  assertSkew,
} from './validation.js';
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
export {
  isUetTagTrackingStatus,
  UetTagTrackingStatus,
  uetTagTrackingStatusMeanings,
} from './valueSets/uetTagTrackingStatus.js';
export type { TrackingWindows } from './windows.js';
export { DAY_MS, DEFAULT_WINDOWS, HOUR_MS, resolveWindows } from './windows.js';
