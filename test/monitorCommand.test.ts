import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../packages/uet-tag/src/cli/cliIo.js';
import {
  type MonitorEnvironment,
  registerMonitorCommand,
} from '../packages/uet-tag/src/cli/monitorCommand.js';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor } from '../packages/uet-tag-status/src/monitor/createTagMonitor.js';
import { spawnJsonLines } from './support/childProcess.js';
import { buildCliBundle, repoRoot } from './support/monitorSupport.js';
import { changeRecord } from './support/records.js';
import { CLI_SOURCE, sourceNodeArgs } from './support/sourceProcess.js';
import { simulatedClockAt } from './support/testClocks.js';

const T0 = Date.UTC(2025, 4, 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-cli-'));
let childEntry = '';
beforeAll(() => {
  childEntry = buildCliBundle();
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(path.dirname(childEntry), { recursive: true, force: true });
});

function capture() {
  let stdout = '';
  let stderr = '';
  let exitCode = 0;
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  return {
    io,
    stdoutLines: () =>
      stdout
        .trimEnd()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    stderr: () => stderr,
    exitCode: () => exitCode,
  };
}

async function runInProcess(args: string[], chunks: string[]) {
  const output = capture();
  const clock = simulatedClockAt(T0);
  const environment: MonitorEnvironment = {
    stdin: Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
    signals: new EventEmitter(),
    clock,
  };
  const program = new Command('uet-tag').exitOverride();
  registerMonitorCommand(program, output.io, environment);
  await program.parseAsync(['monitor', ...args], { from: 'user' });
  return output;
}

const inputLines = [
  JSON.stringify({
    kind: 'registerTag',
    tagId: 'shop',
    goals: [{ goalId: 'buy', goalType: 'Url' }],
  }),
  JSON.stringify({ kind: 'activity', tagId: 'shop', at: T0 - 1_000 }),
  'not json at all',
  JSON.stringify({ kind: 'conversion', tagId: 'shop', goalId: 'nope', at: T0 }),
  JSON.stringify({ kind: 'conversion', tagId: 'shop', goalId: 'buy', at: T0 }),
  '',
  JSON.stringify({ kind: 'launch', tagId: 'shop' }),
];

describe('uet-tag monitor', () => {
  it('reads NDJSON input records split anywhere, commits every --batch-size inputs (not per chunk), prints each change and an ack per commit, and reports bad lines by number', async () => {
    const text = `${inputLines.join('\n')}\n`;
    const chunks = [text.slice(0, 17), text.slice(17, 90), text.slice(90)];
    const output = await runInProcess(
      ['--memory', '--ack', '--batch-size', '2', '--commit-interval', '1h'],
      chunks,
    );
    const offsetAfter = (line: number) =>
      Buffer.byteLength(`${inputLines.slice(0, line).join('\n')}\n`);
    // Commits: after every 2 inputs (bad lines are not inputs) and at the end of the input.
    expect(output.stdoutLines()).toEqual([
      { kind: 'ack', line: 0, offset: 0 },
      changeRecord({
        kind: 'tag',
        tagId: 'shop',
        from: 'Unverified',
        to: 'Active',
        effectiveAt: T0 - 1_000,
        noticedAt: T0,
        seq: 1,
      }),
      changeRecord({
        kind: 'goal',
        tagId: 'shop',
        goalId: 'buy',
        from: 'TagUnverified',
        to: 'NoRecentConversions',
        // The goal was registered at T0: its change is no earlier (decision 10).
        effectiveAt: T0,
        noticedAt: T0,
        seq: 2,
      }),
      { kind: 'ack', line: 2, offset: offsetAfter(2) },
      changeRecord({
        kind: 'goal',
        tagId: 'shop',
        goalId: 'buy',
        from: 'NoRecentConversions',
        to: 'RecordingConversions',
        effectiveAt: T0,
        noticedAt: T0,
        seq: 3,
      }),
      { kind: 'ack', line: 5, offset: offsetAfter(5) },
      { kind: 'ack', line: 7, offset: Buffer.byteLength(text) },
    ]);
    expect(output.stderr()).toBe(
      [
        'line 3: not JSON (Unexpected token \'o\', "not json at all" is not valid JSON)',
        'line 4: goalId: "nope" is not valid: expected the id of a goal attached to tag shop',
        'line 7: kind: "launch" is not valid: expected a record whose kind is one of registerTag, removeTag, attachGoal, detachGoal, activity, conversion, hit, accessLost, accessRestored',
        '',
      ].join('\n'),
    );
    expect(output.exitCode()).toBe(0);
  });

  it('refuses --memory together with --db', async () => {
    await expect(runInProcess(['--memory', '--db', 'x.db'], [])).rejects.toThrow(CommanderError);
  });

  it('reports a store it cannot open and sets exit code 1', async () => {
    const file = path.join(scratch, 'garbage.db');
    fs.writeFileSync(file, 'x'.repeat(4096));
    const output = await runInProcess(['--db', file], []);
    expect(output.exitCode()).toBe(1);
    expect(output.stderr()).toMatch(
      /^error: .*garbage\.db: is damaged or not a database: it does not start with the SQLite header; the file was left untouched\n$/,
    );
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`as a real process, commits, closes the file and exits 0 on ${signal}`, async () => {
      const db = path.join(scratch, `${signal}.db`);
      const cli = spawnJsonLines(
        [...sourceNodeArgs(CLI_SOURCE), 'monitor', '--db', db, '--ack'],
        repoRoot,
      );
      await cli.waitForLine((line) => (line as { kind?: string }).kind === 'ack');
      const now = Date.now();
      cli.child.stdin.write(
        `${inputLines[0]}\n${JSON.stringify({ kind: 'activity', tagId: 'shop', at: now })}\n`,
      );
      await cli.waitForLine((line) => (line as { line?: number }).line === 2);
      cli.child.kill(signal);
      expect(await cli.exited()).toBe(0);
      expect(fs.existsSync(`${db}-wal`)).toBe(false);
      expect(cli.lines.filter((line) => (line as { kind: string }).kind !== 'ack')).toHaveLength(2);
      const reopened = createTagMonitor({ store: createSqliteStore({ path: db }) });
      expect(reopened.status('shop')).toMatchObject({ status: 'Active', lastDataAt: now });
      reopened.close();
    });
  }

  it('follows a file and, restarted, resumes after the last committed line without reporting a change twice', async () => {
    const db = path.join(scratch, 'follow.db');
    const inputs = path.join(scratch, 'follow.ndjson');
    const now = Date.now();
    const line = (value: object) => `${JSON.stringify(value)}\n`;
    fs.writeFileSync(inputs, line({ kind: 'registerTag', tagId: 'a' }));
    const args = [childEntry, 'monitor', '--db', db, '--follow', inputs, '--ack', '--poll', '10'];
    const first = spawnJsonLines(args, repoRoot);
    await first.waitForLine((value) => (value as { line?: number }).line === 1);
    fs.appendFileSync(inputs, line({ kind: 'activity', tagId: 'a', at: now }));
    fs.appendFileSync(inputs, '{"kind":"activity","tagId":"a"');
    await first.waitForLine((value) => (value as { line?: number }).line === 2);
    first.child.kill('SIGTERM');
    expect(await first.exited()).toBe(0);

    fs.appendFileSync(inputs, `,"at":${now + 1}}\n${line({ kind: 'registerTag', tagId: 'b' })}`);
    const second = spawnJsonLines(args, repoRoot);
    await second.waitForLine((value) => (value as { line?: number }).line === 4);
    second.child.kill('SIGTERM');
    expect(await second.exited()).toBe(0);
    expect(second.lines[0]).toEqual({
      kind: 'ack',
      file: inputs,
      line: 2,
      offset: expect.any(Number),
    });
    const changes = [...first.lines, ...second.lines].filter(
      (value) => (value as { kind: string }).kind !== 'ack',
    );
    expect(changes).toEqual([
      expect.objectContaining({
        tagId: 'a',
        from: 'Unverified',
        to: 'Active',
        effectiveAt: now,
        seq: 1,
      }),
    ]);
    const reopened = createTagMonitor({ store: createSqliteStore({ path: db }) });
    expect(reopened.status('a').lastDataAt).toBe(now + 1);
    expect(reopened.size).toBe(2);
    expect(JSON.parse(reopened.checkpoint ?? '')).toMatchObject({
      dev: fs.statSync(inputs).dev,
      ino: fs.statSync(inputs).ino,
      offset: fs.statSync(inputs).size,
      line: 4,
    });
    reopened.close();
  });

  it('follows across log rotations, also while it is down, and applies every line exactly once (tail -F)', async () => {
    const db = path.join(scratch, 'rotation.db');
    const inputs = path.join(scratch, 'rotation.ndjson');
    const now = Date.now() - 60_000;
    const hit = (n: number) =>
      `${JSON.stringify({ kind: 'activity', tagId: `t${n}`, at: now + n })}\n`;
    const args = [
      childEntry,
      'monitor',
      '--db',
      db,
      '--follow',
      inputs,
      '--ack',
      '--poll',
      '10',
      '--auto-register',
    ];
    const applied = (child: ReturnType<typeof spawnJsonLines>, n: number) =>
      child.waitForLine((value) => (value as { tagId?: string }).tagId === `t${n}`);
    fs.writeFileSync(inputs, hit(1) + hit(2));
    const first = spawnJsonLines(args, repoRoot);
    await applied(first, 2);
    fs.renameSync(inputs, `${inputs}.1`);
    fs.appendFileSync(`${inputs}.1`, hit(3));
    fs.writeFileSync(inputs, hit(4));
    await applied(first, 4);
    first.child.kill('SIGTERM');
    expect(await first.exited()).toBe(0);

    // While it is down: the file is rotated again, with a line it has not read yet, and the
    // new file is longer than where it stopped in the old one.
    fs.appendFileSync(inputs, hit(5));
    fs.renameSync(inputs, `${inputs}.2`);
    fs.writeFileSync(inputs, hit(6) + hit(7) + hit(8));
    const second = spawnJsonLines(args, repoRoot);
    await applied(second, 8);
    second.child.kill('SIGTERM');
    expect(await second.exited()).toBe(0);
    expect(second.stderr()).toContain(
      'the file was rotated while the monitor was down: reading its rest first',
    );

    const changes = [...first.lines, ...second.lines].filter(
      (value) => (value as { kind: string }).kind === 'tag',
    ) as { tagId: string }[];
    expect(changes.map((change) => change.tagId)).toEqual([
      't1',
      't2',
      't3',
      't4',
      't5',
      't6',
      't7',
      't8',
    ]);
    const reopened = createTagMonitor({ store: createSqliteStore({ path: db }) });
    expect(reopened.size).toBe(8);
    expect(JSON.parse(reopened.checkpoint ?? '')).toMatchObject({
      line: 3,
      ino: fs.statSync(inputs).ino,
    });
    reopened.close();
  });
});
