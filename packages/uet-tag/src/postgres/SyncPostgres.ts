import nodeModule from 'node:module';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import { SqlFailure } from './SqlFailure.js';
import { SYNC_WORKER_SOURCE } from './syncWorkerSource.js';

/** One SQL statement of a {@link SyncPostgres} request; rows come back as arrays. */
export interface SqlStatement {
  readonly text: string;
  readonly values?: readonly unknown[];
  /**
   * When set, the statement must affect or return exactly this many rows; otherwise the
   * request fails (its transaction rolled back) with {@link SqlFailure.expectation} and
   * `unexpected` as the message.
   */
  readonly expectRows?: number;
  readonly unexpected?: string;
}

/**
 * How a request runs: `none` statement by statement, `write` in one READ COMMITTED
 * transaction, `snapshot` in one REPEATABLE READ transaction (a consistent read).
 */
export type SqlTransaction = 'none' | 'write' | 'snapshot';

/** Options of {@link SyncPostgres}. */
export interface SyncPostgresOptions {
  /** A `postgresql://` URL. */
  readonly connectionString: string;
  /** The schema every statement works in (`search_path`), when not `public`. */
  readonly schema?: string;
  /** Shown in `pg_stat_activity`. @default 'uet-tag' */
  readonly applicationName?: string;
  /**
   * How long one request may take before the connection is given up.
   * @default 60_000
   */
  readonly timeoutMs?: number;
  /**
   * PostgreSQL ends the session when it sits in a transaction, idle, longer than this
   * (`idle_in_transaction_session_timeout`): a process stopped (SIGSTOP) in the middle of
   * a commit then releases its row locks instead of blocking the shard's next writer.
   * @default 30_000
   */
  readonly idleInTransactionMs?: number;
}

interface Reply {
  readonly ok: boolean;
  readonly results?: unknown[][][];
  readonly message?: string;
  readonly code?: string;
  readonly expectation?: boolean;
}

/**
 * A PostgreSQL connection with a synchronous API, for the monitor's store interface,
 * which is synchronous (as better-sqlite3 is): the `pg` client runs in a worker thread and
 * the caller's thread waits on a shared signal (`Atomics.wait`) until the reply is posted.
 * The connection is made at the first request and again after one was lost, so a
 * terminated backend fails the request in flight and the next one reconnects.
 *
 * @example
 * ```ts
 * const sql = new SyncPostgres({ connectionString: 'postgresql://postgres@127.0.0.1/test' });
 * const [[row]] = sql.run([{ text: 'SELECT 1' }]);
 * sql.close();
 * ```
 */
export class SyncPostgres {
  private worker: Worker | undefined;
  private replies: MessagePort | undefined;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly timeoutMs: number;

  constructor(private readonly options: SyncPostgresOptions) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /**
   * Runs `statements` and returns each one's rows (as arrays of column values).
   * @throws {@link SqlFailure} when PostgreSQL refuses one, an expectation is not met,
   * the connection fails or the request times out; a transaction is then rolled back.
   */
  run(statements: readonly SqlStatement[], transaction: SqlTransaction = 'none'): unknown[][][] {
    const replies = this.start();
    Atomics.store(this.signal, 0, 0);
    replies.postMessage({ statements, transaction });
    const waited = Atomics.wait(this.signal, 0, 0, this.timeoutMs);
    const received = receiveMessageOnPort(replies);
    if (received === undefined) {
      this.close();
      throw new SqlFailure(
        waited === 'timed-out'
          ? `no reply from PostgreSQL within ${this.timeoutMs} ms`
          : 'the PostgreSQL thread stopped',
        undefined,
        false,
      );
    }
    const reply = received.message as Reply;
    if (reply.ok) return reply.results as unknown[][][];
    throw new SqlFailure(reply.message ?? 'failed', reply.code, reply.expectation === true);
  }

  /** Ends the connection and its thread; a later `run` starts them again. */
  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.replies?.close();
    this.replies = undefined;
    if (worker !== undefined) void worker.terminate();
  }

  private start(): MessagePort {
    if (this.replies !== undefined) return this.replies;
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(SYNC_WORKER_SOURCE, {
      eval: true,
      workerData: {
        port: port2,
        signal: this.signal.buffer,
        pgPath: nodeModule.createRequire(import.meta.url).resolve('pg'),
        connectionString: this.options.connectionString,
        applicationName: this.options.applicationName ?? 'uet-tag',
        idleInTransactionMs: this.options.idleInTransactionMs ?? 30_000,
        searchPath:
          this.options.schema === undefined ? undefined : quoteIdentifier(this.options.schema),
      },
      transferList: [port2],
    });
    worker.on('error', () => {
      if (this.worker === worker) this.close();
    });
    worker.unref();
    port1.unref();
    this.worker = worker;
    this.replies = port1;
    return port1;
  }
}

/**
 * An SQL identifier, quoted (`"name"`, inner quotes doubled).
 *
 * @example
 * ```ts
 * quoteIdentifier('uet'); // '"uet"'
 * ```
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
