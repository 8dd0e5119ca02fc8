import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor } from '../packages/uet-tag-status/src/index.js';
import { runInProcess } from './support/runInProcess.js';
import { schemaErrors } from './support/shippedSchema.js';
import { simulatedClockAt } from './support/testClocks.js';

/* uet-tag reconcile: what Microsoft reported against what the model computes (SPEC A1, A3, R7, G7). */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sample = (name: string) => path.join(repoRoot, 'examples/uet', name);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-reconcile-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const run = runInProcess;

const sampleArgs = [
  'reconcile',
  '--api',
  sample('GetUetTagsByIds.json'),
  '--api',
  sample('GetConversionGoalsByTagIds.json'),
  '--replay',
  sample('hits.log.gz'),
  '--goals',
  sample('account.json'),
  '--at',
  '2025-04-02T09:00:00Z',
];

describe('uet-tag reconcile', () => {
  it('R7 G7 the sample day against a saved response that disagrees: every difference explained, exit code 2', async () => {
    const { out, code } = await run(sampleArgs);
    expect(code).toBe(2);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      `reconcile at 2025-04-02T09:00:00Z against ${sample('hits.log.gz')}: 5 of 10 differ`,
    );
    expect(lines.filter((line) => line.startsWith('  agree'))).toEqual([
      '  agree   tag 26012345 "Shop": Active',
      '  agree   goal 46001002 "Add to cart" of tag 26012345: RecordingConversions',
      '  agree   goal 46001003 "Engaged visit" of tag 26012345: RecordingConversions',
      '  agree   goal 46001004 "Three pages" of tag 26012345: RecordingConversions',
      '  agree   goal 46001005 "Care guide" of tag 26012345: NoRecentConversions',
    ]);
    expect(out).toContain(
      '  DIFFER  tag 26012377 "Spring landing page": Microsoft says Inactive, the model computes Active\n          the model saw 370 hits in the last 24 hours (the last at 2025-04-01T22:04:16Z): the hits reach your collector but not Microsoft — check consent mode',
    );
    expect(out).toContain('Microsoft says Active, the model computes Unverified');
    expect(out).toContain('the model counted 39 conversions in the last 7 days');
    expect(out).toContain('URL begins with shop.example/thanks');
  });

  it('--json gives every object with what each side says and the explanation', async () => {
    const { out, code } = await run([...sampleArgs, '--json']);
    expect(code).toBe(2);
    const report = JSON.parse(out);
    expect(schemaErrors('reconcile-report.v1.json', report)).toEqual([]);
    expect(report).toMatchObject({
      schema: 'reconcile-report.v1',
      at: '2025-04-02T09:00:00.000Z',
      differences: 5,
    });
    expect(report.objects).toHaveLength(10);
    expect(report.objects[1]).toMatchObject({
      kind: 'tag',
      id: '26012377',
      reported: 'Inactive',
      computed: 'Active',
      agrees: false,
    });
    expect(
      report.objects.filter(
        (object: { agrees: boolean; explanation?: string }) =>
          !object.agrees && object.explanation === undefined,
      ),
    ).toEqual([]);
  });

  it('A3 against a monitor`s file: a response that agrees exits 0; InactiveDueToTagUnavailable reads as TagInactive unless the response has it', async () => {
    const file = path.join(scratch, 'monitor.db');
    const T0 = Date.parse('2025-04-01T09:00:00Z');
    const monitor = createTagMonitor({
      clock: simulatedClockAt(T0),
      store: createSqliteStore({ path: file }),
    });
    monitor.registerTag('1', {
      goals: [
        { goalId: '11', goalType: 'Url', url: { operator: 'Contains', expression: 'thanks' } },
      ],
    });
    monitor.registerTag('2', {
      goals: [{ goalId: '21', goalType: 'Url', url: { operator: 'Contains', expression: 'x' } }],
    });
    monitor.recordHit('ti=1&evt=pageLoad&p=https%3A%2F%2Fa.example%2Fthanks', T0);
    monitor.loseTagAccess('2');
    monitor.close();
    const response = path.join(scratch, 'agrees.json');
    const write = (goal21: string) =>
      fs.writeFileSync(
        response,
        JSON.stringify({
          UetTags: [
            { Id: '1', TrackingStatus: 'Active' },
            { Id: '2', TrackingStatus: 'Unverified' },
          ],
          ConversionGoals: [
            {
              Id: '11',
              Type: 'Url',
              TagId: '1',
              UrlExpression: 'thanks',
              UrlOperator: 'Contains',
              TrackingStatus: 'RecordingConversions',
            },
            {
              Id: '21',
              Type: 'Url',
              TagId: '2',
              UrlExpression: 'x',
              UrlOperator: 'Contains',
              TrackingStatus: goal21,
            },
          ],
        }),
      );
    const args = ['reconcile', '--api', response, '--db', file, '--at', '2025-04-01T12:00:00Z'];
    write('TagInactive');
    const agreeing = await run(args);
    expect(agreeing.code).toBeUndefined();
    expect(agreeing.out).toMatch(/: 0 of 4 differ\n/);
    write('InactiveDueToTagUnavailable');
    expect((await run(args)).code).toBeUndefined();
    write('RecordingConversions');
    const differing = await run(args);
    expect(differing.code).toBe(2);
    expect(differing.out).toContain(
      "the model's status comes from the tag, which it has Unverified",
    );
  });

  it('needs one source of the model`s statuses, and names a bad response file', async () => {
    const neither = await run([
      'reconcile',
      '--api',
      sample('GetUetTagsByIds.json'),
      '--at',
      '2025-04-02T09:00:00Z',
    ]);
    expect(neither.code).toBe(1);
    expect(neither.err).toContain('--db <file> or --replay <file>, one of them');
    const bad = path.join(scratch, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ UetTags: [{ Id: 'shop', TrackingStatus: 'Active' }] }));
    const refused = await run([
      'reconcile',
      '--api',
      bad,
      '--db',
      'x.db',
      '--at',
      '2025-04-02T09:00:00Z',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/bad\.json.*UetTags\[0\]\.Id/s);
  });
});
