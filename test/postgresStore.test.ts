import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../packages/uet-tag/src/postgres/index.js';
import { SyncPostgres } from '../packages/uet-tag/src/postgres/SyncPostgres.js';
import { ensureSchema } from '../packages/uet-tag/src/postgres/schema.js';
import { createTagMonitor } from '../packages/uet-tag-status/src/index.js';
import type { StoreCommit } from '../packages/uet-tag-status/src/monitor/store/monitorStore.js';
import { DEFAULT_WINDOWS } from '../packages/uet-tag-status/src/windows.js';
import { DATABASE_URL, testSchema } from './support/postgres.js';
import { simulatedClockAt } from './support/testClocks.js';

const postgres = testSchema('pgstore');
const { schema } = postgres;
const sql = new SyncPostgres({ connectionString: DATABASE_URL, schema });
afterAll(() => {
  sql.close();
  postgres.drop();
});
let shards = 100;
const nextShard = () => ++shards;
const WINDOWS = { activityWindowMs: 1_000, conversionWindowMs: 5_000 };
const T0 = Date.UTC(2025, 5, 1);

const emptyCommit = (nextSeq: number): StoreCommit => ({
  hits: { count: 0, tagNos: new Uint32Array(0), ats: new Float64Array(0) },
  removedTags: [],
  tags: [],
  changes: [],
  droppedChanges: [],
  log: [],
  state: { now: 0, nextSeq, checkpoint: 'moved' },
});

const rows = (text: string, values: unknown[] = []) => sql.run([{ text, values }])[0] ?? [];

describe('PostgreSQL store', () => {
  it('D7 a monitor on it resumes after a restart with its tags, statuses and history, and reports the silence that elapsed meanwhile once', () => {
    const shard = nextShard();
    const clock = simulatedClockAt(T0);
    const store = () => createPostgresStore({ connection: DATABASE_URL, schema, shard });
    const first = createTagMonitor({ store: store(), clock, windows: WINDOWS });
    first.registerTag('t1', { goals: [{ goalId: 'g', goalType: 'Url' }] });
    first.recordActivity('t1', clock.now());
    first.recordConversion('t1', 'g', clock.now());
    first.close();
    clock.increment(10_000);
    const told: string[] = [];
    const again = createTagMonitor({
      store: store(),
      clock,
      windows: WINDOWS,
      onStatusChange: (change) => told.push(`${change.from}->${change.to}@${change.effectiveAt}`),
    });
    expect(told).toEqual([
      `Active->Inactive@${T0 + 1_000}`,
      `RecordingConversions->TagInactive@${T0 + 1_000}`,
    ]);
    expect(again.status('t1').status).toBe('Inactive');
    expect(again.history('t1').map((change) => change.to)).toEqual([
      'Active',
      'NoRecentConversions',
      'RecordingConversions',
      'Inactive',
      'TagInactive',
    ]);
    expect(again.changesAfter(0).map((change) => change.seq)).toEqual([1, 2, 3, 4, 5]);
    again.close();
    // Every change is in the change log once, numbered 1, 2, … per tag under UNIQUE (tag_id, tag_seq).
    expect(
      rows('SELECT seq, tag_seq FROM change_log WHERE shard = $1 ORDER BY seq', [shard]),
    ).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    expect(() =>
      rows(`INSERT INTO change_log VALUES ($1, 99, 't1', 3, NULL, 'Active', 'Inactive', 0, 0, 1)`, [
        shard,
      ]),
    ).toThrow(/duplicate key value violates unique constraint/);
  });

  it('one writer per shard: a second store is refused with inUse naming the first, and opens once the first closed', () => {
    const shard = nextShard();
    const first = createPostgresStore({ connection: DATABASE_URL, schema, shard });
    first.open(DEFAULT_WINDOWS);
    const second = createPostgresStore({ connection: DATABASE_URL, schema, shard });
    expect(() => second.open(DEFAULT_WINDOWS)).toThrowError(
      expect.objectContaining({
        name: 'MonitorStoreError',
        code: 'inUse',
        message: expect.stringMatching(new RegExp(`in use by store of pid ${process.pid} on `)),
      }),
    );
    first.commit(emptyCommit(1));
    first.close();
    expect(second.open(DEFAULT_WINDOWS).checkpoint).toBe('moved');
    second.close();
  });

  it('fencing: a store whose lease was taken over commits nothing (inUse), and the new holder sees only what was committed before', () => {
    const shard = nextShard();
    const paused = createPostgresStore({ connection: DATABASE_URL, schema, shard });
    paused.open(DEFAULT_WINDOWS);
    paused.commit({ ...emptyCommit(1), state: { now: 5, nextSeq: 1, checkpoint: 'before' } });
    // The lease runs out (as while its process was stopped) and another writer claims it.
    rows(`UPDATE leases SET expires_at = now() - interval '1 second' WHERE shard = $1`, [shard]);
    const taker = createPostgresStore({ connection: DATABASE_URL, schema, shard });
    expect(taker.open(DEFAULT_WINDOWS).checkpoint).toBe('before');
    expect(() => paused.commit(emptyCommit(1))).toThrowError(
      expect.objectContaining({
        code: 'inUse',
        message: expect.stringMatching(
          /lease of shard \d+ moved to another writer.*nothing of this commit was kept/,
        ),
      }),
    );
    taker.close();
    paused.close();
    const reader = createPostgresStore({ connection: DATABASE_URL, schema, shard });
    expect(reader.open(DEFAULT_WINDOWS).checkpoint).toBe('before');
    reader.close();
  });

  it('D7 a terminated backend is survived: the next commit reconnects on a new backend and is durable', () => {
    const shard = nextShard();
    const applicationName = `${schema}-cut`;
    const store = createPostgresStore({ connection: DATABASE_URL, schema, shard, applicationName });
    store.open(DEFAULT_WINDOWS);
    const backends = () =>
      rows('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    const [cut] = backends();
    expect(cut).toHaveLength(1);
    expect(rows('SELECT pg_terminate_backend($1)', cut)).toEqual([[true]]);
    store.commit({ ...emptyCommit(1), state: { now: 2, nextSeq: 1, checkpoint: 'kept' } });
    expect(backends()).toHaveLength(1);
    expect(backends()).not.toContainEqual(cut);
    store.close();
    expect(rows('SELECT now, checkpoint FROM shard_state WHERE shard = $1', [shard])).toEqual([
      [2, 'kept'],
    ]);
  });

  it("migrates a version 1 schema to the current version (4) once (the input log, the change log's writing transaction, the webhook outbox), and refuses a newer one or another program’s schema untouched", () => {
    const own = testSchema('migrate');
    const other = testSchema('foreign');
    const admin = new SyncPostgres({ connectionString: DATABASE_URL });
    try {
      expect(ensureSchema(admin, own.schema, 'test', 1)).toBe(1);
      const tables = () =>
        admin
          .run([
            {
              text: 'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
              values: [own.schema],
            },
          ])[0]
          ?.map(([name]) => name);
      const changeLogColumns = () =>
        admin
          .run([
            {
              text: `SELECT column_name FROM information_schema.columns
                     WHERE table_schema = $1 AND table_name = 'change_log' ORDER BY ordinal_position`,
              values: [own.schema],
            },
          ])[0]
          ?.map(([name]) => name);
      expect(tables()).not.toContain('input_log');
      expect(changeLogColumns()).not.toContain('xid');
      expect(ensureSchema(admin, own.schema, 'test')).toBe(4);
      expect(tables()).toContain('input_log');
      expect(changeLogColumns()?.at(-1)).toBe('xid');
      expect(tables()).toEqual(expect.arrayContaining(['warning_log', 'webhook_outbox']));
      expect(ensureSchema(admin, own.schema, 'test')).toBe(4);
      admin.run([
        { text: `UPDATE "${own.schema}".uet_meta SET value = '9' WHERE key = 'schema_version'` },
      ]);
      expect(() => ensureSchema(admin, own.schema, 'test')).toThrowError(
        expect.objectContaining({
          code: 'newerSchema',
          message: expect.stringMatching(/version 9/),
        }),
      );
      admin.run([
        { text: `CREATE SCHEMA "${other.schema}"` },
        { text: `CREATE TABLE "${other.schema}".invoices (id integer)` },
      ]);
      expect(() => ensureSchema(admin, other.schema, 'test')).toThrowError(
        expect.objectContaining({ code: 'notMonitorStore' }),
      );
      expect(
        admin.run([
          { text: 'SELECT count(*) FROM pg_tables WHERE schemaname = $1', values: [other.schema] },
        ])[0],
      ).toEqual([[1]]);
    } finally {
      admin.close();
      own.drop();
      other.drop();
    }
  });
});
