import { describe, expect, it } from 'vitest';
import { DurableChanges } from '../packages/uet-tag/src/service/DurableChanges.js';
import type { MonitorStatusChange } from '../packages/uet-tag-status/src/index.js';
import { DEFERRED_T0, useDeferredSyncMonitors } from './support/deferredSyncMonitors.js';

const T0 = DEFERRED_T0;
const monitors = useDeferredSyncMonitors('durable-changes-');

describe('DurableChanges: changes go out to the stream and webhooks once durable', () => {
  it('D7 a change reaches subscribers, the change log reading and lastSeq only once a sync after its commit resolved', async () => {
    const { monitor: live, store } = monitors.open();
    live.registerTag('t1');
    await store.sync();
    const failures: unknown[] = [];
    const changes = new DurableChanges(
      live,
      () => store.sync(),
      (error) => failures.push(error),
    );
    const told: MonitorStatusChange[] = [];
    const firstTold = new Promise<void>((resolve) => {
      changes.subscribe((change) => {
        told.push(change);
        resolve();
      });
    });
    const before = live.changesAfter(0).length;

    live.recordActivity('t1', T0);
    const made = live.changesAfter(0).slice(before);
    expect(made.map((change) => `${change.from} -> ${change.to}`)).toEqual([
      'Unverified -> Active',
    ]);
    // Committed, not yet synced: neither told nor readable through the durable view.
    expect(told).toEqual([]);
    expect(changes.changesAfter(0)).toHaveLength(before);
    expect(changes.lastSeq).toBe((made[0]?.seq ?? 0) - 1);
    expect(live.lastSeq).toBe(made[0]?.seq);

    await firstTold;
    expect(told.map((change) => change.seq)).toEqual(made.map((change) => change.seq));
    expect(changes.changesAfter(0)).toEqual(live.changesAfter(0));
    expect(changes.lastSeq).toBe(live.lastSeq);
    expect(failures).toEqual([]);
  });
});
