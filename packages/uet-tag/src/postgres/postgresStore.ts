import os from 'node:os';
import {
  type LoggedChange,
  type MonitorStore,
  MonitorStoreError,
  type StoreCommit,
  type StoreSnapshot,
  type TrackingWindows,
} from 'uet-tag-status';
import { checkStorable } from '../sqlite/storedValues.js';
import { commitStatements } from './commitStatements.js';
import {
  CLAIM_LEASE,
  ENSURE_LEASES,
  fenceStatement,
  LEASE_HOLDER,
  RELEASE_LEASE,
} from './leaseSql.js';
import { SqlFailure } from './SqlFailure.js';
import { type SqlStatement, SyncPostgres } from './SyncPostgres.js';
import { ensureSchema } from './schema.js';
import { changesFromRows, snapshotStatements, tagsFromRows } from './snapshotRows.js';

/** A lease a worker already holds for the store's shard (see `uet-tag worker`). */
export interface HeldLease {
  /** The fencing token the claim returned. */
  readonly token: number;
}

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** A `postgresql://` URL, or a connection to share with other stores of this process. */
  readonly connection: string | SyncPostgres;
  /**
   * The schema that holds the tables; created (with its tables) when missing.
   * @default 'uet'
   */
  readonly schema?: string;
  /**
   * Which shard of the schema this store keeps: a schema holds many monitors' states
   * side by side, one per shard (see `uet-tag worker`).
   * @default 0
   */
  readonly shard?: number;
  /**
   * The shard's lease, when the caller claimed it (a worker). Without it the store claims
   * the lease itself at `open` (refused with `inUse` while another writer holds it) and
   * gives it up at `close`.
   */
  readonly lease?: HeldLease;
  /**
   * How long a lease lasts without a commit or renewal; every commit extends it to at
   * least this long.
   * @default 30_000
   */
  readonly leaseTtlMs?: number;
  /**
   * How many of the shard's latest changes the change log keeps.
   * @default 1_000_000
   */
  readonly changeLogLimit?: number;
  /**
   * The connection's name in `pg_stat_activity`, when the store makes it.
   * @default 'uet-tag'
   */
  readonly applicationName?: string;
}

interface Session {
  readonly token: number;
  readonly ownLease: boolean;
}

/**
 * A durable {@link MonitorStore} in PostgreSQL: one shard's state in a schema of tables
 * shared by many shards (versioned, migrated at open). A commit is one transaction that
 * first checks the shard's lease (its fencing token), so a writer whose lease moved to
 * another commits nothing (`inUse`); the changes it reports are written with the state
 * they come from, each with its tag's next sequence number under a unique constraint.
 *
 * @example
 * ```ts
 * import { createTagMonitor } from 'uet-tag-status';
 * import { createPostgresStore } from 'uet-tag/postgres';
 *
 * const store = createPostgresStore({ connection: 'postgresql://postgres@127.0.0.1/test' });
 * const monitor = createTagMonitor({ store });
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): MonitorStore {
  const schema = options.schema ?? 'uet';
  const shard = options.shard ?? 0;
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  const changeLogLimit = options.changeLogLimit ?? 1_000_000;
  const connectionString = typeof options.connection === 'string' ? options.connection : undefined;
  const description = `PostgreSQL ${safeUrl(connectionString)} schema ${schema} shard ${shard}`;
  const owner = `store of pid ${process.pid} on ${os.hostname()} (${Math.random().toString(36).slice(2, 10)})`;
  let sql: SyncPostgres | undefined;
  let session: Session | undefined;

  const connection = (): SyncPostgres => {
    if (typeof options.connection !== 'string') return options.connection;
    sql ??= new SyncPostgres({
      connectionString: options.connection,
      schema,
      applicationName: options.applicationName,
      idleInTransactionMs: leaseTtlMs,
    });
    return sql;
  };

  const fence = (token: number): SqlStatement => fenceStatement(shard, token, leaseTtlMs);

  const failure = (error: unknown, action: string): MonitorStoreError => {
    if (error instanceof MonitorStoreError) return error;
    if (error instanceof SqlFailure && error.expectation) {
      return new MonitorStoreError(
        'inUse',
        description,
        `${error.message}: nothing of this ${action} was kept`,
        error,
      );
    }
    return new MonitorStoreError(
      'io',
      description,
      `cannot ${action}: ${(error as Error).message}`,
      error,
    );
  };

  return {
    description,
    open(windows) {
      if (session !== undefined) throw new MonitorStoreError('io', description, 'already open');
      const db = connection();
      ensureSchema(db, schema, description);
      const ownLease = options.lease === undefined;
      const token = options.lease?.token ?? claim(db);
      try {
        const snapshot = readSnapshot(db, token, windows);
        session = { token, ownLease };
        return snapshot;
      } catch (error) {
        if (ownLease) release(db, token);
        throw failure(error, 'open');
      }
    },
    commit(commit: StoreCommit) {
      if (session === undefined) {
        throw new MonitorStoreError('closed', description, 'the store is closed');
      }
      checkStorable(commit, description);
      try {
        connection().run(
          [
            fence(session.token),
            ...commitStatements(commit, { shard, changeLogLimit, token: session.token }),
          ],
          'write',
        );
      } catch (error) {
        throw failure(error, 'commit');
      }
    },
    readChanges(afterSeq, limit): LoggedChange[] {
      if (session === undefined) {
        throw new MonitorStoreError('closed', description, 'the store is closed');
      }
      try {
        const [rows] = connection().run([
          {
            text: `SELECT seq, tag_id, goal_id, from_status, to_status, effective_at, noticed_at
                   FROM change_log WHERE shard = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
            values: [shard, afterSeq, limit],
          },
        ]);
        return (rows ?? []).map(([seq, tagId, goalId, from, to, effectiveAt, noticedAt]) => ({
          seq: seq as number,
          tagId: tagId as string,
          goalId: goalId === null ? undefined : (goalId as string),
          from: from as string,
          to: to as string,
          effectiveAt: effectiveAt as number,
          noticedAt: noticedAt as number,
        }));
      } catch (error) {
        throw failure(error, 'read the change log');
      }
    },
    close() {
      const closing = session;
      session = undefined;
      if (closing?.ownLease) release(connection(), closing.token);
      sql?.close();
      sql = undefined;
    },
  };

  /** Claims the shard's lease for this store, or says who holds it. */
  function claim(db: SyncPostgres): number {
    try {
      const [, claimed] = db.run(
        [
          { text: ENSURE_LEASES, values: [[shard]] },
          { text: CLAIM_LEASE, values: [shard, owner, leaseTtlMs] },
        ],
        'write',
      );
      const token = claimed?.[0]?.[0];
      if (typeof token === 'number') return token;
      const [holder] = db.run([{ text: LEASE_HOLDER, values: [shard] }]);
      const [by, , leftMs] = (holder?.[0] ?? []) as [string, number, number];
      throw new MonitorStoreError(
        'inUse',
        description,
        `in use by ${by} (its lease lasts ${Math.max(0, Math.round(leftMs))} ms more); left untouched`,
      );
    } catch (error) {
      throw failure(error, 'open');
    }
  }

  function release(db: SyncPostgres, token: number): void {
    try {
      db.run([{ text: RELEASE_LEASE, values: [shard, token] }]);
    } catch {
      // The lease then expires by itself after its time to live.
    }
  }

  /** The shard's state under its lease: created with `windows` when new. */
  function readSnapshot(db: SyncPostgres, token: number, windows: TrackingWindows): StoreSnapshot {
    const [, , state, tagRows, goalRows, historyRows] = db.run(
      [
        fence(token),
        {
          text: `INSERT INTO shard_state VALUES ($1, $2, $3, 0, 1, NULL) ON CONFLICT DO NOTHING`,
          values: [shard, windows.activityWindowMs, windows.conversionWindowMs],
        },
        {
          text: `SELECT activity_window_ms, conversion_window_ms, now, next_seq, checkpoint
                 FROM shard_state WHERE shard = $1`,
          values: [shard],
        },
        ...snapshotStatements(shard),
      ],
      'write',
    );
    const [activityWindowMs, conversionWindowMs, now, nextSeq, checkpoint] = (state?.[0] ?? []) as [
      number,
      number,
      number,
      number,
      string | null,
    ];
    return {
      windows: { activityWindowMs, conversionWindowMs },
      now,
      nextSeq,
      checkpoint: checkpoint ?? undefined,
      tags: tagsFromRows(tagRows ?? [], goalRows ?? [], description),
      changes: changesFromRows(historyRows ?? [], description),
    };
  }
}

/** A connection URL without its password, for messages. */
function safeUrl(connection: string | undefined): string {
  if (connection === undefined) return '(shared connection)';
  try {
    const url = new URL(connection);
    url.password = '';
    return url.toString();
  } catch {
    return '(connection)';
  }
}
