import { z } from 'zod';
import { reconcileReportSchema, statusReportSchema } from './dataReportSchemas.js';
import { inputRecordSchema } from './inputRecord.js';
import {
  changeRecordSchema,
  replayReportSchema,
  runsReportSchema,
  simulateReportSchema,
} from './reportSchemas.js';

/** One JSON Schema the package ships: its file name and the definition it is made from. */
export interface ShippedSchema {
  /** The file in the package's `schemas/` folder, e.g. `input-record.v1.json`. */
  readonly file: string;
  /** The zod definition. */
  readonly schema: z.ZodType;
  /** `input` for what the commands read (before conversion), `output` for what they print. */
  readonly io: 'input' | 'output';
}

/**
 * Every JSON Schema the `uet-tag` package ships, each generated from the code's own
 * definition (`npm run schemas` writes them; a test fails when a committed file differs).
 *
 * @example
 * ```ts
 * for (const shipped of SHIPPED_SCHEMAS) console.log(shipped.file);
 * ```
 */
export const SHIPPED_SCHEMAS: readonly ShippedSchema[] = [
  { file: 'input-record.v1.json', schema: inputRecordSchema, io: 'input' },
  { file: 'status-change.v1.json', schema: changeRecordSchema, io: 'output' },
  { file: 'simulate-report.v1.json', schema: simulateReportSchema, io: 'output' },
  { file: 'runs-report.v1.json', schema: runsReportSchema, io: 'output' },
  { file: 'replay-report.v1.json', schema: replayReportSchema, io: 'output' },
  { file: 'status-report.v1.json', schema: statusReportSchema, io: 'output' },
  { file: 'reconcile-report.v1.json', schema: reconcileReportSchema, io: 'output' },
];

/**
 * A shipped schema as a JSON Schema (draft 2020-12) document, with its `$id`.
 *
 * @example
 * ```ts
 * JSON.stringify(jsonSchemaOf(SHIPPED_SCHEMAS[0]), null, 2);
 * ```
 */
export function jsonSchemaOf(shipped: ShippedSchema): Record<string, unknown> {
  const generated = z.toJSONSchema(shipped.schema, {
    io: shipped.io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  });
  const { $schema, ...rest } = generated;
  return { $schema, $id: `urn:uet-tag:schema:${shipped.file.replace(/\.json$/, '')}`, ...rest };
}
