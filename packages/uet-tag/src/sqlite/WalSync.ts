import fs from 'node:fs';
import path from 'node:path';

interface Waiter {
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function waiter(): Waiter {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/**
 * Makes the commits of a SQLite database in WAL mode with `synchronous = NORMAL` durable
 * without blocking the event loop: such a commit returns once its frames are written to
 * the WAL file (in the operating system's cache), and {@link WalSync.sync} flushes the WAL
 * file to the disk with `fdatasync` on libuv's thread pool, so the caller goes on parsing
 * and applying while the disk works. A sync covers every commit made before it was asked
 * for. Up to `maxInFlight` flushes run at once (a disk finishes overlapping flushes of one
 * file far faster than the same number one after another); asks made while that many run
 * share the next one. The first sync also flushes the directory, so a WAL file created by
 * this connection is found after a power loss. Checkpoints are SQLite's (with `NORMAL` it
 * syncs the WAL before one and the database file after it).
 *
 * A failed flush is final: the disk may have dropped what it was given, so every later
 * sync fails with the same error and the caller must stop acknowledging.
 *
 * @example
 * ```ts
 * const wal = new WalSync('/data/tags.db');
 * db.transaction(() => insert.run(row))();
 * await wal.sync(); // the row is on disk
 * ```
 */
export class WalSync {
  /** Open descriptors of the WAL file not flushing now; one per flush that runs. */
  private readonly idle: number[] = [];
  private directorySynced = false;
  private running = 0;
  private queued: Waiter | undefined;
  private failure: { readonly error: unknown } | undefined;
  private closed = false;

  /**
   * @param databaseFile The database file; its WAL file is `<databaseFile>-wal`.
   * @param maxInFlight How many flushes may run at once (each holds a thread of libuv's
   * pool, 4 by default, while it runs).
   */
  constructor(
    private readonly databaseFile: string,
    private readonly maxInFlight = 3,
  ) {}

  /**
   * Resolves once every commit made before this call is on disk; rejects when the flush
   * fails (then nothing after it may be acknowledged) or the store closed before it.
   */
  sync(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure.error);
    if (this.closed) return Promise.reject(new Error(`${this.databaseFile} is closed`));
    if (this.queued !== undefined) return this.queued.promise;
    const next = waiter();
    if (this.running >= this.maxInFlight) this.queued = next;
    else this.start(next);
    return next.promise;
  }

  /**
   * Flushes the WAL file now, on the calling thread, resolves every sync asked for and
   * releases the file: call it after the last commit, before the connection closes.
   * @throws when the flush fails.
   */
  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    const queued = this.queued;
    this.queued = undefined;
    try {
      if (this.failure !== undefined) throw this.failure.error;
      this.flushSync();
      queued?.resolve();
    } catch (error) {
      this.failure ??= { error };
      queued?.reject(error);
      throw error;
    } finally {
      if (this.running === 0) this.release();
    }
  }

  /**
   * Starts a flush on a descriptor of its own: the kernel reports a write-back error once
   * per open file, so flushes that overlap on one descriptor could see one fail and the
   * other succeed for the same lost pages.
   */
  private start(current: Waiter): void {
    this.running += 1;
    let fd: number | undefined;
    try {
      fd = this.open();
    } catch (error) {
      this.finish(current, undefined, error);
      return;
    }
    // No WAL file: nothing was committed since the database was opened (a commit makes it).
    if (fd === undefined) setImmediate(() => this.finish(current, undefined, undefined));
    else fs.fdatasync(fd, (error) => this.finish(current, fd, error ?? undefined));
  }

  private finish(current: Waiter, fd: number | undefined, error: unknown): void {
    this.running -= 1;
    if (fd !== undefined) this.idle.push(fd);
    if (error !== undefined) this.failure ??= { error };
    if (this.failure === undefined) current.resolve();
    else current.reject(this.failure.error);
    const next = this.queued;
    this.queued = undefined;
    if (this.closed) {
      if (this.running === 0) this.release();
    } else if (next !== undefined) {
      if (this.failure === undefined) this.start(next);
      else next.reject(this.failure.error);
    }
  }

  /**
   * A descriptor of the WAL file that no flush uses, opened when there is none (once a
   * commit has made the file); `undefined` while there is no WAL file.
   */
  private open(): number | undefined {
    const idle = this.idle.pop();
    if (idle !== undefined) return idle;
    const wal = `${this.databaseFile}-wal`;
    if (!fs.existsSync(wal)) return undefined;
    if (!this.directorySynced) {
      const directory = fs.openSync(path.dirname(this.databaseFile), 'r');
      try {
        fs.fsyncSync(directory);
      } finally {
        fs.closeSync(directory);
      }
      this.directorySynced = true;
    }
    return fs.openSync(wal, 'r+');
  }

  private flushSync(): void {
    const fd = this.open();
    if (fd === undefined) return;
    try {
      fs.fdatasyncSync(fd);
    } finally {
      this.idle.push(fd);
    }
  }

  /** Closes the descriptors (once no flush runs). */
  private release(): void {
    for (const fd of this.idle.splice(0)) fs.closeSync(fd);
  }
}
