import { MonitorStoreError } from 'uet-tag-status';
import { SqlFailure } from './SqlFailure.js';
import { quoteIdentifier as quoted, type SqlStatement, type SyncPostgres } from './SyncPostgres.js';

/**
 * The schema version this library writes. Version 1: the monitor's state per shard
 * (`shard_state`, `tags`, `goals`, `history`), the change log with its per-tag sequence
 * (`change_log`, `tag_sequences`) and the writer leases (`leases`). Version 2: the input
 * log (`input_log`, `input_heads`) and the workers' heartbeats (`workers`). Version 3: each
 * change of the change log keeps the transaction that wrote it (`change_log.xid`), which
 * orders the changes of every shard in one sequence that readers can resume (see
 * `readSettledChanges`). Version 4: the webhooks of the front nodes (`webhook_cursors`,
 * `webhook_outbox`) and the shard owners' early warnings (`warning_log`).
 */
export const POSTGRES_SCHEMA_VERSION = 4;

/** The statements that take a schema from version `index` to `index + 1`. */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE uet_meta (key text PRIMARY KEY, value text NOT NULL)`,
    `CREATE TABLE shard_state (
       shard integer PRIMARY KEY CHECK (shard >= 0),
       activity_window_ms double precision NOT NULL,
       conversion_window_ms double precision NOT NULL,
       now double precision NOT NULL,
       next_seq bigint NOT NULL CHECK (next_seq >= 1),
       checkpoint text)`,
    `CREATE TABLE tags (
       shard integer NOT NULL REFERENCES shard_state,
       no integer NOT NULL CHECK (no >= 0),
       tag_id text NOT NULL,
       status text NOT NULL,
       changed_at double precision,
       first_data_at double precision,
       last_data_at double precision,
       tag_available boolean NOT NULL,
       PRIMARY KEY (shard, no),
       UNIQUE (shard, tag_id))`,
    `CREATE TABLE goals (
       shard integer NOT NULL,
       no integer NOT NULL,
       position integer NOT NULL,
       goal_id text NOT NULL,
       goal_type text NOT NULL,
       status text NOT NULL,
       changed_at double precision,
       last_conversion_at double precision,
       decided_at double precision NOT NULL,
       definition jsonb,
       PRIMARY KEY (shard, no, position),
       UNIQUE (shard, no, goal_id),
       FOREIGN KEY (shard, no) REFERENCES tags ON DELETE CASCADE)`,
    `CREATE TABLE history (
       shard integer NOT NULL,
       seq bigint NOT NULL,
       tag_no integer NOT NULL,
       goal_id text,
       from_status text NOT NULL,
       to_status text NOT NULL,
       effective_at double precision NOT NULL,
       noticed_at double precision NOT NULL,
       PRIMARY KEY (shard, seq))`,
    `CREATE INDEX history_by_tag ON history (shard, tag_no)`,
    `CREATE TABLE change_log (
       shard integer NOT NULL,
       seq bigint NOT NULL,
       tag_id text NOT NULL,
       tag_seq bigint NOT NULL CHECK (tag_seq >= 1),
       goal_id text,
       from_status text NOT NULL,
       to_status text NOT NULL,
       effective_at double precision NOT NULL,
       noticed_at double precision NOT NULL,
       writer_token bigint NOT NULL,
       PRIMARY KEY (shard, seq),
       UNIQUE (tag_id, tag_seq))`,
    `CREATE TABLE tag_sequences (tag_id text PRIMARY KEY, last_seq bigint NOT NULL)`,
    `CREATE TABLE leases (
       shard integer PRIMARY KEY CHECK (shard >= 0),
       owner text,
       token bigint NOT NULL DEFAULT 0,
       expires_at timestamptz NOT NULL DEFAULT '-infinity',
       acquired_at timestamptz)`,
  ],
  [
    `CREATE TABLE input_heads (shard integer PRIMARY KEY, last_pos bigint NOT NULL DEFAULT 0)`,
    `CREATE TABLE input_log (
       shard integer NOT NULL,
       pos bigint NOT NULL CHECK (pos >= 1),
       record jsonb NOT NULL,
       appended_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (shard, pos))`,
    `CREATE TABLE workers (
       id text PRIMARY KEY,
       host text NOT NULL,
       pid integer NOT NULL,
       started_at timestamptz NOT NULL DEFAULT now(),
       heartbeat_at timestamptz NOT NULL DEFAULT now(),
       lease_ttl_ms double precision NOT NULL,
       takeovers integer NOT NULL DEFAULT 0,
       stopped boolean NOT NULL DEFAULT false)`,
  ],
  [
    `ALTER TABLE change_log ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()`,
    `CREATE INDEX change_log_in_commit_order ON change_log (xid, shard, seq)`,
  ],
  [
    `CREATE TABLE warning_log (
       shard integer NOT NULL,
       seq bigint NOT NULL CHECK (seq >= 1),
       key text NOT NULL UNIQUE,
       tag_id text NOT NULL,
       body text NOT NULL,
       PRIMARY KEY (shard, seq))`,
    `CREATE TABLE webhook_cursors (
       target text NOT NULL,
       log text NOT NULL CHECK (log IN ('changes', 'warnings')),
       shard integer NOT NULL,
       seq bigint NOT NULL CHECK (seq >= 0),
       PRIMARY KEY (target, log, shard))`,
    `CREATE TABLE webhook_outbox (
       id bigserial PRIMARY KEY,
       target text NOT NULL,
       key text NOT NULL,
       body text NOT NULL,
       state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
       attempts integer NOT NULL DEFAULT 0,
       next_attempt_at double precision NOT NULL DEFAULT 0,
       last_error text,
       claim bigint NOT NULL DEFAULT 0,
       claimed_by text,
       claimed_until timestamptz NOT NULL DEFAULT '-infinity',
       UNIQUE (target, key))`,
    `CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at, id) WHERE state = 'pending'`,
  ],
];

/** A fixed key for the advisory lock that serialises schema creation and migration. */
const MIGRATION_LOCK = 0x75_65_74_31;

/**
 * The statements that create `schema` if missing and bring it to `target` (at most
 * {@link POSTGRES_SCHEMA_VERSION}), run in one transaction under an advisory lock so that
 * processes starting together migrate once. A schema written by a newer version is
 * refused and left as it is.
 *
 * @example
 * ```ts
 * ensureSchema(sql, 'uet', 'postgresql://…/test');
 * ```
 * @throws {@link MonitorStoreError} `newerSchema`, `notMonitorStore` or `io`.
 */
export function ensureSchema(
  sql: SyncPostgres,
  schema: string,
  description: string,
  target = POSTGRES_SCHEMA_VERSION,
): number {
  try {
    const [, , found] = sql.run(
      [
        { text: 'SELECT pg_advisory_xact_lock($1)', values: [MIGRATION_LOCK] },
        { text: 'SELECT set_config($1, $2, true)', values: ['search_path', quoted(schema)] },
        {
          text: `SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = $1),
                        (SELECT count(*) FROM pg_tables WHERE schemaname = $1 AND tablename = 'uet_meta')`,
          values: [schema],
        },
      ],
      'write',
    );
    const [tables, metaTables] = (found?.[0] ?? [0, 0]) as [number, number];
    const version = metaTables === 0 ? 0 : readVersion(sql, schema);
    if (metaTables === 0 && tables > 0) {
      throw new MonitorStoreError(
        'notMonitorStore',
        description,
        `schema ${schema} holds ${tables} tables and no uet_meta table: another program's, left untouched`,
      );
    }
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new MonitorStoreError(
        'newerSchema',
        description,
        `schema ${schema} is at version ${version}, newer than this library's ${POSTGRES_SCHEMA_VERSION}; left untouched`,
      );
    }
    if (version >= target) return version;
    sql.run(migrationStatements(schema, version, target), 'write');
    return target;
  } catch (error) {
    if (error instanceof MonitorStoreError) throw error;
    throw new MonitorStoreError(
      'io',
      description,
      `cannot prepare schema ${schema}: ${(error as Error).message}`,
      error,
    );
  }
}

function readVersion(sql: SyncPostgres, schema: string): number {
  const [rows] = sql.run([
    { text: `SELECT value FROM ${quoted(schema)}.uet_meta WHERE key = 'schema_version'` },
  ]);
  const version = Number(rows?.[0]?.[0]);
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new SqlFailure(`uet_meta.schema_version is ${String(rows?.[0]?.[0])}`, undefined, true);
  }
  return version;
}

function migrationStatements(schema: string, from: number, to: number): SqlStatement[] {
  const statements: SqlStatement[] = [
    { text: 'SELECT pg_advisory_xact_lock($1)', values: [MIGRATION_LOCK] },
    { text: `CREATE SCHEMA IF NOT EXISTS ${quoted(schema)}` },
    { text: 'SELECT set_config($1, $2, true)', values: ['search_path', quoted(schema)] },
  ];
  // Another process may have migrated while this one waited for the lock: each step runs
  // only when the version is still the one it starts from.
  for (let version = from; version < to; version++) {
    const steps = MIGRATIONS[version] as readonly string[];
    const guard =
      version === 0
        ? `NOT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'uet_meta')`
        : `(SELECT value FROM uet_meta WHERE key = 'schema_version') = '${version}'`;
    const body = [
      ...steps,
      version === 0
        ? `INSERT INTO uet_meta VALUES ('schema_version', '1')`
        : `UPDATE uet_meta SET value = '${version + 1}' WHERE key = 'schema_version'`,
    ]
      .map((step) => `EXECUTE ${dollarQuoted(step)};`)
      .join('\n');
    statements.push({
      text: `DO $migrate$ BEGIN IF ${guard} THEN\n${body}\nEND IF; END $migrate$`,
    });
  }
  return statements;
}

function dollarQuoted(text: string): string {
  return `$step$${text}$step$`;
}
