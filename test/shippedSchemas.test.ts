import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonSchemaOf, SHIPPED_SCHEMAS } from '../packages/uet-tag/src/records/jsonSchemas.js';
import { buildCliBundle, repoRoot } from './support/monitorSupport.js';

/*
 * The JSON Schemas in packages/uet-tag/schemas are what `npm run schemas` generates from
 * the code's definitions, and what the commands really print (and read) validates
 * against them, checked by a JSON Schema validator that knows nothing of zod.
 */

const schemaFolder = path.join(repoRoot, 'packages/uet-tag/schemas');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-schemas-'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (instance: Ajv2020) => void)(ajv);
let cli = '';

beforeAll(() => {
  cli = buildCliBundle();
  for (const shipped of SHIPPED_SCHEMAS) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaFolder, shipped.file), 'utf8')));
  }
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(path.dirname(cli), { recursive: true, force: true });
});

function validate(file: string, value: unknown): string[] {
  const check = ajv.getSchema(`urn:uet-tag:schema:${file.replace(/\.json$/, '')}`);
  if (check === undefined) throw new Error(`no schema ${file}`);
  return check(value)
    ? []
    : (check.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

function run(args: readonly string[], input?: string): string {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: scratch,
    input,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`uet-tag ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

const example = (name: string) => path.join(repoRoot, 'examples', name);

describe('shipped JSON Schemas', () => {
  it('the committed schema files are exactly what npm run schemas writes, and nothing else', () => {
    expect(fs.readdirSync(schemaFolder).sort()).toEqual(
      SHIPPED_SCHEMAS.map((shipped) => shipped.file).sort(),
    );
    for (const shipped of SHIPPED_SCHEMAS) {
      const committed = fs.readFileSync(path.join(schemaFolder, shipped.file), 'utf8');
      expect(committed, `${shipped.file} is stale: run npm run schemas`).toBe(
        `${JSON.stringify(jsonSchemaOf(shipped), null, 2)}\n`,
      );
    }
  });

  it('simulate --json output validates against simulate-report.v1.json', () => {
    for (const name of ['fortnight.yaml', 'weekendOutage.yaml', 'newTag.json']) {
      const report = JSON.parse(run(['simulate', example(name), '--json']));
      expect(validate('simulate-report.v1.json', report), name).toEqual([]);
    }
  });

  it('simulate --runs --json output validates against runs-report.v1.json', () => {
    const report = JSON.parse(
      run(['simulate', example('lowTrafficFlapping.yaml'), '--runs', '5', '--json']),
    );
    expect(validate('runs-report.v1.json', report)).toEqual([]);
  });

  it('replay --json output and monitor change lines validate; the input records they read validate as input records', () => {
    const now = Date.now();
    const records: object[] = [
      { kind: 'registerTag', tagId: 'shop', goals: [{ goalId: '10', goalType: 'Url' }] },
    ];
    for (let hour = 0; hour < 60; hour++) {
      if (hour >= 10 && hour < 40) continue;
      const at = new Date(now - (60 - hour) * 3_600_000).toISOString();
      records.push({ kind: 'activity', tagId: 'shop', at });
      if (hour % 7 === 0) records.push({ kind: 'conversion', tagId: 'shop', goalId: '10', at });
    }
    for (const record of records) expect(validate('input-record.v1.json', record)).toEqual([]);
    const file = path.join(scratch, 'inputs.ndjson');
    fs.writeFileSync(file, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);

    const replay = JSON.parse(run(['replay', file, '--json'])) as { changes: unknown[] };
    expect(replay.changes.length).toBeGreaterThan(3);
    expect(validate('replay-report.v1.json', replay)).toEqual([]);

    const lines = run(['monitor', '--memory', '--clock', 'records'], fs.readFileSync(file, 'utf8'))
      .trim()
      .split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines)
      expect(validate('status-change.v1.json', JSON.parse(line))).toEqual([]);
  });

  it('the schemas reject what the commands reject: a misspelt kind, a bad time, a missing field', () => {
    expect(validate('input-record.v1.json', { kind: 'activty', tagId: 'a', at: 0 })).not.toEqual(
      [],
    );
    expect(
      validate('input-record.v1.json', { kind: 'activity', tagId: 'a', at: 'yesterday' }),
    ).not.toEqual([]);
    expect(validate('input-record.v1.json', { kind: 'conversion', tagId: 'a' })).not.toEqual([]);
    const change = JSON.parse(
      run(
        ['monitor', '--memory', '--clock', 'records', '--auto-register'],
        '{"kind":"activity","tagId":"a","at":1}\n',
      )
        .trim()
        .split('\n')[0] as string,
    ) as Record<string, unknown>;
    expect(validate('status-change.v1.json', change)).toEqual([]);
    expect(validate('status-change.v1.json', { ...change, to: 'Asleep' })).not.toEqual([]);
    const { tagId: _dropped, ...withoutTag } = change;
    expect(validate('status-change.v1.json', withoutTag)).not.toEqual([]);
  });
});
