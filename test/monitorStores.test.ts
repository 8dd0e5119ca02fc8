import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../packages/uet-tag/src/postgres/index.js';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { MonitorStoreError } from '../packages/uet-tag-status/src/monitor/MonitorStoreError.js';
import { createMemoryStore } from '../packages/uet-tag-status/src/monitor/store/memoryStore.js';
import type {
  LoggedChange,
  MonitorStore,
  StoreCommit,
  StoredHits,
  StoredTag,
  StoreSnapshot,
} from '../packages/uet-tag-status/src/monitor/store/monitorStore.js';
import { DEFAULT_WINDOWS } from '../packages/uet-tag-status/src/windows.js';
import { DATABASE_URL, testSchema } from './support/postgres.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-stores-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let files = 0;
const postgres = testSchema('stores');
afterAll(postgres.drop);
let shards = 0;

/**
 * Every store runs the same suite; SQLite with a tiny fold threshold so folding is
 * exercised, PostgreSQL with a shard of this file's schema for each store.
 */
const stores: ReadonlyArray<{ name: string; create: (changeLogLimit?: number) => MonitorStore }> = [
  { name: 'memory store', create: (changeLogLimit) => createMemoryStore({ changeLogLimit }) },
  {
    name: 'SQLite store',
    create: (changeLogLimit) => {
      files += 1;
      return createSqliteStore({
        path: path.join(scratch, `suite-${files}.db`),
        foldThreshold: 5,
        changeLogLimit,
      });
    },
  },
  {
    name: 'PostgreSQL store',
    create: (changeLogLimit) => {
      shards += 1;
      return createPostgresStore({
        connection: DATABASE_URL,
        schema: postgres.schema,
        shard: shards,
        changeLogLimit,
      });
    },
  },
];

function hits(pairs: ReadonlyArray<readonly [number, number]>): StoredHits {
  return {
    count: pairs.length,
    tagNos: Uint32Array.from(pairs.map(([no]) => no)),
    ats: Float64Array.from(pairs.map(([, at]) => at)),
  };
}

const NO_HITS = hits([]);

function commit(part: Partial<StoreCommit>): StoreCommit {
  return {
    hits: NO_HITS,
    removedTags: [],
    tags: [],
    changes: [],
    droppedChanges: [],
    log: [],
    state: { now: 0, nextSeq: 1, checkpoint: undefined },
    ...part,
  };
}

function logged(seq: number, tagId: string, goalId?: string): LoggedChange {
  return {
    seq,
    tagId,
    goalId,
    from: goalId === undefined ? 'Unverified' : 'TagUnverified',
    to: goalId === undefined ? 'Active' : 'NoRecentConversions',
    effectiveAt: seq * 10,
    noticedAt: seq * 10 + 1,
  };
}

function tag(no: number, tagId: string, extra: Partial<StoredTag> = {}): StoredTag {
  return {
    no,
    tagId,
    status: 'Unverified',
    changedAt: undefined,
    firstDataAt: undefined,
    lastDataAt: undefined,
    tagAvailable: true,
    goals: [],
    ...extra,
  };
}

function reopen(store: MonitorStore): StoreSnapshot {
  store.close();
  return store.open(DEFAULT_WINDOWS);
}

function byNo(snapshot: StoreSnapshot): StoredTag[] {
  return [...snapshot.tags].sort((a, b) => a.no - b.no);
}

const activeWithGoal = tag(0, 'tag-a', {
  status: 'Active',
  changedAt: 100,
  firstDataAt: 100,
  lastDataAt: 100,
  goals: [
    {
      goalId: 'signup',
      goalType: 'Url',
      status: 'NoRecentConversions',
      changedAt: 100,
      lastConversionAt: undefined,
      decidedAt: 100,
    },
    {
      goalId: 'install',
      goalType: 'AppInstall',
      status: 'RecordingConversions',
      changedAt: 90,
      lastConversionAt: 90,
      decidedAt: 90,
    },
  ],
});

for (const { name, create } of stores) {
  describe(`${name} (shared store suite)`, () => {
    it('opens empty with the windows it is given, time 0 and the first sequence number 1', () => {
      const store = create();
      const windows = { activityWindowMs: 1_000, conversionWindowMs: 7_000 };
      expect(store.open(windows)).toEqual({
        windows,
        now: 0,
        nextSeq: 1,
        checkpoint: undefined,
        tags: [],
        changes: [],
      });
      store.close();
      expect(store.open(DEFAULT_WINDOWS).windows).toEqual(windows);
      store.close();
    });

    it('gives back exactly what was committed after closing and reopening (D7)', () => {
      const store = create();
      store.open(DEFAULT_WINDOWS);
      const changes = [
        {
          seq: 1,
          tagNo: 0,
          goalId: undefined,
          from: 'Unverified',
          to: 'Active',
          effectiveAt: 100,
          noticedAt: 105,
        },
        {
          seq: 2,
          tagNo: 0,
          goalId: 'signup',
          from: 'TagUnverified',
          to: 'NoRecentConversions',
          effectiveAt: 100,
          noticedAt: 105,
        },
      ];
      store.commit(
        commit({
          tags: [activeWithGoal, tag(3, 'tag-b', { tagAvailable: false })],
          changes,
          state: { now: 105, nextSeq: 3, checkpoint: 'offset:42' },
        }),
      );
      const snapshot = reopen(store);
      expect(byNo(snapshot)).toEqual([activeWithGoal, tag(3, 'tag-b', { tagAvailable: false })]);
      expect(snapshot.changes).toEqual(changes);
      expect([snapshot.now, snapshot.nextSeq, snapshot.checkpoint]).toEqual([105, 3, 'offset:42']);
      store.close();
    });

    it('applies hits as the earliest and latest data times, in any order, to live tags only', () => {
      const store = create();
      store.open(DEFAULT_WINDOWS);
      store.commit(commit({ tags: [activeWithGoal, tag(1, 'tag-b')] }));
      store.commit(
        commit({
          hits: hits([
            [0, 300],
            [0, 50],
            [7, 1],
            [0, 200],
          ]),
        }),
      );
      store.commit(
        commit({
          hits: hits([
            [0, 250],
            [0, 400],
            [0, 60],
          ]),
        }),
      );
      const snapshot = reopen(store);
      expect(byNo(snapshot)).toEqual([
        { ...activeWithGoal, firstDataAt: 50, lastDataAt: 400 },
        tag(1, 'tag-b'),
      ]);
      store.close();
    });

    it('removes a tag with its goals and history, and a reused number starts clean', () => {
      const store = create();
      store.open(DEFAULT_WINDOWS);
      store.commit(
        commit({
          tags: [activeWithGoal],
          changes: [
            {
              seq: 1,
              tagNo: 0,
              goalId: undefined,
              from: 'Unverified',
              to: 'Active',
              effectiveAt: 100,
              noticedAt: 100,
            },
          ],
          state: { now: 100, nextSeq: 2, checkpoint: undefined },
        }),
      );
      store.commit(commit({ hits: hits([[0, 900]]) }));
      store.commit(commit({ hits: hits([[0, 950]]), removedTags: [0] }));
      store.commit(commit({ tags: [tag(0, 'tag-new')] }));
      const snapshot = reopen(store);
      expect(byNo(snapshot)).toEqual([tag(0, 'tag-new')]);
      expect(snapshot.changes).toEqual([]);
      store.close();
    });

    it('drops history entries by sequence number and keeps the rest in order', () => {
      const store = create();
      store.open(DEFAULT_WINDOWS);
      const change = (seq: number) => ({
        seq,
        tagNo: 0,
        goalId: undefined,
        from: seq % 2 === 1 ? 'Unverified' : 'Active',
        to: seq % 2 === 1 ? 'Active' : 'Inactive',
        effectiveAt: seq * 10,
        noticedAt: seq * 10,
      });
      const state = (nextSeq: number) => ({ now: 0, nextSeq, checkpoint: undefined });
      store.commit(
        commit({
          tags: [tag(0, 'tag-a')],
          changes: [change(1), change(2), change(3)],
          state: state(4),
        }),
      );
      store.commit(commit({ changes: [change(4)], droppedChanges: [1, 2], state: state(5) }));
      expect(reopen(store).changes).toEqual([change(3), change(4)]);
      store.close();
    });

    it('keeps a goal’s definition as given and gives it back on open', () => {
      const store = create();
      store.open(DEFAULT_WINDOWS);
      const defined = tag(0, 'tag-d', {
        goals: [
          {
            goalId: 'thanks',
            goalType: 'Url',
            status: 'TagUnverified',
            changedAt: undefined,
            lastConversionAt: undefined,
            decidedAt: 0,
            definition: {
              goalId: 'thanks',
              goalType: 'Url',
              url: { operator: 'BeginsWith', expression: 'https://contoso.com/thanks' },
            },
          },
        ],
      });
      store.commit(commit({ tags: [defined] }));
      expect(byNo(reopen(store))).toEqual([defined]);
      store.close();
    });

    it('replaces a tag whole, goals included', () => {
      const store = create();
      store.open(DEFAULT_WINDOWS);
      store.commit(commit({ tags: [activeWithGoal] }));
      const inactive = tag(0, 'tag-a', {
        status: 'Inactive',
        changedAt: 86_400_100,
        firstDataAt: 100,
        lastDataAt: 100,
      });
      store.commit(commit({ tags: [inactive] }));
      expect(byNo(reopen(store))).toEqual([inactive]);
      store.close();
    });

    it('D7 keeps every committed change in its change log, whatever the history keeps, and reads it by sequence number across reopening', () => {
      const store = create();
      store.open(DEFAULT_WINDOWS);
      store.commit(
        commit({
          log: [logged(1, 'a'), logged(2, 'a', '10')],
          state: { now: 0, nextSeq: 3, checkpoint: undefined },
        }),
      );
      store.commit(
        commit({ log: [logged(3, 'b')], state: { now: 0, nextSeq: 4, checkpoint: undefined } }),
      );
      expect(store.readChanges?.(0, 10)).toEqual([
        logged(1, 'a'),
        logged(2, 'a', '10'),
        logged(3, 'b'),
      ]);
      expect(store.readChanges?.(1, 1)).toEqual([logged(2, 'a', '10')]);
      expect(store.readChanges?.(3, 10)).toEqual([]);
      store.close();
      store.open(DEFAULT_WINDOWS);
      expect(store.readChanges?.(2, 10)).toEqual([logged(3, 'b')]);
      store.close();
    });

    it('keeps the latest changeLogLimit changes of its log, a gap showing in the first sequence number read', () => {
      const store = create(2);
      store.open(DEFAULT_WINDOWS);
      store.commit(
        commit({
          log: [logged(1, 'a'), logged(2, 'a'), logged(3, 'a')],
          state: { now: 0, nextSeq: 4, checkpoint: undefined },
        }),
      );
      expect(store.readChanges?.(0, 10).map((change) => change.seq)).toEqual([2, 3]);
      store.close();
    });

    it('refuses a commit once closed, with code closed', () => {
      const store = create();
      store.open(DEFAULT_WINDOWS);
      store.close();
      expect(() => store.commit(commit({}))).toThrowError(
        expect.objectContaining({ name: 'MonitorStoreError', code: 'closed' }),
      );
      expect(() => store.commit(commit({}))).toThrow(MonitorStoreError);
    });
  });
}
