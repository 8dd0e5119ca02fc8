/**
 * Regenerates the JSON Schemas the `uet-tag` package ships (`packages/uet-tag/schemas/`)
 * from the code's own zod definitions (`SHIPPED_SCHEMAS`): `npm run schemas`. A test fails
 * when a committed file differs from what this writes.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaOf, SHIPPED_SCHEMAS } from '../packages/uet-tag/src/records/jsonSchemas.js';

const folder = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../packages/uet-tag/schemas',
);
mkdirSync(folder, { recursive: true });
const wanted = new Set(SHIPPED_SCHEMAS.map((shipped) => shipped.file));
for (const name of readdirSync(folder)) {
  if (!wanted.has(name)) {
    rmSync(path.join(folder, name));
    console.log(`removed schemas/${name}`);
  }
}
for (const shipped of SHIPPED_SCHEMAS) {
  writeFileSync(
    path.join(folder, shipped.file),
    `${JSON.stringify(jsonSchemaOf(shipped), null, 2)}\n`,
  );
  console.log(`wrote schemas/${shipped.file}`);
}
