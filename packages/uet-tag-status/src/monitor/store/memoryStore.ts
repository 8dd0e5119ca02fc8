import { earliestReceived, latestReceived } from '../../machines/receivedTimes.js';
import type { TrackingWindows } from '../../windows.js';
import { MonitorStoreError } from '../MonitorStoreError.js';
import type {
  MonitorStore,
  StoreCommit,
  StoredChange,
  StoredMonitorState,
  StoredTag,
  StoreSnapshot,
} from './monitorStore.js';

/**
 * A {@link MonitorStore} that keeps its state in memory: it survives closing and
 * reopening a monitor within one process (handy in tests and simulations), not a
 * restart of the process. Each commit is applied whole or not at all.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * const first = createTagMonitor({ store });
 * first.registerTag('tag-1');
 * first.close();
 * const again = createTagMonitor({ store }); // 'tag-1' is there
 * ```
 */
export function createMemoryStore(): MonitorStore {
  let windows: TrackingWindows | undefined;
  const tags = new Map<number, StoredTag>();
  const changes = new Map<number, StoredChange>();
  let state: StoredMonitorState = { now: 0, nextSeq: 1, checkpoint: undefined };
  let open = false;
  const description = 'memory store';

  return {
    description,
    open(requested) {
      windows ??= { ...requested };
      open = true;
      return snapshot(windows, tags, changes, state);
    },
    commit(commit) {
      if (!open) throw new MonitorStoreError('closed', description, 'the store is closed');
      // Nothing below can fail, so applying in place keeps each commit whole.
      applyHits(tags, commit);
      for (const no of commit.removedTags) {
        tags.delete(no);
        for (const [seq, change] of changes) if (change.tagNo === no) changes.delete(seq);
      }
      for (const tag of commit.tags) tags.set(tag.no, copyTag(tag));
      for (const change of commit.changes) changes.set(change.seq, { ...change });
      for (const seq of commit.droppedChanges) changes.delete(seq);
      state = { ...commit.state };
    },
    close() {
      open = false;
    },
  };
}

function applyHits(tags: Map<number, StoredTag>, commit: StoreCommit): void {
  const { count, tagNos, ats } = commit.hits;
  for (let index = 0; index < count; index++) {
    const no = tagNos[index] as number;
    const at = ats[index] as number;
    const tag = tags.get(no);
    if (tag === undefined) continue;
    tags.set(no, {
      ...tag,
      firstDataAt: earliestReceived(tag.firstDataAt, at),
      lastDataAt: latestReceived(tag.lastDataAt, at),
    });
  }
}

function copyTag(tag: StoredTag): StoredTag {
  return { ...tag, goals: tag.goals.map((goal) => ({ ...goal })) };
}

function snapshot(
  windows: TrackingWindows,
  tags: Map<number, StoredTag>,
  changes: Map<number, StoredChange>,
  state: StoredMonitorState,
): StoreSnapshot {
  return {
    ...state,
    windows: { ...windows },
    tags: [...tags.values()].map(copyTag),
    changes: [...changes.values()].sort((a, b) => a.seq - b.seq).map((change) => ({ ...change })),
  };
}
