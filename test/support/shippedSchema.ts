import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { jsonSchemaOf, SHIPPED_SCHEMAS } from '../../packages/uet-tag/src/records/jsonSchemas.js';

/** What the shipped JSON Schema `file` finds wrong with `value` (ajv, which knows nothing of zod). */
export function schemaErrors(file: string, value: unknown): string[] {
  const shipped = SHIPPED_SCHEMAS.find((candidate) => candidate.file === file);
  if (shipped === undefined) throw new Error(`no shipped schema ${file}`);
  const committed = JSON.parse(
    fs.readFileSync(
      path.join(
        path.dirname(fileURLToPath(import.meta.url)),
        '../../packages/uet-tag/schemas',
        file,
      ),
      'utf8',
    ),
  );
  expect(committed).toEqual(jsonSchemaOf(shipped));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (instance: Ajv2020) => void)(ajv);
  const check = ajv.compile(committed);
  return check(value)
    ? []
    : (check.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
