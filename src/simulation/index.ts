export { ReplayError } from '../replay/replayError.js';
export type {
  DeclaredGoal,
  MalformedLine,
  ReplayOptions,
  ReplayResult,
  ReplayStatistics,
} from '../replay/replayFile.js';
export { replayFile } from '../replay/replayFile.js';
export type { ReplayFormat } from '../replay/replayFormat.js';
export {
  createLineParser,
  detectReplayFormat,
  REPLAY_FORMATS,
} from '../replay/replayFormat.js';
export type {
  AccessRecord,
  ActivityRecord,
  ConversionRecord,
  LineOutcome,
  LineParser,
  ReplayRecord,
} from '../replay/replayRecord.js';
export type { GoalPath, RequestFilterOptions } from '../replay/requestFilter.js';
export type { ScenarioFormat } from './loadScenario.js';
export { loadScenario, parseScenario } from './loadScenario.js';
export type {
  AccessChange,
  GoalScenario,
  RandomOutages,
  Scenario,
  TagScenario,
  TimeInterval,
  TrafficShape,
} from './scenario.js';
export type { ScenarioIssue } from './scenarioError.js';
export { formatScenarioIssue, ScenarioError } from './scenarioError.js';
export { scenarioSchema } from './scenarioSchema.js';
export type { RunsResult, Spread, SubjectSpread } from './simulateRuns.js';
export { simulateRuns, spreadOf } from './simulateRuns.js';
export type { SimulateOptions, SimulationResult } from './simulateScenario.js';
export { simulateScenario } from './simulateScenario.js';
export type { SimulateWithActorsOptions } from './simulateWithActors.js';
export { simulateWithActors } from './simulateWithActors.js';
export type { TagInputCounts, TagInputVisitor } from './tagInputs.js';
export { visitTagInputs } from './tagInputs.js';
export type { TagProcessorOptions } from './tagProcessor.js';
export { TagProcessor } from './tagProcessor.js';
export {
  formatDuration,
  formatTime,
  offsetMs,
  parseDuration,
  parseTime,
} from './time.js';
export type {
  StatusInterval,
  SubjectTimeline,
  TimelineReport,
  TimelineSubject,
  TrackingStatus,
} from './timeline.js';
export { buildTimeline, subjectLabel } from './timeline.js';
