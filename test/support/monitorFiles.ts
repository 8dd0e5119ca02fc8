import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor, type TagMonitor } from '../../packages/uet-tag-status/src/index.js';
import type { MonitorInput } from '../../packages/uet-tag-status/src/monitor/monitorInput.js';
import { DAY_MS, HOUR_MS } from '../../packages/uet-tag-status/src/windows.js';
import { simulatedClockAt } from './testClocks.js';

/** The time monitor files made here start at. */
export const FILE_T0 = Date.UTC(2025, 3, 1);

/**
 * Fills a monitor with `tags` tags, every third with two goals, most with activity and
 * conversions, and a day later five batches of activity: so it holds goals, status
 * changes (Active, Inactive, Active again) and, with a large fold threshold, a hit log.
 */
function fill(monitor: TagMonitor, clock: ReturnType<typeof simulatedClockAt>, tags: number) {
  const inputs: MonitorInput[] = [];
  for (let index = 0; index < tags; index++) {
    const tagId = `tag-${index}`;
    const goals =
      index % 3 === 0
        ? [
            { goalId: 'signup', goalType: 'Url' as const },
            { goalId: 'install', goalType: 'AppInstall' as const },
          ]
        : [];
    inputs.push({ kind: 'registerTag', tagId, goals });
    if (index % 5 !== 4) inputs.push({ kind: 'activity', tagId, at: FILE_T0 + index });
    if (index % 3 === 0 && index % 2 === 0) {
      inputs.push({ kind: 'conversion', tagId, goalId: 'signup', at: FILE_T0 + index });
    }
  }
  monitor.apply(inputs);
  clock.increment(DAY_MS + HOUR_MS);
  const later = clock.now();
  for (let batch = 0; batch < 5; batch++) {
    const activity: MonitorInput[] = [];
    for (let index = batch; index < tags; index += 2) {
      activity.push({ kind: 'activity', tagId: `tag-${index}`, at: later - index - batch });
    }
    monitor.apply(activity);
  }
}

/**
 * Writes a monitor's file at `file` with `tags` tags (goals, status changes, a hit log
 * not yet folded), as a clean close leaves it: no WAL beside it.
 *
 * @example
 * ```ts
 * writeMonitorFile(path.join(folder, 'tags.db'), 40);
 * ```
 */
export function writeMonitorFile(file: string, tags = 30): void {
  writeCrashedMonitorFile(file, tags);
  // A plain connection that reads the file checkpoints the WAL into it and deletes it on
  // close; unlike the store's close, it does not fold the hit log.
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * Writes a monitor's file at `file` as a writer killed after its last commit leaves it:
 * the file, its `-wal` holding the commits since the schema, and no `-shm` (the WAL index
 * is rebuilt by the next reader).
 *
 * @example
 * ```ts
 * writeCrashedMonitorFile(path.join(folder, 'tags.db'), 40);
 * ```
 */
export function writeCrashedMonitorFile(file: string, tags = 30): void {
  const folder = fs.mkdtempSync(`${file}-making-`);
  const making = path.join(folder, 'making.db');
  const clock = simulatedClockAt(FILE_T0);
  const monitor = createTagMonitor({
    clock,
    store: createSqliteStore({ path: making, foldThreshold: 1_000_000 }),
  });
  fill(monitor, clock, tags);
  fs.copyFileSync(making, file);
  fs.copyFileSync(`${making}-wal`, `${file}-wal`);
  monitor.close();
  fs.rmSync(folder, { recursive: true, force: true });
}

/**
 * Every entry of a folder with a hash of its content (`-shm` files by their presence
 * only: a reader rebuilds the WAL index in them), to compare before and after.
 *
 * @example
 * ```ts
 * const before = folderState(folder);
 * expect(folderState(folder)).toEqual(before);
 * ```
 */
export function folderState(folder: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of fs.readdirSync(folder).sort()) {
    const file = path.join(folder, name);
    state[name] =
      name.endsWith('-shm') || !fs.statSync(file).isFile()
        ? 'present'
        : crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return state;
}

/**
 * Runs SQL on a monitor's file with a plain connection and closes it, leaving no WAL:
 * how tests damage a valid file.
 *
 * @example
 * ```ts
 * editMonitorFile(file, 'UPDATE tags SET no = 2000000000 WHERE no = 0');
 * ```
 */
export function editMonitorFile(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}
