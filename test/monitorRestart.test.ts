import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor, type TagMonitorOptions } from '../packages/uet-tag-status/src/index.js';
import type { MonitorStatusChange } from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import { createMemoryStore } from '../packages/uet-tag-status/src/monitor/store/memoryStore.js';
import type { MonitorStore } from '../packages/uet-tag-status/src/monitor/store/monitorStore.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';
import { simulatedClockAt } from './support/testClocks.js';

const T0 = Date.UTC(2025, 2, 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-restart-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let files = 0;

/**
 * Each backend gives a way to reach the same stored state again, as a new process would
 * (a new store object on the same file, or the same memory store), and the state a crash
 * would leave at this moment: for SQLite a copy of the file and its WAL, as they are on
 * disk while the first store still holds its file (one writer per file).
 */
interface Backend {
  readonly reopen: () => MonitorStore;
  readonly afterCrash: () => MonitorStore;
}

const backends: ReadonlyArray<{ name: string; create: () => Backend }> = [
  {
    name: 'memory store',
    create: () => {
      const store = createMemoryStore();
      return { reopen: () => store, afterCrash: () => store };
    },
  },
  {
    name: 'SQLite store',
    create: () => {
      files += 1;
      const file = path.join(scratch, `restart-${files}.db`);
      const crashed = path.join(scratch, `restart-${files}-crashed.db`);
      return {
        reopen: () => createSqliteStore({ path: file, foldThreshold: 3 }),
        afterCrash: () => {
          fs.copyFileSync(file, crashed);
          fs.copyFileSync(`${file}-wal`, `${crashed}-wal`);
          return createSqliteStore({ path: crashed, foldThreshold: 3 });
        },
      };
    },
  },
];

function start(
  store: MonitorStore,
  at: number,
  options: Omit<TagMonitorOptions, 'clock' | 'store' | 'onStatusChange'> = {},
) {
  const clock = simulatedClockAt(at);
  const changes: MonitorStatusChange[] = [];
  const monitor = createTagMonitor({
    ...options,
    clock,
    store,
    onStatusChange: (change) => changes.push(change),
  });
  return { clock, monitor, changes };
}

for (const { name, create } of backends) {
  describe(`restarting a monitor on the ${name}`, () => {
    it('D7 reflects every acknowledged input and reports the silences that elapsed while down, once, with effective times', () => {
      const { reopen } = create();
      const first = start(reopen(), T0);
      first.monitor.apply([
        { kind: 'registerTag', tagId: 'a', goals: [{ goalId: 'signup', goalType: 'Url' }] },
        { kind: 'registerTag', tagId: 'b' },
        { kind: 'registerTag', tagId: 'c' },
        { kind: 'activity', tagId: 'a', at: T0 },
        { kind: 'conversion', tagId: 'a', goalId: 'signup', at: T0 },
        { kind: 'activity', tagId: 'b', at: T0 },
      ]);
      first.clock.increment(3_600_000);
      for (let minute = 1; minute <= 10; minute++) {
        first.monitor.recordActivity('b', T0 + minute * 60_000);
      }
      const seqsBefore = first.changes.map((change) => change.seq);
      first.monitor.close();

      const downUntil = T0 + 2 * DAY_MS;
      const second = start(reopen(), downUntil);
      expect(
        second.changes.map(({ tagId, kind, from, to, effectiveAt, noticedAt }) => [
          tagId,
          kind,
          from,
          to,
          effectiveAt,
          noticedAt,
        ]),
      ).toEqual([
        ['a', 'tag', 'Active', 'Inactive', T0 + DAY_MS, downUntil],
        ['a', 'goal', 'RecordingConversions', 'TagInactive', T0 + DAY_MS, downUntil],
        ['b', 'tag', 'Active', 'Inactive', T0 + 600_000 + DAY_MS, downUntil],
      ]);
      expect(second.changes.map((change) => change.seq)).toEqual([
        seqsBefore.length + 1,
        seqsBefore.length + 2,
        seqsBefore.length + 3,
      ]);
      expect(second.monitor.status('b').lastDataAt).toBe(T0 + 600_000);
      expect(second.monitor.tagsInStatus('Unverified')).toEqual(['c']);
      expect(second.monitor.history('a').map((change) => change.seq)).toEqual([1, 2, 3, 5, 6]);
      second.monitor.close();

      const third = start(reopen(), downUntil + 1_000);
      expect(third.changes).toEqual([]);
      expect([...third.monitor.statuses()].map(({ tagId, status }) => [tagId, status])).toEqual([
        ['a', 'Inactive'],
        ['b', 'Inactive'],
        ['c', 'Unverified'],
      ]);
      third.monitor.close();
    });

    it('D7 resumes after a crash without close: the state of the last commit is there', () => {
      const { reopen, afterCrash } = create();
      const first = start(reopen(), T0);
      first.monitor.registerTag('a');
      first.monitor.recordActivity('a', T0);
      first.monitor.recordActivity('a', T0 + 5);
      first.monitor.recordActivity('a', T0 + 7);
      first.monitor.recordActivity('a', T0 + 6);
      const second = start(afterCrash(), T0 + 10);
      expect(second.monitor.status('a')).toMatchObject({ status: 'Active', lastDataAt: T0 + 7 });
      expect(second.changes).toEqual([]);
      second.monitor.close();
      first.monitor.close();
    });

    it('D6 the monitor time does not go back across a restart on an earlier clock', () => {
      const { reopen } = create();
      const first = start(reopen(), T0 + DAY_MS);
      first.monitor.registerTag('a');
      first.monitor.recordActivity('a', T0 + DAY_MS);
      first.monitor.close();
      const second = start(reopen(), T0);
      expect(second.monitor.now()).toBe(T0 + DAY_MS);
      expect(second.monitor.status('a').status).toBe('Active');
      second.clock.increment(2 * DAY_MS - 1);
      expect(second.monitor.status('a').status).toBe('Active');
      second.clock.increment(1);
      expect(second.changes.map(({ to, effectiveAt }) => [to, effectiveAt])).toEqual([
        ['Inactive', T0 + 2 * DAY_MS],
      ]);
      second.monitor.close();
    });

    it('commits a batch checkpoint with the batch', () => {
      const { reopen } = create();
      const first = start(reopen(), T0);
      expect(first.monitor.checkpoint).toBeUndefined();
      first.monitor.apply([{ kind: 'registerTag', tagId: 'a' }], { checkpoint: 'line:1' });
      first.monitor.apply([{ kind: 'activity', tagId: 'zzz', at: T0 }], { checkpoint: 'line:2' });
      first.monitor.close();
      const second = start(reopen(), T0);
      expect(second.monitor.checkpoint).toBe('line:2');
      second.monitor.close();
    });

    it('keeps removals and a re-registered id apart across restarts', () => {
      const { reopen } = create();
      const first = start(reopen(), T0);
      first.monitor.apply([
        { kind: 'registerTag', tagId: 'a' },
        { kind: 'registerTag', tagId: 'b' },
        { kind: 'activity', tagId: 'a', at: T0 },
      ]);
      first.monitor.recordActivity('a', T0 + 1);
      first.monitor.removeTag('a');
      first.monitor.registerTag('c');
      first.monitor.registerTag('a');
      first.monitor.close();
      const second = start(reopen(), T0 + 10);
      expect(
        [...second.monitor.statuses()].map(({ tagId, status, lastDataAt }) => [
          tagId,
          status,
          lastDataAt,
        ]),
      ).toEqual([
        ['c', 'Unverified', undefined],
        ['b', 'Unverified', undefined],
        ['a', 'Unverified', undefined],
      ]);
      expect(second.monitor.history('a')).toEqual([]);
      second.monitor.close();
    });

    it('trims the kept history to a smaller limit at start-up, durably', () => {
      const { reopen } = create();
      const first = start(reopen(), T0);
      first.monitor.registerTag('a');
      for (let day = 0; day < 3; day++) {
        first.monitor.recordActivity('a', first.clock.now());
        first.clock.increment(DAY_MS);
      }
      expect(first.monitor.history('a')).toHaveLength(6);
      first.monitor.close();
      start(reopen(), T0 + 3 * DAY_MS, { historyLimit: 2 }).monitor.close();
      const third = start(reopen(), T0 + 3 * DAY_MS);
      expect(third.monitor.history('a').map(({ seq, to }) => [seq, to])).toEqual([
        [5, 'Active'],
        [6, 'Inactive'],
      ]);
      third.monitor.close();
    });

    it('refuses windows that differ from the store’s with invalidOption, and can open again', () => {
      const { reopen } = create();
      start(reopen(), T0, { windows: { activityWindowMs: 1_000 } }).monitor.close();
      expect(() => start(reopen(), T0, { windows: { activityWindowMs: 2_000 } })).toThrowError(
        expect.objectContaining({
          name: 'TrackingInputError',
          code: 'invalidOption',
          field: 'activityWindowMs',
          value: 2_000,
        }),
      );
      const again = start(reopen(), T0);
      again.monitor.registerTag('a');
      again.monitor.recordActivity('a', T0);
      again.clock.increment(1_000);
      expect(again.monitor.status('a').status).toBe('Inactive');
      again.monitor.close();
    });
  });
}
