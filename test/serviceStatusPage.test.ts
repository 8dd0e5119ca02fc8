import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from './support/chromium.js';
import { startService, type TestService } from './support/serviceSupport.js';
import { checkLiveStatusPage, STATUS_PAGE_TAGS } from './support/statusPageChecks.js';

/** Where the README's screenshot is written when UPDATE_SCREENSHOTS=1; a temporary file otherwise. */
const README_SCREENSHOT = path.resolve('docs/images/status-page.png');

let running: TestService | undefined;
let launched: TestBrowser | undefined;

afterEach(async () => {
  await launched?.close();
  launched = undefined;
  await running?.close();
  running = undefined;
});

async function launch(viewport: { width: number; height: number }) {
  launched = await launchChromium(viewport);
  return launched.context;
}

async function post(inputs: unknown[]): Promise<void> {
  const response = await fetch(`${running?.url}/inputs`, {
    method: 'POST',
    body: JSON.stringify(inputs),
    headers: { 'content-type': 'application/json' },
  });
  expect(response.status).toBe(200);
}

describe('uet-tag serve: the status page in headless Chromium', () => {
  it('R2 R4 a tag turns Active when hits arrive and Inactive when the (short) window passes, live, without a reload; keyboard opens its detail', async () => {
    running = await startService({ memory: true, activityWindow: '4s' });
    await post(STATUS_PAGE_TAGS);
    const browser = await launch({ width: 1100, height: 800 });
    await checkLiveStatusPage(browser, running.url, {
      inactiveTimeoutMs: 10_000,
      whileActive: async (page) => {
        await page.screenshot({
          path:
            process.env.UPDATE_SCREENSHOTS === '1'
              ? README_SCREENSHOT
              : path.join(launched?.profile as string, 'page.png'),
        });
      },
    });
  });

  it('the search and the status filter narrow the table; on a phone-sized screen nothing scrolls sideways', async () => {
    running = await startService({ memory: true });
    await post([
      { kind: 'registerTag', tagId: 'shop-a' },
      { kind: 'registerTag', tagId: 'shop-b' },
      { kind: 'registerTag', tagId: 'blog-a' },
      { kind: 'activity', tagId: 'shop-b', at: Date.now() },
    ]);
    const browser = await launch({ width: 390, height: 844 });
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(running.url);
    const rows = page.locator('#tags tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByLabel('Search by id').fill('shop');
    await expect.poll(() => rows.count()).toBe(2);
    await page.locator('#status-filter').selectOption('Active');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-tag-id')).toBe('shop-b');
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
      true,
    );
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
