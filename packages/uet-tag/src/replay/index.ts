/**
 * Replay of recorded traffic through the model: access logs, NDJSON and CSV records.
 *
 * @packageDocumentation
 */

export type { InputErrorCode } from '../io/InputError.js';
export { InputError } from '../io/InputError.js';
export { ReplayError } from './ReplayError.js';
export type { ReadRecordsOptions, ReadSummary } from './readRecords.js';
export { readRecords } from './readRecords.js';
export type { RecordSink } from './recordSink.js';
export type {
  DeclaredGoal,
  MalformedLine,
  ReplayOptions,
  ReplayResult,
  ReplayStatistics,
} from './replayFile.js';
export { replayFile } from './replayFile.js';
export type { ReplayFormat } from './replayFormat.js';
export { createLineParser, detectReplayFormat, REPLAY_FORMATS } from './replayFormat.js';
export type { ActivitySink, LineOutcome, LineParser } from './replayRecord.js';
export type { GoalPath, RequestFilterOptions } from './requestFilter.js';
