/**
 * Monitoring in an app: a monitor kept in a SQLite file, fed hits and conversions as
 * they arrive, told each status change, stopped for a "deploy" and started again, when
 * it reports what happened while it was down. Real clock and real timers; the windows
 * are shortened to seconds so that it runs in about six seconds:
 * `npx tsx examples/monitor.ts [file.db]`.
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSqliteStore } from 'uet-tag/sqlite';
import { createTagMonitor, type MonitorStatusChange, type TagMonitor } from 'uet-tag-status';

/** 1.5 s of silence makes a tag Inactive; a conversion counts for 10 s. */
const windows = { activityWindowMs: 1_500, conversionWindowMs: 10_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describeChange(change: MonitorStatusChange): string {
  const subject = change.kind === 'tag' ? change.tagId : `${change.tagId}/${change.goalId}`;
  return `${subject}: ${change.from} -> ${change.to}`;
}

/** Opens (or reopens) the monitor on `file`, printing every change it reports. */
function openMonitor(file: string, label: string): TagMonitor {
  return createTagMonitor({
    windows,
    store: createSqliteStore({ path: file }),
    onStatusChange: (change) => console.log(`${label}${describeChange(change)}`),
  });
}

export async function main(file: string): Promise<void> {
  let monitor = openMonitor(file, '');
  if (monitor.size === 0) {
    monitor.registerTag('shop', {
      goals: [
        { goalId: 'checkout', goalType: 'Url' },
        { goalId: 'phone-sales', goalType: 'OfflineConversion' },
      ],
    });
    monitor.registerTag('blog');
  }

  // Hits as they arrive. A batch is one durable commit; each bad input is reported alone.
  const result = monitor.apply([
    { kind: 'activity', tagId: 'shop', at: Date.now() },
    { kind: 'activity', tagId: 'blog', at: Date.now() },
    { kind: 'activity', tagId: 'newsletter', at: Date.now() },
  ]);
  for (const { index, error } of result.rejected) console.log(`input ${index}: ${error.message}`);
  await sleep(200);
  monitor.recordConversion('shop', 'checkout', Date.now());
  await sleep(300);
  monitor.recordConversion('shop', 'phone-sales', Date.now());
  // The shop keeps sending hits; the blog has gone quiet and turns Inactive on its own.
  for (let hit = 0; hit < 7; hit++) {
    await sleep(300);
    monitor.recordActivity('shop', Date.now());
  }

  console.log('-- deploy: the app stops for 3 seconds');
  monitor.close();
  await sleep(3_000);
  monitor = openMonitor(file, 'while down: ');

  for (const tag of monitor.statuses()) {
    const goals = tag.goals.map((goal) => `${goal.goalId} ${goal.status}`).join(', ');
    console.log(`${tag.tagId} is ${tag.status}${goals === '' ? '' : ` (${goals})`}`);
  }
  console.log(`Inactive tags: ${monitor.tagsInStatus('Inactive').join(', ')}`);
  monitor.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv[2] ?? path.join(os.tmpdir(), `uet-monitor-example-${process.pid}.db`));
}
