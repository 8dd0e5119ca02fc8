import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore, SCHEMA_VERSION } from '../packages/uet-tag/src/sqlite/index.js';
import { MonitorStoreError } from '../packages/uet-tag-status/src/monitor/MonitorStoreError.js';
import { DEFAULT_WINDOWS } from '../packages/uet-tag-status/src/windows.js';
import {
  editMonitorFile,
  folderState,
  writeCrashedMonitorFile,
  writeMonitorFile,
} from './support/monitorFiles.js';
import { repoRoot } from './support/monitorSupport.js';

/*
 * "Never write to a file you refuse": every file the SQLite store refuses is checked
 * whole before anything is written (header, integrity, schema, every row), and is left
 * with the same bytes and nothing new beside it.
 */

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-sqlite-refusals-'));
const immutable: string[] = [];
afterAll(() => {
  for (const entry of immutable) execFileSync('chattr', ['-i', entry]);
  fs.rmSync(scratch, { recursive: true, force: true });
});
let base = '';
let folders = 0;
beforeAll(() => {
  base = path.join(scratch, 'base.db');
  writeMonitorFile(base, 30);
});

/** A copy of the base monitor file, alone in a new folder. */
function copyOfBase(): string {
  folders += 1;
  const folder = path.join(scratch, `case-${folders}`);
  fs.mkdirSync(folder);
  const file = path.join(folder, 'monitor.db');
  fs.copyFileSync(base, file);
  return file;
}

/** Opens a store on `file` and returns what it threw. */
function openFailure(file: string): unknown {
  const store = createSqliteStore({ path: file });
  try {
    store.open(DEFAULT_WINDOWS);
  } catch (error) {
    return error;
  }
  store.close();
  return undefined;
}

/** Opens `file`, expects a refusal with `code` and `message`, and its folder unchanged. */
function expectRefused(file: string, code: string, message: RegExp): void {
  const before = folderState(path.dirname(file));
  const failure = openFailure(file);
  expect(failure).toBeInstanceOf(MonitorStoreError);
  expect(failure).toMatchObject({ code, store: file });
  expect((failure as Error).message).toMatch(message);
  expect((failure as Error).message).toMatch(/; the file was left untouched$/);
  expect(folderState(path.dirname(file))).toEqual(before);
}

/** A hit log entry of one hit: its time as float64, then its tag number as uint32. */
function hitBlob(at: number, tagNo: number): string {
  const blob = Buffer.alloc(12);
  blob.writeDoubleLE(at, 0);
  blob.writeUInt32LE(tagNo, 8);
  return `x'${blob.toString('hex')}'`;
}

/** Each kind of inconsistent row, made with SQL in a valid file, and how it is named. */
const INCONSISTENT_ROWS: ReadonlyArray<{ name: string; sql: string; message: RegExp }> = [
  {
    name: 'a tag number the monitor cannot address (2^29 or more)',
    sql: 'UPDATE tags SET no = 2000000000 WHERE no = 1',
    message:
      /impossible tags\.no 2000000000 \(tag no 2000000000\): expected an integer from 0 to 536870911/,
  },
  {
    name: 'a negative tag number',
    sql: 'UPDATE tags SET no = -1 WHERE no = 1',
    message: /impossible tags\.no -1 /,
  },
  {
    name: 'a tag status outside the value set',
    sql: "UPDATE tags SET status = 'Dormant' WHERE no = 2",
    message: /impossible tags\.status "Dormant" \(tag no 2\): expected one of Unverified, /,
  },
  {
    name: 'a tag id the monitor does not accept',
    sql: "UPDATE tags SET tag_id = 'has space' WHERE no = 2",
    message:
      /impossible tags\.tag_id "has space" \(tag no 2\): expected a string of 1 to 256 visible/,
  },
  {
    name: 'a tag id with a lone surrogate stored as text',
    sql: "UPDATE tags SET tag_id = CAST(x'7461672deda080' AS TEXT) WHERE no = 2",
    message: /impossible tags\.tag_id x'7461672deda080' \(tag no 2\): expected text in valid UTF-8/,
  },
  {
    name: 'a tag id stored as a blob',
    sql: "UPDATE tags SET tag_id = x'7461672d32' WHERE no = 2",
    message: /impossible tags\.tag_id .* \(tag no 2\): expected text/,
  },
  {
    name: 'a negative time',
    sql: 'UPDATE tags SET changed_at = -5 WHERE no = 2',
    message:
      /impossible tags\.changed_at -5 \(tag no 2\): expected an integer of UTC epoch milliseconds from 0/,
  },
  {
    name: 'a time that is not an integer',
    sql: 'UPDATE tags SET changed_at = 1.5 WHERE no = 2',
    message: /impossible tags\.changed_at 1\.5 \(tag no 2\)/,
  },
  {
    name: 'a time stored as text',
    sql: "UPDATE tags SET changed_at = 'soon' WHERE no = 2",
    message: /impossible tags\.changed_at "soon" \(tag no 2\)/,
  },
  {
    name: 'a flag that is neither 0 nor 1',
    sql: 'UPDATE tags SET tag_available = 2 WHERE no = 2',
    message: /impossible tags\.tag_available 2 \(tag no 2\): expected an integer from 0 to 1/,
  },
  {
    name: 'a last data time before the first',
    sql: 'UPDATE tags SET last_data_at = first_data_at - 1 WHERE no = 2',
    message: /impossible tags\.last_data_at \d+ \(tag no 2, first_data_at \d+\)/,
  },
  {
    name: 'a last data time without a first',
    sql: 'UPDATE tags SET first_data_at = NULL WHERE no = 2',
    message: /impossible tags\.last_data_at \d+ \(tag no 2, first_data_at NULL\)/,
  },
  {
    name: 'a goal status outside the value set',
    sql: "UPDATE goals SET status = 'Recording' WHERE tag_no = 0 AND position = 0",
    message: /impossible goals\.status "Recording" \(goal of tag no 0 at position 0\)/,
  },
  {
    name: 'a goal type spelled differently',
    sql: "UPDATE goals SET goal_type = 'url' WHERE tag_no = 0 AND position = 0",
    message:
      /impossible goals\.goal_type "url" \(goal of tag no 0 at position 0\): expected one of Url, /,
  },
  {
    name: 'a gap in the goal positions',
    sql: 'UPDATE goals SET position = 5 WHERE tag_no = 0 AND position = 1',
    message: /impossible goals\.position 5 \(goal of tag no 0 at position 5\): expected position 1/,
  },
  {
    name: 'a goal position that is not an integer',
    sql: "UPDATE goals SET position = 'second' WHERE tag_no = 0 AND position = 1",
    message:
      /impossible goals\.position "second" \(goal of tag no 0 at position second\): expected position 1/,
  },
  {
    name: 'two goals of one tag with the same id',
    sql: "UPDATE goals SET goal_id = 'signup' WHERE tag_no = 0 AND goal_id = 'install'",
    message:
      /impossible goals\.goal_id "signup" \(goal of tag no 0 at position 1\): expected an id no other goal of the tag has/,
  },
  {
    name: 'a goal of no stored tag',
    sql: 'UPDATE goals SET tag_no = 999 WHERE tag_no = 3',
    message:
      /impossible goals\.tag_no 999 \(goal of tag no 999 at position 0\): expected the number of a stored tag/,
  },
  {
    name: 'a change numbered at or above nextSeq',
    sql: "UPDATE meta SET value = 5 WHERE key = 'nextSeq'",
    message: /impossible changes\.seq 5 \(change seq 5\): expected a number below meta nextSeq 5/,
  },
  {
    name: 'a tag change to a goal status',
    sql: "UPDATE changes SET to_status = 'RecordingConversions' WHERE seq = (SELECT min(seq) FROM changes WHERE goal_id IS NULL)",
    message:
      /impossible changes\.to_status "RecordingConversions" \(change seq \d+\): expected one of Unverified, /,
  },
  {
    name: 'a change with an empty goal id',
    sql: "UPDATE changes SET goal_id = '' WHERE seq = (SELECT min(seq) FROM changes WHERE goal_id IS NOT NULL)",
    message: /impossible changes\.goal_id "" \(change seq \d+\)/,
  },
  {
    name: 'a window of zero',
    sql: "UPDATE meta SET value = 0 WHERE key = 'activityWindowMs'",
    message: /impossible meta\.value 0 \(meta activityWindowMs\): expected an integer from 1 to /,
  },
  {
    name: 'a checkpoint that is not text',
    sql: "UPDATE meta SET value = 5 WHERE key = 'checkpoint'",
    message: /impossible meta\.value 5 \(meta checkpoint\): expected text/,
  },
  {
    name: 'a missing monitor time',
    sql: "DELETE FROM meta WHERE key = 'now'",
    message: /has no meta now/,
  },
  {
    name: 'a meta key that is not valid UTF-8 (found by the byte-damage test)',
    sql: "UPDATE meta SET key = CAST(x'636880636b706f696e74' AS TEXT) WHERE key = 'checkpoint'",
    message:
      /impossible meta\.key x'636880636b706f696e74' \(meta .*\): expected text in valid UTF-8/,
  },
  {
    name: 'an unknown meta key',
    sql: "INSERT INTO meta (key, value) VALUES ('colour', 'blue')",
    message: /impossible meta\.key "colour" \(meta\): expected one of activityWindowMs, /,
  },
  {
    name: 'a hit log entry that is not whole hits',
    sql: "INSERT INTO hit_log (hits) VALUES (x'0102')",
    message:
      /impossible hit_log\.hits x'0102' \(hit log entry \d+\): expected a blob of whole 12-byte hits/,
  },
  {
    name: 'a logged hit with a negative time',
    sql: `INSERT INTO hit_log (hits) VALUES (${hitBlob(-1, 0)})`,
    message: /impossible hit_log\.hits time -1 \(hit log entry \d+\)/,
  },
  {
    name: 'a logged hit with a time that is not a number',
    sql: `INSERT INTO hit_log (hits) VALUES (${hitBlob(Number.NaN, 0)})`,
    message: /impossible hit_log\.hits time NaN \(hit log entry \d+\)/,
  },
];

describe('the SQLite store accepts no inconsistent rows', () => {
  for (const { name, sql, message } of INCONSISTENT_ROWS) {
    it(`refuses ${name}, naming the table, column and value, and leaves the file untouched`, () => {
      const file = copyOfBase();
      editMonitorFile(file, sql);
      expectRefused(file, 'corrupt', message);
    });
  }

  it('opens the unedited file the cases start from', () => {
    const store = createSqliteStore({ path: copyOfBase() });
    expect(store.open(DEFAULT_WINDOWS).tags).toHaveLength(30);
    store.close();
  });
});

describe('the SQLite store checks a file before anything is written', () => {
  it('refuses a damaged index, which integrity_check finds (quick_check does not)', () => {
    const file = copyOfBase();
    const db = new Database(file);
    const { rootpage } = db
      .prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_autoindex_tags_1'")
      .get() as { rootpage: number };
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = fs.readFileSync(file);
    const page = bytes.subarray((rootpage - 1) * pageSize, rootpage * pageSize);
    const entry = page.indexOf('tag-12');
    expect(entry).toBeGreaterThan(0);
    page.write('Z', entry + 'tag-'.length);
    fs.writeFileSync(file, bytes);
    const copy = new Database(file);
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    copy.close();
    expectRefused(file, 'corrupt', /PRAGMA integrity_check reports .*sqlite_autoindex_tags_1/);
  });

  it('refuses a database of another program by its application_id, before SQLite opens it', () => {
    const file = copyOfBase();
    editMonitorFile(file, 'PRAGMA application_id = 42');
    expectRefused(file, 'notMonitorStore', /another program \(application_id 42\)/);
  });

  it('refuses a monitor file without a schema version', () => {
    const file = copyOfBase();
    editMonitorFile(file, 'PRAGMA user_version = 0');
    expectRefused(file, 'corrupt', /has no schema version \(user_version 0\)/);
  });

  it('refuses a header with an impossible page size', () => {
    const file = copyOfBase();
    const bytes = fs.readFileSync(file);
    bytes.writeUInt16BE(1000, 16);
    fs.writeFileSync(file, bytes);
    expectRefused(file, 'corrupt', /impossible page size 1000/);
  });

  it('refuses a header with an unknown schema format (found by the byte-damage test)', () => {
    const file = copyOfBase();
    const bytes = fs.readFileSync(file);
    bytes.writeUInt32BE(5, 44);
    fs.writeFileSync(file, bytes);
    expectRefused(file, 'corrupt', /its header names an unknown schema format 5/);
  });

  it('refuses a file shorter than the page count of its header', () => {
    const file = copyOfBase();
    fs.truncateSync(file, 4096 * 3);
    expectRefused(file, 'corrupt', /truncated: its header counts \d+ pages, the file holds 3/);
  });

  it('refuses a rollback-journal file with a missing table, and leaves it in its journal mode', () => {
    const file = copyOfBase();
    editMonitorFile(file, 'PRAGMA journal_mode = DELETE; DROP TABLE hit_log');
    expect(fs.readFileSync(file)[18]).toBe(1);
    expectRefused(
      file,
      'corrupt',
      new RegExp(
        `schema of a monitor's store \\(version ${SCHEMA_VERSION}\\): it has no table hit_log`,
      ),
    );
    expect(fs.readFileSync(file)[18]).toBe(1);
  });

  it('refuses an object the schema does not create and a table defined differently', () => {
    const extra = copyOfBase();
    editMonitorFile(extra, 'CREATE INDEX tags_by_status ON tags (status)');
    expectRefused(extra, 'corrupt', /it has an unknown index tags_by_status/);
    const altered = copyOfBase();
    editMonitorFile(altered, 'ALTER TABLE tags ADD COLUMN colour TEXT');
    expectRefused(altered, 'corrupt', /it has a different definition of table tags/);
  });

  it('refuses a crashed writer’s file whose WAL commits an impossible row, and keeps no -shm it made', () => {
    const file = copyOfBase();
    editMonitorFile(file, 'PRAGMA journal_mode = WAL');
    crashAfter(file, "UPDATE tags SET status = 'Dormant' WHERE no = 4");
    fs.rmSync(`${file}-shm`);
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    expectRefused(file, 'corrupt', /impossible tags\.status "Dormant" \(tag no 4\)/);
  });

  it('opens a crashed writer’s file with the commits of its WAL', () => {
    const folder = fs.mkdtempSync(path.join(scratch, 'crashed-'));
    const file = path.join(folder, 'crashed.db');
    writeCrashedMonitorFile(file, 12);
    const store = createSqliteStore({ path: file });
    const snapshot = store.open(DEFAULT_WINDOWS);
    expect(snapshot.tags.map((tag) => tag.tagId)).toEqual(
      Array.from({ length: 12 }, (_, index) => `tag-${index}`),
    );
    expect(snapshot.changes.length).toBeGreaterThan(12);
    store.close();
  });

  it('reads a file with a hot journal as SQLite rolls it back (from a copy), so the crashed transaction is not there', () => {
    const file = copyOfBase();
    editMonitorFile(file, 'PRAGMA journal_mode = DELETE');
    crashAfter(
      file,
      "PRAGMA cache_size = 1; BEGIN; UPDATE tags SET status = 'Dormant'; UPDATE changes SET from_status = 'Dormant'",
    );
    const spilled = new Database(fs.readFileSync(file));
    expect(
      spilled.prepare("SELECT count(*) FROM tags WHERE status = 'Dormant'").pluck().get(),
    ).toBe(30);
    spilled.close();
    const store = createSqliteStore({ path: file });
    const unchanged = createSqliteStore({ path: copyOfBase() });
    expect(store.open(DEFAULT_WINDOWS)).toEqual(unchanged.open(DEFAULT_WINDOWS));
    store.close();
    unchanged.close();
    expect(fs.existsSync(`${file}-journal`)).toBe(false);
  });

  it('refuses an empty file with a WAL beside it, which SQLite would throw away', () => {
    const file = copyOfBase();
    fs.writeFileSync(`${file}-wal`, fs.readFileSync(file));
    fs.writeFileSync(file, '');
    expectRefused(file, 'corrupt', /is empty, but its wal file beside it holds data/);
  });
});

describe('the SQLite store says clearly why it cannot use a path', () => {
  it('refuses a directory with code notAFile', () => {
    const folder = fs.mkdtempSync(path.join(scratch, 'directory-'));
    const failure = openFailure(folder);
    expect(failure).toBeInstanceOf(MonitorStoreError);
    expect(failure).toMatchObject({ code: 'notAFile', store: folder });
    expect((failure as Error).message).toBe(
      `${folder}: is a directory; give the path of a database file (it is created when missing)`,
    );
    expect(fs.readdirSync(folder)).toEqual([]);
    expect(fs.readdirSync(path.dirname(folder))).not.toContain(`${path.basename(folder)}-lock`);
  });

  it('refuses a path in a folder that does not exist, and creates nothing', () => {
    const folder = path.join(scratch, 'no-such-folder');
    const file = path.join(folder, 'monitor.db');
    const failure = openFailure(file);
    expect(failure).toMatchObject({ name: 'MonitorStoreError', code: 'io' });
    expect((failure as Error).message).toBe(
      `${file}: cannot be created: its folder ${folder} does not exist`,
    );
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('refuses a new file in a read-only folder, and an existing file there, with code readOnly', () => {
    const folder = fs.mkdtempSync(path.join(scratch, 'read-only-'));
    const existing = path.join(folder, 'existing.db');
    fs.copyFileSync(base, existing);
    execFileSync('chattr', ['+i', folder]);
    immutable.push(folder);
    const before = folderState(folder);
    const created = openFailure(path.join(folder, 'new.db'));
    expect(created).toMatchObject({ name: 'MonitorStoreError', code: 'readOnly' });
    expect((created as Error).message).toMatch(
      /cannot be created: its folder .* cannot be written$/,
    );
    const opened = openFailure(existing);
    expect(opened).toMatchObject({ name: 'MonitorStoreError', code: 'readOnly' });
    expect((opened as Error).message).toMatch(
      /its folder .* cannot be written, and the store keeps its WAL and lock files there; the file was left untouched$/,
    );
    expect(folderState(folder)).toEqual(before);
  });
});

/**
 * Runs `sql` on `file` in a child process that kills itself before closing, as a writer
 * that crashed: a WAL or a hot journal is left beside the file.
 */
function crashAfter(file: string, sql: string): void {
  const script = [
    "const Database = require('better-sqlite3');",
    `const db = new Database(${JSON.stringify(file)});`,
    `db.exec(${JSON.stringify(sql)});`,
    "process.kill(process.pid, 'SIGKILL');",
  ].join('\n');
  expect(() =>
    execFileSync(process.execPath, ['-e', script], { cwd: repoRoot, stdio: 'pipe' }),
  ).toThrow();
}
