import { earliestReceived, latestReceived } from '../../machines/receivedTimes.js';
import { TrackingInputError } from '../../TrackingInputError.js';
import type { TrackingWindows } from '../../windows.js';
import { MonitorStoreError } from '../MonitorStoreError.js';
import type {
  LoggedChange,
  MonitorStore,
  StoreCommit,
  StoredChange,
  StoredMonitorState,
  StoredTag,
  StoreSnapshot,
} from './monitorStore.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * How many of the latest changes the change log keeps (see `MonitorStore.readChanges`).
   * @default 100_000
   */
  readonly changeLogLimit?: number;
}

/**
 * A {@link MonitorStore} that keeps its state in memory: it survives closing and
 * reopening a monitor within one process (handy in tests, simulations, and a service
 * that needs no durability), not a restart of the process. Each commit is applied whole
 * or not at all. It keeps a change log of the latest `changeLogLimit` changes.
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
export function createMemoryStore(options: MemoryStoreOptions = {}): MonitorStore {
  const changeLogLimit = options.changeLogLimit ?? 100_000;
  if (!Number.isSafeInteger(changeLogLimit) || changeLogLimit < 0) {
    throw new TrackingInputError(
      'invalidOption',
      'changeLogLimit',
      changeLogLimit,
      'an integer >= 0',
    );
  }
  const log: LoggedChange[] = [];
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
      for (const change of commit.log) log.push({ ...change });
      if (log.length > changeLogLimit) log.splice(0, log.length - changeLogLimit);
      state = { ...commit.state };
    },
    readChanges(afterSeq, limit) {
      if (!open) throw new MonitorStoreError('closed', description, 'the store is closed');
      const from = firstAfter(log, afterSeq);
      return log.slice(from, from + limit).map((change) => ({ ...change }));
    },
    close() {
      open = false;
    },
  };
}

/** The index of the first change after `afterSeq` in a log ordered by `seq` (binary search). */
function firstAfter(log: readonly LoggedChange[], afterSeq: number): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((log[middle] as LoggedChange).seq <= afterSeq) low = middle + 1;
    else high = middle;
  }
  return low;
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
