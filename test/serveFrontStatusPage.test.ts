import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from './support/chromium.js';
import {
  caughtUp,
  startFrontNode,
  type TestFrontNode,
  testCluster,
} from './support/frontSupport.js';
import { checkLiveStatusPage, STATUS_PAGE_TAGS } from './support/statusPageChecks.js';

/**
 * The status page served by a front node (`uet-tag serve --db postgresql://…`) in headless
 * Chromium, in front of a real worker process with a short activity window on the real
 * PostgreSQL: the page reads the cluster's tables and follows the cluster's change stream.
 */
const SETTINGS = { leaseTtlMs: 2_000, activityWindowMs: 4_000, conversionWindowMs: 86_400_000 };

const cluster = testCluster('frontpage', SETTINGS, { shards: 4, workers: 1 });
let front: TestFrontNode | undefined;
let browser: TestBrowser | undefined;

beforeAll(() => cluster.start());
afterAll(async () => {
  await browser?.close();
  await front?.close();
  await cluster.stop();
});

describe('uet-tag serve --db postgresql://…: the status page in headless Chromium', () => {
  it('R2 R4 a tag turns Active when hits reach a front node and Inactive when the (short) window passes on the worker, live from the cluster change stream, without a reload; its detail shows its goals, history and timeline from PostgreSQL', async () => {
    front = await startFrontNode(cluster.schema);
    const registered = await fetch(`${front.url}/inputs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(STATUS_PAGE_TAGS),
    });
    expect(registered.status).toBe(200);
    await caughtUp(cluster.pool, 30_000);
    browser = await launchChromium({ width: 1100, height: 800 });
    await checkLiveStatusPage(browser.context, front.url, { inactiveTimeoutMs: 15_000 });
  }, 60_000);
});
