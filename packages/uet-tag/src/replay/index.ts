/**
 * Replay of recorded traffic through the model: access logs, NDJSON and CSV records.
 *
 * @packageDocumentation
 */

export { ReplayError } from './ReplayError.js';
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
export type {
  AccessRecord,
  ActivityRecord,
  ConversionRecord,
  LineOutcome,
  LineParser,
  ReplayRecord,
} from './replayRecord.js';
export type { GoalPath, RequestFilterOptions } from './requestFilter.js';
