import path from 'node:path';
import { afterEach } from 'vitest';
import {
  createSqliteStore,
  type SqliteMonitorStore,
} from '../../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor, type TagMonitor } from '../../packages/uet-tag-status/src/index.js';
import { temporaryFolder } from './serviceSupport.js';
import { simulatedClockAt } from './testClocks.js';

/** The instant the monitors opened by {@link useDeferredSyncMonitors} start at. */
export const DEFERRED_T0 = Date.UTC(2025, 3, 1);

/** A temporary folder, as `temporaryFolder` gives it. */
type Folder = ReturnType<typeof temporaryFolder>;

/**
 * Monitors on real SQLite files whose commits are synced off the event loop
 * (`deferSync`), each in a temporary folder named from `prefix`: every monitor opened
 * in a test is closed, and every folder removed, after it.
 */
export function useDeferredSyncMonitors(prefix: string) {
  let monitors: TagMonitor[] = [];
  let folders: Folder[] = [];
  afterEach(() => {
    for (const monitor of monitors) monitor.close();
    for (const folder of folders) folder.remove();
    monitors = [];
    folders = [];
  });
  const scratch = (): Folder => {
    const folder = temporaryFolder(prefix);
    folders.push(folder);
    return folder;
  };
  return {
    /** A temporary folder of the test's own. */
    scratch,
    /** A monitor (simulated clock at {@link DEFERRED_T0}) on a new file with deferred syncs. */
    open(options: { readonly autoRegister?: boolean } = {}): {
      monitor: TagMonitor;
      store: SqliteMonitorStore;
    } {
      const store = createSqliteStore({
        path: path.join(scratch().dir, 'tags.db'),
        deferSync: true,
      });
      const monitor = createTagMonitor({ clock: simulatedClockAt(DEFERRED_T0), store, ...options });
      monitors.push(monitor);
      return { monitor, store };
    },
  };
}
