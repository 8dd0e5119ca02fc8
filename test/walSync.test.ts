import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { WalSync } from '../packages/uet-tag/src/sqlite/WalSync.js';
import { temporaryFolder } from './support/serviceSupport.js';

let folder: ReturnType<typeof temporaryFolder> | undefined;
const open: Database.Database[] = [];

afterEach(() => {
  for (const db of open.splice(0)) db.close();
  folder?.remove();
  folder = undefined;
});

/** A real SQLite file in WAL mode with `synchronous = NORMAL` and one table. */
function walDatabase(): { file: string; db: Database.Database } {
  folder ??= temporaryFolder('wal-sync-');
  const file = path.join(folder.dir, `db-${open.length}.sqlite`);
  const db = new Database(file);
  open.push(db);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE hits (n INTEGER)');
  return { file, db };
}

describe('WalSync: the WAL of a SQLite file flushed off the event loop', () => {
  it('D7 a sync asked after commits resolves, and another connection then reads every committed row', async () => {
    const { file, db } = walDatabase();
    const wal = new WalSync(file);
    const insert = db.prepare('INSERT INTO hits VALUES (?)');
    for (let n = 0; n < 10; n++) insert.run(n);
    await wal.sync();
    const reader = new Database(file, { readonly: true });
    try {
      expect(reader.prepare('SELECT count(*) FROM hits').pluck().get()).toBe(10);
    } finally {
      reader.close();
    }
    wal.closeSync();
  });

  it('D7 asks made while as many flushes as allowed run share the next flush, which starts after them', async () => {
    const { file, db } = walDatabase();
    const wal = new WalSync(file, 1);
    db.prepare('INSERT INTO hits VALUES (1)').run();
    const running = wal.sync();
    const next = wal.sync();
    const same = wal.sync();
    expect(next).not.toBe(running);
    expect(same).toBe(next);
    const order: string[] = [];
    await Promise.all([
      running.then(() => order.push('running')),
      next.then(() => order.push('next')),
    ]);
    expect(order).toEqual(['running', 'next']);
    wal.closeSync();
  });

  it('D7 with two flushes allowed, a second ask starts a flush of its own', async () => {
    const { file, db } = walDatabase();
    const wal = new WalSync(file, 2);
    db.prepare('INSERT INTO hits VALUES (1)').run();
    const first = wal.sync();
    const second = wal.sync();
    const third = wal.sync();
    expect(second).not.toBe(first);
    expect(third).not.toBe(second);
    expect(wal.sync()).toBe(third);
    await Promise.all([first, second, third]);
    wal.closeSync();
  });

  it('D7 closeSync flushes at once, resolves the sync still queued and refuses later ones', async () => {
    const { file, db } = walDatabase();
    const wal = new WalSync(file, 1);
    db.prepare('INSERT INTO hits VALUES (1)').run();
    const running = wal.sync();
    const queued = wal.sync();
    wal.closeSync();
    await expect(Promise.all([running, queued])).resolves.toEqual([undefined, undefined]);
    await expect(wal.sync()).rejects.toThrow(`${file} is closed`);
  });

  it('D7 a database whose WAL file does not exist yet has nothing to flush', async () => {
    folder ??= temporaryFolder('wal-sync-');
    const wal = new WalSync(path.join(folder.dir, 'never-opened.sqlite'));
    await expect(wal.sync()).resolves.toBeUndefined();
    wal.closeSync();
  });

  it('D7 a flush that fails is final: that sync and every later one is refused with its error', async () => {
    folder ??= temporaryFolder('wal-sync-');
    const file = path.join(folder.dir, 'broken.sqlite');
    // A directory where the WAL file should be: opening it for writing fails (EISDIR).
    fs.mkdirSync(`${file}-wal`);
    const wal = new WalSync(file);
    const failure = await wal.sync().catch((error: unknown) => error);
    expect((failure as NodeJS.ErrnoException).code).toBe('EISDIR');
    await expect(wal.sync()).rejects.toBe(failure);
    expect(() => wal.closeSync()).toThrow(failure as Error);
  });
});
