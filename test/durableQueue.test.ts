import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableQueue } from '../packages/uet-tag/src/sqlite/DurableQueue.js';
import { WalSync } from '../packages/uet-tag/src/sqlite/WalSync.js';
import { useDeferredSyncMonitors } from './support/deferredSyncMonitors.js';

const monitors = useDeferredSyncMonitors('durable-queue-');

describe('DurableQueue: what follows a commit goes out once the commit is synced', () => {
  it('D7 items pushed after commits go out only after a sync asked after them, in the order pushed', async () => {
    const { monitor: live, store } = monitors.open();
    const out: string[] = [];
    const failures: unknown[] = [];
    const queue = new DurableQueue(
      () => store.sync(),
      (item: string) => out.push(item),
      (error) => failures.push(error),
    );
    live.registerTag('t1');
    queue.push('after t1');
    live.registerTag('t2');
    queue.push('after t2');
    await Promise.resolve();
    expect(out).toEqual([]);
    expect(queue.size).toBe(2);
    expect(queue.oldest).toBe('after t1');
    await queue.drain();
    expect(out).toEqual(['after t1', 'after t2']);
    expect(queue.size).toBe(0);
    live.registerTag('t3');
    queue.push('after t3');
    await queue.drain();
    expect(out).toEqual(['after t1', 'after t2', 'after t3']);
    expect(failures).toEqual([]);
  });

  it('D7 a failed sync holds its items for good and is told, once per ask', async () => {
    const file = path.join(monitors.scratch().dir, 'broken.sqlite');
    fs.mkdirSync(`${file}-wal`);
    const wal = new WalSync(file);
    const out: string[] = [];
    const failures: unknown[] = [];
    const queue = new DurableQueue(
      () => wal.sync(),
      (item: string) => out.push(item),
      (error) => failures.push(error),
    );
    queue.push('a');
    queue.push('b');
    await queue.drain();
    expect(out).toEqual([]);
    expect(queue.size).toBe(2);
    expect(failures.map((error) => (error as NodeJS.ErrnoException).code)).toEqual(['EISDIR']);
  });

  it('D7 an item whose delivery throws is told as a failure and the next ones still go out', async () => {
    const { store } = monitors.open();
    const out: string[] = [];
    const failures: unknown[] = [];
    const queue = new DurableQueue(
      () => store.sync(),
      (item: string) => {
        if (item === 'bad') throw new Error('cannot deliver bad');
        out.push(item);
      },
      (error) => failures.push(error),
    );
    queue.push('bad');
    queue.push('good');
    await queue.drain();
    expect(out).toEqual(['good']);
    expect(failures.map((error) => (error as Error).message)).toEqual(['cannot deliver bad']);
  });
});
