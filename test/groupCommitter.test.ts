import { describe, expect, it } from 'vitest';
import { GroupCommitter } from '../packages/uet-tag/src/service/GroupCommitter.js';
import { DEFERRED_T0, useDeferredSyncMonitors } from './support/deferredSyncMonitors.js';

const T0 = DEFERRED_T0;
const monitors = useDeferredSyncMonitors('group-committer-');

describe('GroupCommitter on a store that syncs off the event loop', () => {
  it('D7 every submission is answered after a sync asked once its group was committed; a group submitted meanwhile gets a sync of its own', async () => {
    const { monitor: live, store } = monitors.open({ autoRegister: true });
    const events: string[] = [];
    const sizes: number[] = [];
    const committer = new GroupCommitter(live, {
      durable: () => {
        events.push(`sync asked with ${live.size} tags`);
        return store.sync().then(() => {
          events.push('synced');
        });
      },
      committed: (inputs) => sizes.push(inputs),
    });
    const activity = (tagId: string) => [{ kind: 'activity' as const, tagId, at: T0 }];
    const answers = ['a', 'b', 'c'].map((tagId) =>
      committer.submit(activity(tagId)).then((result) => {
        events.push(`answered ${tagId}`);
        return result;
      }),
    );
    // A second group, submitted while the first one's sync runs.
    await new Promise((resolve) => setImmediate(resolve));
    const late = committer.submit(activity('d')).then((result) => {
      events.push('answered d');
      return result;
    });
    expect(await Promise.all([...answers, late])).toEqual(
      Array.from({ length: 4 }, () => ({ applied: 1, rejected: [] })),
    );
    // Two groups, two syncs (they may overlap and finish in either order).
    expect([...sizes].sort()).toEqual([1, 3]);
    expect(events.filter((event) => event.startsWith('sync asked'))).toEqual([
      'sync asked with 3 tags',
      'sync asked with 4 tags',
    ]);
    expect(events.filter((event) => event === 'synced')).toHaveLength(2);
    // No answer before a sync finished, and each group's answers come together.
    const firstAnswer = events.findIndex((event) => event.startsWith('answered'));
    expect(firstAnswer).toBeGreaterThan(events.indexOf('synced'));
    const a = events.indexOf('answered a');
    expect(events.slice(a, a + 3)).toEqual(['answered a', 'answered b', 'answered c']);
  });

  it('D7 with one group syncing at a time, the submissions that arrive meanwhile are one group, committed once that sync resolved; close waits for both', async () => {
    const { monitor: live, store } = monitors.open({ autoRegister: true });
    const events: string[] = [];
    const committer = new GroupCommitter(live, {
      maxSyncing: 1,
      durable: () => {
        events.push(`sync asked with ${live.size} tags`);
        return store.sync().then(() => {
          events.push('synced');
        });
      },
      committed: (inputs) => events.push(`answered a group of ${inputs}`),
    });
    const activity = (tagId: string) => [{ kind: 'activity' as const, tagId, at: T0 }];
    const first = committer.submit(activity('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [committer.submit(activity('b')), committer.submit(activity('c'))];
    await new Promise((resolve) => setImmediate(resolve));
    const closed = committer.close();
    await expect(committer.submit(activity('e'))).rejects.toThrow('the service is shutting down');
    await closed;
    expect(events).toEqual([
      'sync asked with 1 tags',
      'synced',
      'answered a group of 1',
      'sync asked with 3 tags',
      'synced',
      'answered a group of 2',
    ]);
    expect(await Promise.all([first, ...later])).toEqual(
      Array.from({ length: 3 }, () => ({ applied: 1, rejected: [] })),
    );
  });

  it('D7 a failed sync refuses its group with the error and tells failed', async () => {
    const { monitor: live, store } = monitors.open({ autoRegister: true });
    const failures: unknown[] = [];
    const committer = new GroupCommitter(live, {
      // The store closed under the committer: its sync is refused.
      durable: () => {
        live.close();
        return store.sync();
      },
      failed: (error) => failures.push(error),
    });
    const refused = committer.submit([{ kind: 'activity', tagId: 'a', at: T0 }]);
    await expect(refused).rejects.toThrow('the store is closed');
    expect(failures).toHaveLength(1);
  });
});
