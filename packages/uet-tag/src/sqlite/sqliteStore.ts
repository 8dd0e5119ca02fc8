import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { MonitorStore, StoreCommit, StoreSnapshot, TrackingWindows } from 'uet-tag-status';
import { MonitorStoreError } from 'uet-tag-status';
import type { WebhookOutbox } from '../service/webhooks/WebhookOutbox.js';
import { type Inspection, inspectExistingFile } from './existingFile.js';
import { encodeHits, foldHitLog } from './hitLog.js';
import { createSchema, migrateSchema, SCHEMA_VERSION } from './schema.js';
import { createSqliteOutbox } from './sqliteOutbox.js';
import { prepareWriterStatements, type WriterStatements, writeTag } from './statements.js';
import { loggedChangeFromRow } from './storedContents.js';
import type { Row } from './storedRows.js';
import { checkStorable } from './storedValues.js';
import { classifyFailure } from './storeErrors.js';
import { inspectStorePath } from './storePath.js';
import { WalSync } from './WalSync.js';
import { acquireWriterLock, type WriterLock } from './writerLock.js';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file; created when missing. */
  readonly path: string;
  /**
   * `full` makes every commit survive a power loss (an fsync per commit); `normal`
   * survives a crash of the process but may lose the last commits on a power loss.
   * @default 'full'
   */
  readonly synchronous?: 'full' | 'normal';
  /**
   * With `synchronous: 'full'`, lets `commit` return once the commit is written to the WAL
   * file, before it is on disk, and makes it durable with `sync()` (an `fdatasync` off the
   * event loop, shared by every commit made before it; see `WalSync`). A program that
   * acknowledges only after `sync()` resolves keeps `full`'s guarantee and overlaps the
   * disk's wait with its next work. Without it every commit waits for the disk.
   * @default false
   */
  readonly deferSync?: boolean;
  /**
   * How many status-neutral hits the log may hold before they are folded into the
   * `tags` table (within a commit).
   * @default 2_000_000
   */
  readonly foldThreshold?: number;
  /**
   * The most the database may grow to, in bytes (SQLite's `max_page_count`); a commit
   * that would need more fails with code `full`. No limit when left out.
   */
  readonly maxDatabaseBytes?: number;
  /**
   * How many of the latest changes the change log keeps (`readChanges`; SSE and webhooks
   * resume from it); older ones are pruned as commits add new ones.
   * @default 1_000_000
   */
  readonly changeLogLimit?: number;
}

/**
 * The SQLite {@link MonitorStore}, with the webhook outbox of `uet-tag serve` in the same
 * file (see `WebhookOutbox`).
 */
export type SqliteMonitorStore = MonitorStore & {
  /**
   * The webhook outbox on the store's writer connection.
   * @throws MonitorStoreError `closed` when the store is not open.
   */
  readonly outbox: WebhookOutbox;
  /**
   * Resolves once every commit made before the call is durable (at once unless the store
   * defers its syncs, see `SqliteStoreOptions.deferSync`); rejects when the disk failed,
   * and from then on.
   */
  sync(): Promise<void>;
};

/** An open store: its writer connection and lock. */
interface Session {
  readonly db: Database.Database;
  readonly statements: WriterStatements;
  readonly lock: WriterLock;
  /** Hits in the hit log, not yet folded into `tags`. */
  loggedHits: number;
  /** The webhook outbox, prepared at its first use. */
  outbox?: WebhookOutbox;
  /** Makes commits durable, when they are not on their own (`deferSync`). */
  readonly walSync: WalSync | undefined;
}

/**
 * A durable {@link MonitorStore} in one SQLite file (better-sqlite3, WAL journal): a
 * commit is one transaction and returns once it is on disk (with `deferSync`, once it is
 * written, for `sync()` to make durable off the event loop). One store writes to a file at
 * a time: a second one, in this process or another, is refused with code `inUse` naming
 * the writer (see `acquireWriterLock`), while readers may read the file. An existing file
 * is checked whole before anything is written to it (see `inspectExistingFile`): a file
 * from a newer version of this library, a damaged or inconsistent file or another
 * program's database is refused with a {@link MonitorStoreError} and left exactly as it
 * was.
 *
 * Import it from `uet-tag/sqlite`, so programs that keep state elsewhere do not load the
 * native module.
 *
 * @example
 * ```ts
 * import { createTagMonitor } from 'uet-tag-status';
 * import { createSqliteStore } from 'uet-tag/sqlite';
 *
 * const monitor = createTagMonitor({ store: createSqliteStore({ path: 'tags.db' }) });
 * ```
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteMonitorStore {
  const description = path.resolve(options.path);
  const foldThreshold = options.foldThreshold ?? 2_000_000;
  const changeLogLimit = options.changeLogLimit ?? 1_000_000;
  const deferred = options.deferSync === true && options.synchronous !== 'normal';
  let session: Session | undefined;

  return {
    description,
    get outbox() {
      if (session === undefined) {
        throw new MonitorStoreError('closed', description, 'the store is closed');
      }
      session.outbox ??= createSqliteOutbox(session.db);
      return session.outbox;
    },
    sync() {
      if (session === undefined) {
        return Promise.reject(new MonitorStoreError('closed', description, 'the store is closed'));
      }
      return session.walSync?.sync() ?? Promise.resolve();
    },
    open(windows) {
      if (session !== undefined) throw new MonitorStoreError('io', description, 'already open');
      const { file } = inspectStorePath(description, description);
      const lock = acquireWriterLock(file, description);
      let inspection: Inspection;
      try {
        inspection = inspectExistingFile(file, description);
      } catch (error) {
        lock.release(lock.createdFile);
        throw error;
      }
      const opened = openWriter(file, inspection, windows, lock);
      session = opened.session;
      return opened.snapshot;
    },
    commit(commit) {
      if (session === undefined) {
        throw new MonitorStoreError('closed', description, 'the store is closed');
      }
      checkStorable(commit, description);
      const live = session;
      const loggedBefore = live.loggedHits;
      try {
        live.db.transaction(() => apply(live, commit))();
      } catch (error) {
        live.loggedHits = loggedBefore;
        if (live.db.inTransaction) live.db.exec('ROLLBACK');
        throw classifyFailure(error, description, 'commit', false);
      }
    },
    readChanges(afterSeq, limit) {
      if (session === undefined) {
        throw new MonitorStoreError('closed', description, 'the store is closed');
      }
      try {
        const rows = session.statements.readChangeLog.raw().all(afterSeq, limit) as Row[];
        return rows.map((row) => loggedChangeFromRow(row, description));
      } catch (error) {
        throw classifyFailure(error, description, 'read the change log', false);
      }
    },
    close() {
      if (session === undefined) return;
      const { db, statements, lock, loggedHits, walSync } = session;
      session = undefined;
      try {
        if (loggedHits > 0) db.transaction(() => foldHitLog(statements))();
        walSync?.closeSync();
      } catch (error) {
        throw classifyFailure(error, description, 'close', false);
      } finally {
        db.close();
        lock.release(true);
      }
    },
  };

  /**
   * Opens the writer connection on a file the inspection accepted: WAL, the durability and
   * size options, the schema when there is none yet, and the hit log folded.
   */
  function openWriter(
    file: string,
    inspection: Inspection,
    windows: TrackingWindows,
    lock: WriterLock,
  ): { session: Session; snapshot: StoreSnapshot } {
    const { contents } = inspection;
    const createdFiles = contents === undefined ? missingFiles(file) : [];
    let db: Database.Database | undefined;
    let inspecting = true;
    try {
      db = new Database(file);
      const journal = db.pragma('journal_mode = WAL', { simple: true });
      inspection.finish(false);
      inspecting = false;
      if (journal !== 'wal') {
        throw new MonitorStoreError('io', description, `cannot use a WAL journal (${journal})`);
      }
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
      if (options.maxDatabaseBytes !== undefined) {
        const pageSize = db.pragma('page_size', { simple: true }) as number;
        db.pragma(
          `max_page_count = ${Math.max(1, Math.floor(options.maxDatabaseBytes / pageSize))}`,
        );
      }
      const writer = db;
      if (contents === undefined) writer.transaction(() => createSchema(writer, windows))();
      else if (inspection.version < SCHEMA_VERSION) {
        writer.transaction(() => migrateSchema(writer, inspection.version))();
      }
      const statements = prepareWriterStatements(writer);
      if (contents !== undefined && contents.loggedHits > 0) {
        writer.transaction(() => foldHitLog(statements))();
      }
      // Opened with every step synced; from here on commits only write, and WalSync syncs.
      const walSync = deferred ? new WalSync(file) : undefined;
      if (deferred) writer.pragma('synchronous = NORMAL');
      return {
        session: { db: writer, statements, lock, loggedHits: 0, walSync },
        snapshot: contents?.snapshot ?? emptySnapshot(windows),
      };
    } catch (error) {
      db?.close();
      if (inspecting) inspection.finish(true);
      for (const created of createdFiles) fs.rmSync(created, { force: true });
      lock.release(lock.createdFile);
      throw classifyFailure(error, description, 'open', false);
    }
  }

  /** Applies one commit, in the order {@link StoreCommit} gives; inside a transaction. */
  function apply(live: Session, commit: StoreCommit): void {
    const { statements } = live;
    if (commit.hits.count > 0) {
      statements.logHits.run(encodeHits(commit.hits));
      live.loggedHits += commit.hits.count;
    }
    if (commit.removedTags.length > 0 || live.loggedHits > foldThreshold) {
      foldHitLog(statements);
      live.loggedHits = 0;
    }
    for (const no of commit.removedTags) {
      statements.deleteTag.run(no);
      statements.deleteGoals.run(no);
      statements.deleteDefinitions.run(no);
      statements.deleteTagChanges.run(no);
    }
    for (const tag of commit.tags) writeTag(statements, tag);
    for (const change of commit.changes) {
      statements.insertChange.run(
        change.seq,
        change.tagNo,
        change.goalId ?? null,
        change.from,
        change.to,
        change.effectiveAt,
        change.noticedAt,
      );
    }
    for (const seq of commit.droppedChanges) statements.deleteChange.run(seq);
    for (const change of commit.log) {
      statements.logChange.run(
        change.seq,
        change.tagId,
        change.goalId ?? null,
        change.from,
        change.to,
        change.effectiveAt,
        change.noticedAt,
      );
    }
    if (commit.log.length > 0) {
      statements.pruneChangeLog.run(commit.state.nextSeq - 1 - changeLogLimit);
    }
    statements.setMeta.run('now', commit.state.now);
    statements.setMeta.run('nextSeq', commit.state.nextSeq);
    statements.setMeta.run('checkpoint', commit.state.checkpoint ?? null);
  }
}

/** A new store's snapshot: no tags, time 0, the first sequence number 1. */
function emptySnapshot(windows: TrackingWindows): StoreSnapshot {
  return {
    windows: { ...windows },
    now: 0,
    nextSeq: 1,
    checkpoint: undefined,
    tags: [],
    changes: [],
  };
}

/** The database file and its WAL files that do not exist yet, so a failed creation removes them. */
function missingFiles(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`].filter((name) => !fs.existsSync(name));
}
