/**
 * The records of the `uet-tag` tools, version 1: the input record every command and
 * endpoint reads, the status-change record and the `--json` reports they print, as zod
 * definitions, with the JSON Schemas the package ships (`uet-tag/schemas/*.v1.json`).
 *
 * @packageDocumentation
 */

export type { Issue } from '../issues.js';
export { formatIssue, formatJsonPath, schemaIssues } from '../issues.js';
export type { InputRecord, InputRecordResult } from './inputRecord.js';
export {
  INPUT_RECORD_VERSION,
  inputRecordSchema,
  parseInputLine,
  parseInputRecord,
} from './inputRecord.js';
export type { ShippedSchema } from './jsonSchemas.js';
export { jsonSchemaOf, SHIPPED_SCHEMAS } from './jsonSchemas.js';
export type { ReplayReport, RunsReport, SimulateReport, TimelineJson } from './reportSchemas.js';
export {
  changeRecordSchema,
  replayReportSchema,
  runsReportSchema,
  simulateReportSchema,
} from './reportSchemas.js';
