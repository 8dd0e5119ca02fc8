import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore, SCHEMA_VERSION } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor, type TagMonitor } from '../packages/uet-tag-status/src/index.js';
import { MonitorStoreError } from '../packages/uet-tag-status/src/monitor/MonitorStoreError.js';
import type { MonitorInput } from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import { simulatedClockAt } from './support/testClocks.js';

const T0 = Date.UTC(2025, 3, 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-sqlite-'));
const mounts: string[] = [];
afterAll(() => {
  for (const mount of mounts) execFileSync('umount', [mount]);
  fs.rmSync(scratch, { recursive: true, force: true });
});
let files = 0;

function freshFile(): string {
  files += 1;
  return path.join(scratch, `monitor-${files}.db`);
}

function open(file: string, options: { maxDatabaseBytes?: number } = {}): TagMonitor {
  const clock = simulatedClockAt(T0);
  return createTagMonitor({ clock, store: createSqliteStore({ path: file, ...options }) });
}

function digest(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** A monitor file with a few tags, closed cleanly. */
function monitorFile(tags = 3): string {
  const file = freshFile();
  const monitor = open(file);
  monitor.apply(
    Array.from({ length: tags }, (_, index): MonitorInput[] => [
      { kind: 'registerTag', tagId: `tag-${index}` },
      { kind: 'activity', tagId: `tag-${index}`, at: T0 },
    ]).flat(),
  );
  monitor.close();
  return file;
}

function expectRefused(file: string, code: string, message: RegExp): void {
  const before = digest(file);
  const listed = fs.readdirSync(path.dirname(file));
  let caught: unknown;
  try {
    open(file);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MonitorStoreError);
  expect(caught).toMatchObject({ code, store: file });
  expect((caught as Error).message).toMatch(message);
  expect(digest(file)).toBe(before);
  expect(fs.readdirSync(path.dirname(file))).toEqual(listed);
}

/**
 * Registers tags in batches of 50 until a commit fails; returns the ids acknowledged
 * (their batch returned), the ids of the failed batch and the failure.
 */
function fillUntilFailure(monitor: TagMonitor) {
  const acknowledged: string[] = [];
  for (let batch = 0; batch < 100_000; batch++) {
    const ids = Array.from({ length: 50 }, (_, index) => `tag-${batch}-${index}-${'x'.repeat(40)}`);
    try {
      monitor.apply(
        ids.flatMap((tagId): MonitorInput[] => [
          { kind: 'registerTag', tagId },
          { kind: 'activity', tagId, at: T0 },
        ]),
      );
    } catch (failure) {
      return { acknowledged, lost: ids, failure };
    }
    acknowledged.push(...ids);
  }
  throw new Error('the database never filled up');
}

function expectExactly(file: string, acknowledged: string[], lost: string[]): void {
  const reopened = open(file);
  expect(reopened.size).toBe(acknowledged.length);
  expect(reopened.tagsInStatus('Active')).toEqual(acknowledged);
  for (const tagId of lost) {
    expect(() => reopened.status(tagId)).toThrowError(
      expect.objectContaining({ code: 'unknownTag' }),
    );
  }
  reopened.close();
}

describe('SQLite store', () => {
  it('uses WAL and writes the schema version and application id', () => {
    const file = monitorFile();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT tag_id, status FROM tags ORDER BY no').all()).toEqual([
      { tag_id: 'tag-0', status: 'Active' },
      { tag_id: 'tag-1', status: 'Active' },
      { tag_id: 'tag-2', status: 'Active' },
    ]);
    db.close();
  });

  it('writes no count of opens, and opens a file of version 0.2.0 that has one without changing it', () => {
    const file = monitorFile();
    const metaKeys = () => {
      const db = new Database(file);
      const keys = db.prepare('SELECT key FROM meta ORDER BY key').pluck().all();
      db.close();
      return keys;
    };
    expect(metaKeys()).toEqual([
      'activityWindowMs',
      'checkpoint',
      'conversionWindowMs',
      'nextSeq',
      'now',
    ]);
    const db = new Database(file);
    db.prepare("INSERT INTO meta (key, value) VALUES ('opens', 3)").run();
    db.close();
    const reopened = open(file);
    expect(reopened.size).toBe(3);
    reopened.close();
    const after = new Database(file);
    expect(after.prepare("SELECT value FROM meta WHERE key = 'opens'").pluck().get()).toBe(3);
    after.close();
  });

  it('D4 refuses a tag id with a lone surrogate as invalidId before it reaches the store; fails a commit whose checkpoint holds one (SQLite text cannot keep it), keeps nothing of it, and the file still opens', () => {
    const file = monitorFile();
    const monitor = open(file);
    expect(() => monitor.registerTag('tag-\uD800')).toThrowError(
      expect.objectContaining({ name: 'TrackingInputError', code: 'invalidId', field: 'tagId' }),
    );
    expect(() =>
      monitor.apply([{ kind: 'registerTag', tagId: 'tag-9' }], { checkpoint: 'at \uDC00' }),
    ).toThrowError(
      expect.objectContaining({
        name: 'MonitorStoreError',
        code: 'io',
        message: expect.stringMatching(
          /cannot store "at \\udc00": it holds a lone UTF-16 surrogate/,
        ),
      }),
    );
    const reopened = open(file);
    expect([...reopened.statuses()].map((status) => status.tagId)).toEqual([
      'tag-0',
      'tag-1',
      'tag-2',
    ]);
    reopened.close();
  });

  it('refuses a file from a newer schema version and leaves it untouched', () => {
    const file = monitorFile();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expectRefused(
      file,
      'newerSchema',
      new RegExp(
        `newer version of uet-tag-status \\(schema ${SCHEMA_VERSION + 1}; this version reads up to ${SCHEMA_VERSION}\\)`,
      ),
    );
  });

  it('refuses a file that is not a database and leaves it untouched', () => {
    const file = freshFile();
    fs.writeFileSync(file, crypto.randomBytes(8192));
    expectRefused(file, 'corrupt', /damaged or not a database/);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a truncated monitor file and leaves it untouched', () => {
    const file = monitorFile(3_000);
    const size = fs.statSync(file).size;
    fs.truncateSync(file, Math.floor(size / 2));
    expectRefused(file, 'corrupt', /damaged or not a database/);
  });

  it('refuses another program’s SQLite database and leaves it untouched', () => {
    const file = freshFile();
    const db = new Database(file);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    db.close();
    expectRefused(file, 'notMonitorStore', /another program/);
  });

  it('refuses a read-only (immutable) file with code readOnly and leaves it untouched', () => {
    const file = monitorFile();
    execFileSync('chattr', ['+i', file]);
    try {
      expectRefused(file, 'readOnly', /cannot be written/);
    } finally {
      execFileSync('chattr', ['-i', file]);
    }
    const reopened = open(file);
    expect(reopened.size).toBe(3);
    reopened.close();
  });

  it('on a full disk (a 256 KiB tmpfs) fails the commit with code full, acknowledges nothing of it, and stops', () => {
    const folder = fs.mkdtempSync(path.join(scratch, 'tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', folder]);
    mounts.push(folder);
    const file = path.join(folder, 'full.db');
    const monitor = open(file);
    const { acknowledged, lost, failure } = fillUntilFailure(monitor);
    expect(failure).toBeInstanceOf(MonitorStoreError);
    expect(failure).toMatchObject({ code: 'full' });
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(() => monitor.recordActivity(acknowledged[0] as string, T0)).toThrowError(
      expect.objectContaining({ code: 'failed' }),
    );
    execFileSync('mount', ['-o', 'remount,size=16m', folder]);
    expectExactly(file, acknowledged, lost);
  });

  it('with maxDatabaseBytes, a commit that needs more fails with code full and nothing of it is kept', () => {
    const file = freshFile();
    const monitor = open(file, { maxDatabaseBytes: 96 * 1024 });
    const { acknowledged, lost, failure } = fillUntilFailure(monitor);
    expect(failure).toMatchObject({ name: 'MonitorStoreError', code: 'full' });
    expect(acknowledged.length).toBeGreaterThan(0);
    expectExactly(file, acknowledged, lost);
  });

  it('migrates a file of schema version 1 (no change log) to the current version once it is checked, data intact', () => {
    const file = monitorFile(2);
    const old = new Database(file);
    old.exec(
      'DROP TABLE change_log; DROP TABLE goal_definitions; DROP TABLE webhook_cursor; DROP TABLE webhook_outbox',
    );
    old.pragma('user_version = 1');
    old.close();
    const monitor = open(file);
    expect(monitor.status('tag-1').status).toBe('Active');
    monitor.recordActivity('tag-1', T0 + 1);
    monitor.registerTag('tag-2');
    monitor.recordActivity('tag-2', T0 + 2);
    expect(monitor.changesAfter(0).map((change) => change.tagId)).toEqual(['tag-2']);
    monitor.close();
    const migrated = new Database(file, { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    migrated.close();
  });

  it('migrates a file of schema version 3 (no webhook outbox) to the current version, its data intact, and the outbox works', () => {
    const file = monitorFile(2);
    const old = new Database(file);
    old.exec('DROP TABLE webhook_cursor; DROP TABLE webhook_outbox');
    old.pragma('user_version = 3');
    old.close();
    const store = createSqliteStore({ path: file });
    const monitor = createTagMonitor({ clock: simulatedClockAt(T0), store });
    expect(monitor.status('tag-1').status).toBe('Active');
    store.outbox.enqueue('https://hooks.example/ *', [{ key: '1', body: '{}' }], 1);
    expect(store.outbox.cursor('https://hooks.example/ *')).toBe(1);
    monitor.close();
    const migrated = new Database(file, { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(migrated.prepare('SELECT key FROM webhook_outbox').pluck().all()).toEqual(['1']);
    migrated.close();
  });

  it('D7 the change log reads every committed change by sequence number, across a restart, whatever the history limit keeps; lastSeq is its head', () => {
    const file = freshFile();
    const clock = simulatedClockAt(T0);
    let monitor = createTagMonitor({
      clock,
      historyLimit: 0,
      store: createSqliteStore({ path: file }),
    });
    expect(monitor.lastSeq).toBe(0);
    monitor.registerTag('a', { goals: [{ goalId: '10', goalType: 'Url' }] });
    monitor.recordActivity('a', T0);
    expect(monitor.lastSeq).toBe(2);
    clock.increment(86_400_000);
    monitor.close();
    monitor = createTagMonitor({ clock, store: createSqliteStore({ path: file }) });
    const feed = monitor.changesAfter(0);
    expect(feed.map((change) => [change.seq, change.kind, change.to])).toEqual([
      [1, 'tag', 'Active'],
      [2, 'goal', 'NoRecentConversions'],
      [3, 'tag', 'Inactive'],
      [4, 'goal', 'TagInactive'],
    ]);
    expect(monitor.lastSeq).toBe(4);
    expect(monitor.history('a')).toEqual([]);
    expect(monitor.changesAfter(3, 1).map((change) => change.seq)).toEqual([4]);
    monitor.close();
  });

  it('D7 a tag registered, changed and removed in one batch leaves no history for a tag that reuses its number', () => {
    const file = freshFile();
    let monitor = open(file);
    monitor.apply([
      { kind: 'registerTag', tagId: 'gone' },
      { kind: 'activity', tagId: 'gone', at: T0 },
      { kind: 'removeTag', tagId: 'gone' },
    ]);
    monitor.registerTag('new');
    monitor.close();
    monitor = open(file);
    expect(monitor.history('new')).toEqual([]);
    expect(monitor.changesAfter(0).map((change) => change.tagId)).toEqual(['gone']);
    monitor.close();
  });
});
