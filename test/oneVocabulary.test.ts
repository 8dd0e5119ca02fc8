import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle } from './support/monitorSupport.js';

/*
 * One input vocabulary: a file of input records that `uet-tag monitor` reads replays with
 * `uet-tag replay`, and the NDJSON a replay reads feeds `uet-tag monitor`, and both report
 * the same changes, when the monitor processes each record at its own time
 * (`--clock records`), as replay does. (A monitor on the wall clock reads a backlog at
 * once: it reports the same current statuses, but D1 keeps it from rewriting the past.)
 */

const HOUR = 3_600_000;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-vocabulary-'));
let cli = '';
beforeAll(() => {
  cli = buildCliBundle();
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(path.dirname(cli), { recursive: true, force: true });
});

/** Three days of a shop's activity with a 30-hour outage, and purchases; the newest record an hour old. */
function history(now: number): object[] {
  const start = now - 72 * HOUR;
  const records: object[] = [];
  for (let hour = 0; hour < 72; hour++) {
    if (hour >= 20 && hour < 50) continue;
    const at = new Date(start + hour * HOUR + 17_000).toISOString();
    records.push({ kind: 'activity', tagId: 'shop', at });
    if (hour % 9 === 0) records.push({ kind: 'conversion', tagId: 'shop', goalId: '10', at });
  }
  return records;
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

type Change = {
  kind: string;
  tagId: string;
  goalId?: string;
  from: string;
  to: string;
  effectiveAt: number;
};
const comparable = ({ kind, tagId, goalId, from, to, effectiveAt }: Change) => ({
  kind,
  tagId,
  goalId,
  from,
  to,
  effectiveAt,
});

function monitorChanges(
  file: string,
  extra: readonly string[] = [],
): ReturnType<typeof comparable>[] {
  return run(['monitor', '--memory', '--clock', 'records', ...extra], fs.readFileSync(file, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => comparable(JSON.parse(line) as Change));
}

function replayChanges(file: string): ReturnType<typeof comparable>[] {
  const report = JSON.parse(run(['replay', file, '--json'])) as { changes: Change[] };
  return report.changes.map(comparable);
}

describe('one input vocabulary for monitor and replay', () => {
  it('D1 D5 a monitor input file (registration first) replays with uet-tag replay, giving the same changes', () => {
    const now = Date.now();
    const file = path.join(scratch, 'monitor-inputs.ndjson');
    const records = [
      { kind: 'registerTag', tagId: 'shop', goals: [{ goalId: '10', goalType: 'Url' }] },
      ...history(now),
    ];
    fs.writeFileSync(file, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
    const fromMonitor = monitorChanges(file);
    expect(fromMonitor.length).toBeGreaterThanOrEqual(6);
    expect(replayChanges(file)).toEqual(fromMonitor);
  });

  it('D1 D5 the NDJSON a replay reads (no registrations: conversions name their goal type) feeds uet-tag monitor --auto-register, giving the same changes', () => {
    const now = Date.now();
    const file = path.join(scratch, 'replay-records.ndjson');
    const records = history(now).map((record) =>
      (record as { kind: string }).kind === 'conversion' ? { ...record, goalType: 'Url' } : record,
    );
    fs.writeFileSync(file, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
    const fromReplay = replayChanges(file);
    expect(fromReplay.map((change) => `${change.goalId ?? 'tag'} ${change.to}`)).toContain(
      'tag Inactive',
    );
    expect(monitorChanges(file, ['--auto-register'])).toEqual(fromReplay);
  });
});
