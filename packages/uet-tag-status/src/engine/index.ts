/**
 * The engine: many tags as plain facts, stepped through the same machines by pure
 * transitions. **Unstable**: this entry serves the `uet-tag` command line tool and
 * programs that step many tags themselves; it may change in any release. Its functions
 * have preconditions that the stable API (`createTagMonitor`) keeps for you.
 *
 * @packageDocumentation
 */

export {
  activityKeepsStatus,
  goalStatusLapses,
  INITIAL_TAG_STATUS,
  tagStatusLapses,
} from '../machines/chartFacts.js';
export { earliestReceived, latestReceived } from '../machines/receivedTimes.js';
export { isWithinWindow, windowEndOf } from '../machines/windowArithmetic.js';
export type { HistoryEntry } from '../monitor/ChangeHistory.js';
export { changeRecordOf } from '../monitor/changeRecordOf.js';
export { GoalMatching, hasDefinition } from '../monitor/GoalMatching.js';
export { describeValue, MAX_ECHOED_LENGTH } from '../TrackingInputError.js';
export {
  assertEpochMs,
  assertGoalRoom,
  assertGoalType,
  assertId,
  assertNotInFuture,
  assertSkew,
  checkNewGoal,
  ID_EXPECTED,
  ID_PATTERN,
  isValidId,
  isValidTime,
  MAX_GOALS_PER_TAG,
  MAX_ID_LENGTH,
} from '../validation.js';
export { applyInput } from './applyInput.js';
export { collapseInstantChanges } from './collapseInstantChanges.js';
export type { FactChange } from './factChange.js';
export { effectiveTimeOf } from './factChange.js';
export { applyActivityFastPath } from './fastPath.js';
export type { DueSilence, SilenceSource } from './nextSilence.js';
export { nextSilence, nextSilenceAt, silenceEventAt } from './nextSilence.js';
export { StepMemo } from './StepMemo.js';
export { settleTag } from './settleTag.js';
export type { StepTagOptions } from './stepTag.js';
export { stepTag } from './stepTag.js';
export { stepThroughMachines } from './stepThroughMachines.js';
export type { GoalFacts, TagFacts } from './tagFacts.js';
export { createTagFacts } from './tagFacts.js';
