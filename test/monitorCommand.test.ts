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
import { buildMonitorChild, repoRoot } from './support/monitorSupport.js';
import { changeRecord } from './support/records.js';
import { CLI_SOURCE, sourceNodeArgs } from './support/sourceProcess.js';
import { simulatedClockAt } from './support/testClocks.js';

const T0 = Date.UTC(2025, 4, 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-cli-'));
let childEntry = '';
beforeAll(() => {
  childEntry = buildMonitorChild();
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
  it('reads NDJSON inputs split anywhere, prints each change and an ack per commit, and reports bad lines by number', async () => {
    const text = `${inputLines.join('\n')}\n`;
    const chunks = [text.slice(0, 17), text.slice(17, 90), text.slice(90)];
    const output = await runInProcess(['--memory', '--ack', '--batch-size', '2'], chunks);
    const offsetAfter = (line: number) =>
      Buffer.byteLength(`${inputLines.slice(0, line).join('\n')}\n`);
    // Commits: at each chunk's end and after every 2 inputs (malformed lines are not inputs).
    expect(output.stdoutLines()).toEqual([
      { kind: 'ack', line: 0, offset: 0 },
      { kind: 'ack', line: 1, offset: offsetAfter(1) },
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
        effectiveAt: T0 - 1_000,
        noticedAt: T0,
        seq: 2,
      }),
      { kind: 'ack', line: 4, offset: offsetAfter(4) },
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
      { kind: 'ack', line: 7, offset: Buffer.byteLength(text) },
    ]);
    expect(output.stderr()).toBe(
      [
        'line 3: not JSON (Unexpected token \'o\', "not json at all" is not valid JSON)',
        'line 4: goalId: "nope" is not valid: expected the id of a goal attached to tag shop',
        'line 7: kind "launch" is not one of registerTag, removeTag, attachGoal, detachGoal, activity, conversion, accessLost, accessRestored',
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
    expect(second.lines[0]).toEqual({ kind: 'ack', line: 2, offset: expect.any(Number) });
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
    expect(reopened.checkpoint).toBe(JSON.stringify({ offset: fs.statSync(inputs).size, line: 4 }));
    reopened.close();
  });
});
