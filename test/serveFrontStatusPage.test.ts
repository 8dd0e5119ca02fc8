import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCluster } from '../packages/uet-tag/src/postgres/cluster.js';
import { createClusterPool } from '../packages/uet-tag/src/postgres/clusterPool.js';
import type { JsonLinesChild } from './support/childProcess.js';
import { launchChromium, type TestBrowser } from './support/chromium.js';
import { spawnWorker, workerArgs } from './support/clusterProcesses.js';
import { caughtUp, startFrontNode, type TestFrontNode } from './support/frontSupport.js';
import { buildCliBundle } from './support/monitorSupport.js';
import { DATABASE_URL, testSchema } from './support/postgres.js';

/**
 * The status page served by a front node (`uet-tag serve --db postgresql://…`) in headless
 * Chromium, in front of a real worker process with a short activity window on the real
 * PostgreSQL: the page reads the cluster's tables and follows the cluster's change stream.
 */
const SETTINGS = { leaseTtlMs: 2_000, activityWindowMs: 4_000, conversionWindowMs: 86_400_000 };

const { schema, drop } = testSchema('frontpage');
const pool = createClusterPool(DATABASE_URL, schema);
let entry = '';
let worker: JsonLinesChild | undefined;
let front: TestFrontNode | undefined;
let browser: TestBrowser | undefined;

beforeAll(() => {
  entry = buildCliBundle();
  prepareCluster({ connectionString: DATABASE_URL, schema }, 4);
  worker = spawnWorker([...workerArgs(entry, DATABASE_URL, schema, SETTINGS), '--auto-register']);
});
afterAll(async () => {
  await browser?.close();
  await front?.close();
  worker?.child.kill('SIGKILL');
  await pool.end();
  drop();
  fs.rmSync(path.dirname(entry), { recursive: true, force: true });
});

describe('uet-tag serve --db postgresql://…: the status page in headless Chromium', () => {
  it('R2 R4 a tag turns Active when hits reach a front node and Inactive when the (short) window passes on the worker, live from the cluster change stream, without a reload; its detail shows its goals and history from PostgreSQL', async () => {
    front = await startFrontNode(DATABASE_URL, schema);
    const registered = await fetch(`${front.url}/inputs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          kind: 'registerTag',
          tagId: '26000001',
          goals: [
            { goalId: '46000001', goalType: 'Url' },
            { goalId: '46000002', goalType: 'Event' },
          ],
        },
        { kind: 'registerTag', tagId: '26000002' },
        { kind: 'registerTag', tagId: '26000003' },
      ]),
    });
    expect(registered.status).toBe(200);
    await caughtUp(pool, 30_000);
    browser = await launchChromium({ width: 1100, height: 800 });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(front.url);
    await page.locator('#connection', { hasText: 'Live' }).waitFor();
    const badge = (tagId: string) => page.locator(`tr[data-tag-id="${tagId}"] .badge`);
    await expect.poll(() => badge('26000001').textContent()).toBe('Unverified');
    expect(await page.locator('#tags tbody tr').count()).toBe(3);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    for (const tagId of ['26000001', '26000002']) {
      expect((await fetch(`${front.url}/action/0?ti=${tagId}&evt=pageLoad`)).status).toBe(204);
    }
    await expect.poll(() => badge('26000001').textContent(), { timeout: 10_000 }).toBe('Active');
    await expect
      .poll(() => page.locator('#tag-counts [data-status="Active"]').textContent())
      .toBe('2');
    await page.locator('tr[data-tag-id="26000001"] button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#detail-heading').textContent()).toContain('26000001');
    await expect.poll(() => page.locator('#goals tbody tr').count()).toBe(2);
    expect(await page.locator('#history li').count()).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('Escape');
    // The window passes on the worker: Inactive, still without a reload.
    await expect.poll(() => badge('26000001').textContent(), { timeout: 15_000 }).toBe('Inactive');
    await expect
      .poll(() => page.locator('#tag-counts [data-status="Inactive"]').textContent())
      .toBe('2');
    expect(navigations).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
