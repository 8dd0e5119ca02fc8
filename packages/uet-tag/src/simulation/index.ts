export {
  formatDuration,
  formatTime,
  offsetMs,
  parseDuration,
  parseTime,
} from '../time.js';
export { ChangeLimitError } from '../timelines/ChangeLimitError.js';
export type { ChangeSink, SubjectSpan } from '../timelines/changeSink.js';
export type { SubjectHistory, TagProcessorOptions } from '../timelines/TagProcessor.js';
export { TagProcessor } from '../timelines/TagProcessor.js';
export type {
  StatusInterval,
  SubjectTimeline,
  TimelineReport,
  TimelineSubject,
  TrackingStatus,
} from '../timelines/timeline.js';
export { buildTimeline, subjectLabel } from '../timelines/timeline.js';
export type { ScenarioFormat } from './loadScenario.js';
export { loadScenario, parseScenario } from './loadScenario.js';
export type { ScenarioIssue } from './ScenarioError.js';
export { ScenarioError } from './ScenarioError.js';
export { SimulationLog } from './SimulationLog.js';
export type {
  AccessChange,
  GoalScenario,
  RandomOutages,
  Scenario,
  TagScenario,
  TimeInterval,
  TrafficShape,
} from './scenario.js';
export { scenarioSchema } from './scenarioSchema.js';
export type { RunsResult, Spread, SubjectSpread } from './simulateRuns.js';
export { simulateRuns, spreadOf } from './simulateRuns.js';
export type { LoggedSimulation, SimulateOptions, SimulationResult } from './simulateScenario.js';
export {
  MAX_SIMULATED_CHANGES,
  PROGRESS_PER_TAG,
  simulateScenario,
  simulateToLog,
} from './simulateScenario.js';
export type { SimulateWithActorsOptions } from './simulateWithActors.js';
export { simulateWithActors } from './simulateWithActors.js';
export type { TagInputCounts, TagInputVisitor } from './tagInputs.js';
export { visitTagInputs } from './tagInputs.js';
