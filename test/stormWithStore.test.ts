import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/sqliteStore.js';
import { createTagMonitor } from '../packages/uet-tag-status/src/monitor/createTagMonitor.js';
import type {
  MonitorInput,
  MonitorStatusChange,
} from '../packages/uet-tag-status/src/monitor/monitorInput.js';
import { createMemoryStore } from '../packages/uet-tag-status/src/monitor/store/memoryStore.js';
import type { MonitorStore } from '../packages/uet-tag-status/src/monitor/store/monitorStore.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';
import { SteppingClock, simulatedClockAt } from './support/testClocks.js';

/*
 * A storm's long runs of goalless tags of one kind are applied on the tag table's columns,
 * and without a store their history changes are queued and added in tag order. These
 * tests run the same storm on a monitor with a store (changes kept at once, every changed
 * tag committed) and on one without, and compare what each reports, keeps and, after a
 * restart, reads back from the store.
 */

const T0 = Date.UTC(2025, 0, 1);
const TAGS = 900;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'storm-store-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * Tags of a few kinds, each kind's silences due together, in that order: 600 plain Active
 * tags (a run long enough for the column path), then 150 with a goal, then 150 without
 * access.
 */
function inputs(): MonitorInput[] {
  const batch: MonitorInput[] = [];
  for (let index = 0; index < TAGS; index++) {
    const tagId = `tag-${index}`;
    const kind = index < 600 ? 0 : index < 750 ? 1 : 2;
    const goals = kind === 1 ? [{ goalId: 'buy', goalType: 'Url' }] : undefined;
    batch.push({ kind: 'registerTag', tagId, goals } as MonitorInput);
    batch.push({ kind: 'activity', tagId, at: T0 + kind * 1_000 + (index % 3) });
    if (kind === 2) batch.push({ kind: 'accessLost', tagId });
  }
  return batch;
}

/** A monitor at T0 + 1 minute with every tag of {@link inputs}, then a storm two days on. */
function storm(store: MonitorStore | undefined) {
  const clock = simulatedClockAt(T0 + 60_000);
  const reported: MonitorStatusChange[] = [];
  const monitor = createTagMonitor({
    clock,
    store,
    onStatusChange: (change) => reported.push(change),
  });
  expect(monitor.apply(inputs()).rejected).toEqual([]);
  clock.increment(2 * DAY_MS);
  return { monitor, reported };
}

/** Every tag's status and history, as the monitor gives them. */
function kept(monitor: ReturnType<typeof createTagMonitor>) {
  return Array.from({ length: TAGS }, (_, index) => ({
    status: monitor.status(`tag-${index}`),
    history: monitor.history(`tag-${index}`),
  }));
}

const stores: ReadonlyArray<{ name: string; open: () => () => MonitorStore }> = [
  {
    name: 'a memory store',
    open: () => {
      const store = createMemoryStore();
      return () => store;
    },
  },
  {
    name: 'a SQLite store',
    open: () => {
      const file = path.join(scratch, `storm-${Date.now()}-${Math.random()}.db`);
      return () => createSqliteStore({ path: file });
    },
  },
];

describe('a storm with and without a store', () => {
  for (const { name, open } of stores) {
    it(`R4 D7 on ${name}, a storm reports and keeps what it does without one, and the store gives it back after a restart`, () => {
      const reopen = open();
      const withStore = storm(reopen());
      const without = storm(undefined);
      const storming = (change: MonitorStatusChange) => change.effectiveAt > T0 + 60_000;
      expect(withStore.reported.filter(storming).length).toBeGreaterThanOrEqual(TAGS);
      expect(withStore.reported).toEqual(without.reported);
      const expected = kept(without.monitor);
      expect(kept(withStore.monitor)).toEqual(expected);
      withStore.monitor.close();
      without.monitor.close();

      const restarted = createTagMonitor({
        clock: simulatedClockAt(T0 + 2 * DAY_MS + 60_000),
        store: reopen(),
      });
      expect(kept(restarted)).toEqual(expected);
      restarted.close();
    });
  }

  it('R4 a storm of 6,000 silences fired 1,000 a timer reports what it reports fired at once, in the same order', () => {
    const reportedBy = (silencesPerTimer: number) => {
      // Its advance runs the timers that timers set (the storm's next slices) as well.
      const clock = new SteppingClock(T0 + 60_000);
      const reported: MonitorStatusChange[] = [];
      const monitor = createTagMonitor({
        clock,
        silencesPerTimer,
        onStatusChange: (change) => reported.push(change),
      });
      const batch: MonitorInput[] = [];
      for (let index = 0; index < 6_000; index++) {
        batch.push({ kind: 'registerTag', tagId: `t-${index}` });
        batch.push({ kind: 'activity', tagId: `t-${index}`, at: T0 + ((index * 37) % 1_000) });
      }
      monitor.apply(batch);
      clock.advance(2 * DAY_MS);
      monitor.close();
      return reported;
    };
    const atOnce = reportedBy(Number.POSITIVE_INFINITY);
    expect(atOnce.length).toBe(12_000);
    expect(reportedBy(1_000)).toEqual(atOnce);
  });
});
