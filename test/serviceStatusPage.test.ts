import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { launchChromium, type TestBrowser } from './support/chromium.js';
import { startService, type TestService } from './support/serviceSupport.js';

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
    await post([
      {
        kind: 'registerTag',
        tagId: '26000001',
        goals: [
          { goalId: '46000001', goalType: 'Url' },
          { goalId: '46000002', goalType: 'Event' },
        ],
      },
      { kind: 'registerTag', tagId: '26000002' },
      {
        kind: 'registerTag',
        tagId: '26000003',
        goals: [{ goalId: '46000003', goalType: 'Duration' }],
      },
      { kind: 'accessLost', tagId: '26000003' },
    ]);
    const browser = await launch({ width: 1100, height: 800 });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(running.url);
    await page.locator('#connection', { hasText: 'Live' }).waitFor();
    const badge = (tagId: string) => page.locator(`tr[data-tag-id="${tagId}"] .badge`);
    await expect.poll(() => badge('26000001').textContent()).toBe('Unverified');
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    expect((await fetch(`${running.url}/action/0?ti=26000001&evt=pageLoad`)).status).toBe(204);
    expect((await fetch(`${running.url}/action/0?ti=26000002&evt=pageLoad`)).status).toBe(204);
    await expect.poll(() => badge('26000001').textContent(), { timeout: 5_000 }).toBe('Active');
    await expect
      .poll(() => page.locator('#tag-counts [data-status="Active"]').textContent())
      .toBe('2');
    expect(
      await page.locator('tr[data-tag-id="26000001"] td[data-label="Inactive at"] time').count(),
    ).toBe(1);
    await page.screenshot({
      path:
        process.env.UPDATE_SCREENSHOTS === '1'
          ? README_SCREENSHOT
          : path.join(launched?.profile as string, 'page.png'),
    });
    // Keyboard only: the tag's button takes focus and Enter opens its detail.
    await page.locator('tr[data-tag-id="26000001"] button').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#detail-heading').textContent()).toContain('26000001');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'detail-heading',
    );
    await expect.poll(() => page.locator('#goals tbody tr').count()).toBe(2);
    expect(await page.locator('#history li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#timeline svg rect').count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await page.locator('#detail').isHidden()).toBe(true);
    // The window passes: Inactive, still without a reload.
    await expect.poll(() => badge('26000001').textContent(), { timeout: 10_000 }).toBe('Inactive');
    await expect
      .poll(() => page.locator('#tag-counts [data-status="Inactive"]').textContent())
      .toBe('2');
    expect(navigations).toBe(0);
    expect(errors).toEqual([]);
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
