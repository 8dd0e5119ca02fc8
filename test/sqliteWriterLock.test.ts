import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor } from '../packages/uet-tag-status/src/index.js';
import { MonitorStoreError } from '../packages/uet-tag-status/src/monitor/MonitorStoreError.js';
import { type JsonLinesChild, spawnJsonLines } from './support/childProcess.js';
import { folderState } from './support/monitorFiles.js';
import { buildCliBundle, repoRoot } from './support/monitorSupport.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * One writer per database: a second store on a file, in this process or another, is
 * refused with code inUse naming the writer, and changes nothing; the lock is an OS lock,
 * so a writer killed with SIGKILL leaves none behind; readers still read while it writes.
 */

const T0 = Date.UTC(2025, 3, 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-sqlite-lock-'));
let childEntry = '';
const children: JsonLinesChild[] = [];
beforeAll(() => {
  childEntry = buildCliBundle();
});
afterAll(() => {
  for (const running of children) running.child.kill('SIGKILL');
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(path.dirname(childEntry), { recursive: true, force: true });
});
let folders = 0;

function freshFile(): string {
  folders += 1;
  const folder = path.join(scratch, `case-${folders}`);
  fs.mkdirSync(folder);
  return path.join(folder, 'monitor.db');
}

function monitorOn(file: string) {
  return createTagMonitor({
    clock: simulatedClockAt(T0),
    store: createSqliteStore({ path: file }),
  });
}

const isAck = (line: number) => (value: unknown) =>
  (value as { kind?: string; line?: number }).kind === 'ack' &&
  (value as { line: number }).line === line;

function startMonitorProcess(file: string): JsonLinesChild {
  const running = spawnJsonLines([childEntry, 'monitor', '--db', file, '--ack'], repoRoot);
  children.push(running);
  return running;
}

describe('one writer per SQLite database', () => {
  it('refuses a second store of the same process with inUse naming this process, and changes nothing', () => {
    const file = freshFile();
    const first = monitorOn(file);
    first.registerTag('a');
    const before = folderState(path.dirname(file));
    let failure: unknown;
    try {
      monitorOn(file);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(MonitorStoreError);
    expect(failure).toMatchObject({ code: 'inUse', store: file });
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^${file}: is in use by another store of this process \\(pid ${process.pid}\\), open since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; only one monitor may write to a database at a time; the file was left untouched$`,
      ),
    );
    expect(folderState(path.dirname(file))).toEqual(before);
    first.registerTag('b');
    first.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['monitor.db']);
    const second = monitorOn(file);
    expect([...second.statuses()].map((status) => status.tagId)).toEqual(['a', 'b']);
    second.close();
  });

  it('refuses a second store that names the same file through a symbolic link', () => {
    const file = freshFile();
    const link = path.join(path.dirname(file), 'link.db');
    const first = monitorOn(file);
    fs.symlinkSync(file, link);
    expect(() => monitorOn(link)).toThrowError(
      expect.objectContaining({ name: 'MonitorStoreError', code: 'inUse', store: link }),
    );
    first.close();
    const throughLink = monitorOn(link);
    throughLink.close();
    expect(fs.readdirSync(path.dirname(file)).sort()).toEqual(['link.db', 'monitor.db']);
  });

  it('refuses to open with a damaged lock file, saying what to do, and leaves the file untouched', () => {
    const file = freshFile();
    monitorOn(file).close();
    fs.writeFileSync(`${file}-lock`, 'x'.repeat(1024));
    const before = folderState(path.dirname(file));
    expect(() => monitorOn(file)).toThrowError(
      expect.objectContaining({
        name: 'MonitorStoreError',
        code: 'io',
        message: `${file}: its lock file ${file}-lock cannot be used (file is not a database); if no monitor runs on the database, delete the lock file; the file was left untouched`,
      }),
    );
    expect(folderState(path.dirname(file))).toEqual(before);
  });

  it('lets a reader read the database while the writer writes', () => {
    const file = freshFile();
    const writer = monitorOn(file);
    writer.registerTag('a');
    const reader = new Database(file, { readonly: true });
    const tagIds = reader.prepare('SELECT tag_id FROM tags ORDER BY no').pluck();
    expect(tagIds.all()).toEqual(['a']);
    writer.registerTag('b');
    expect(tagIds.all()).toEqual(['a', 'b']);
    reader.close();
    writer.close();
  });

  it('D7 with real processes: a second monitor fails naming the first, which keeps working; once the first is killed with SIGKILL, a new one opens at once with its data', async () => {
    const file = freshFile();
    const folder = path.dirname(file);
    const first = startMonitorProcess(file);
    await first.waitForLine(isAck(0));
    first.child.stdin.write('{"kind":"registerTag","tagId":"a"}\n');
    await first.waitForLine(isAck(1));

    const before = folderState(folder);
    const second = startMonitorProcess(file);
    second.child.stdin.end();
    expect(await second.exited()).toBe(1);
    expect(second.stderr()).toMatch(
      new RegExp(
        `^error: ${file}: is in use by process ${first.child.pid} on host ${os.hostname()}, its writer since \\d{4}-[\\d-]+T[\\d:.]+Z; only one monitor may write to a database at a time; the file was left untouched\\n$`,
      ),
    );
    expect(second.lines).toEqual([]);
    expect(folderState(folder)).toEqual(before);

    const at = Date.now();
    first.child.stdin.write(
      `{"kind":"registerTag","tagId":"b"}\n{"kind":"activity","tagId":"b","at":${at}}\n`,
    );
    await first.waitForLine(isAck(3));
    expect(first.lines).toContainEqual(
      expect.objectContaining({
        kind: 'tag',
        tagId: 'b',
        from: 'Unverified',
        to: 'Active',
        seq: 1,
      }),
    );
    first.child.kill('SIGKILL');
    expect(await first.exited()).toBe('SIGKILL');
    expect(fs.existsSync(`${file}-lock`)).toBe(true);

    const startedAt = Date.now();
    const third = startMonitorProcess(file);
    await third.waitForLine(isAck(0));
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    third.child.stdin.write(`{"kind":"activity","tagId":"a","at":${at}}\n`);
    await third.waitForLine(isAck(1));
    expect(third.lines).toContainEqual(
      expect.objectContaining({ kind: 'tag', tagId: 'a', to: 'Active', seq: 2 }),
    );
    third.child.stdin.end();
    expect(await third.exited()).toBe(0);
    expect(fs.readdirSync(folder)).toEqual(['monitor.db']);

    const reopened = monitorOn(file);
    expect([...reopened.statuses()].map(({ tagId, status }) => [tagId, status])).toEqual([
      ['a', 'Active'],
      ['b', 'Active'],
    ]);
    expect(reopened.history('b').map(({ seq, to }) => [seq, to])).toEqual([[1, 'Active']]);
    reopened.close();
  });
});
