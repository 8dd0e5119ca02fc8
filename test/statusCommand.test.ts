import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAdvertisingObjects } from '../packages/uet-tag/src/advertising/index.js';
import { createProgram } from '../packages/uet-tag/src/cli/main.js';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor, type GoalDefinition } from '../packages/uet-tag-status/src/index.js';
import { runInProcess } from './support/runInProcess.js';
import { schemaErrors } from './support/shippedSchema.js';
import { simulatedClockAt } from './support/testClocks.js';

/* uet-tag status: the statuses a monitor's SQLite file holds, at a time (SPEC A3, D7). */

const T0 = Date.UTC(2025, 3, 1, 9);
const HOUR = 3_600_000;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-status-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const thanks: GoalDefinition = {
  goalId: '46000001',
  goalType: 'Url',
  url: { operator: 'BeginsWith', expression: 'contoso.com/thanks' },
};

/** A monitor file: tag 26000001 with a hit that converted, tag 26000002 without access. */
function monitorFile(name: string, keepOpen = false) {
  const file = path.join(scratch, name);
  const clock = simulatedClockAt(T0);
  const monitor = createTagMonitor({ clock, store: createSqliteStore({ path: file }) });
  monitor.registerTag('26000001', { goals: [thanks] });
  monitor.registerTag('26000002', { goals: [{ goalId: '46000002', goalType: 'Event' }] });
  monitor.recordHit('ti=26000001&evt=pageLoad&p=https%3A%2F%2Fcontoso.com%2Fthanks', T0);
  monitor.loseTagAccess('26000002');
  if (!keepOpen) monitor.close();
  return { file, monitor };
}

const run = runInProcess;

describe('uet-tag status', () => {
  it('prints the stored statuses as a table, as of --at, with the silences due by then applied', async () => {
    const { file } = monitorFile('table.db');
    const soon = await run(['status', '--db', file, '--at', new Date(T0 + HOUR).toISOString()]);
    expect(soon.code).toBeUndefined();
    expect(soon.out).toBe(
      [
        "statuses at 2025-04-01T10:00:00Z (the monitor's time: 2025-04-01T09:00:00Z)",
        'id          what        status                       since                 last data / conversion',
        '26000001    tag         Active                       2025-04-01T09:00:00Z  2025-04-01T09:00:00Z',
        '  46000001  Url goal    RecordingConversions         2025-04-01T09:00:00Z  2025-04-01T09:00:00Z',
        '26000002    tag         Unverified (no access)       -                     -',
        '  46000002  Event goal  InactiveDueToTagUnavailable  2025-04-01T09:00:00Z  -',
        '',
      ].join('\n'),
    );
    const later = await run([
      'status',
      '--db',
      file,
      '--at',
      new Date(T0 + 25 * HOUR).toISOString(),
      '--json',
    ]);
    const report = JSON.parse(later.out);
    expect(schemaErrors('status-report.v1.json', report)).toEqual([]);
    expect(report.tags.map((tag: { status: string }) => tag.status)).toEqual([
      'Inactive',
      'Unverified',
    ]);
    expect(report.tags[0].since).toBe('2025-04-02T09:00:00.000Z');
    expect(report.tags[0].goals[0]).toMatchObject({ goalId: '46000001', status: 'TagInactive' });
  });

  it('A3 --format api writes UetTags and ConversionGoals with TrackingStatus, InactiveDueToTagUnavailable as TagInactive unless asked for', async () => {
    const { file } = monitorFile('api.db');
    const at = ['--at', new Date(T0 + HOUR).toISOString()];
    const plain = JSON.parse((await run(['status', '--db', file, '--format', 'api', ...at])).out);
    expect(plain).toEqual({
      UetTags: [
        { Id: '26000001', TrackingStatus: 'Active' },
        { Id: '26000002', TrackingStatus: 'Unverified' },
      ],
      ConversionGoals: [
        {
          Id: '46000001',
          Type: 'Url',
          TagId: '26000001',
          UrlExpression: 'contoso.com/thanks',
          UrlOperator: 'BeginsWith',
          TrackingStatus: 'RecordingConversions',
        },
        { Id: '46000002', Type: 'Event', TagId: '26000002', TrackingStatus: 'TagInactive' },
      ],
      PartialErrors: [],
    });
    const asked = await run([
      'status',
      '--db',
      file,
      '--format',
      'api',
      '--return-additional-fields',
      'InactiveDueToTagUnavailable',
      ...at,
    ]);
    expect(JSON.parse(asked.out).ConversionGoals[1].TrackingStatus).toBe(
      'InactiveDueToTagUnavailable',
    );
    const reread = loadAdvertisingObjects(
      JSON.stringify({
        ...JSON.parse(asked.out),
        ConversionGoals: JSON.parse(asked.out).ConversionGoals.slice(0, 1),
      }),
      'status output',
    );
    expect(reread.tags.map((tag) => tag.TrackingStatus)).toEqual(['Active', 'Unverified']);
    expect(reread.goals[0]).toMatchObject({
      UrlOperator: 'BeginsWith',
      TrackingStatus: 'RecordingConversions',
    });
  });

  it('reads the file while a monitor holds it open, writing nothing', async () => {
    const { file, monitor } = monitorFile('open.db', true);
    const before = fs.readFileSync(file);
    const result = await run(['status', '--db', file, '--json']);
    expect(result.code).toBeUndefined();
    expect(JSON.parse(result.out).tags).toHaveLength(2);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    monitor.close();
  });

  it('fails with a clear message for a missing file and a bad option value', async () => {
    const missing = await run(['status', '--db', path.join(scratch, 'none.db')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^error: .*none\.db: cannot be read/);
    const bad = createProgram({
      stdout: { write: () => true },
      stderr: { write: () => true },
      setExitCode: () => undefined,
    }).exitOverride();
    for (const command of bad.commands) command.exitOverride();
    await expect(
      bad.parseAsync(['status', '--db', 'x.db', '--return-additional-fields', 'Industry'], {
        from: 'user',
      }),
    ).rejects.toThrow(/expected InactiveDueToTagUnavailable/);
  });
});
