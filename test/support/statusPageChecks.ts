import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The tags of the live status page check: 26000001 with two goals, 26000002, and 26000003
 * with a goal and its access lost.
 */
export const STATUS_PAGE_TAGS = [
  {
    kind: 'registerTag',
    tagId: '26000001',
    goals: [
      { goalId: '46000001', goalType: 'Url' },
      { goalId: '46000002', goalType: 'Event' },
    ],
  },
  { kind: 'registerTag', tagId: '26000002' },
  { kind: 'registerTag', tagId: '26000003', goals: [{ goalId: '46000003', goalType: 'Duration' }] },
  { kind: 'accessLost', tagId: '26000003' },
];

/**
 * Opens the status page of a service holding {@link STATUS_PAGE_TAGS} (a short activity
 * window) and checks, without a reload and without page errors: hits to 26000001 and
 * 26000002 turn them Active (counts too), the keyboard opens 26000001's detail (its goals,
 * history and timeline) and Escape closes it, and the window passing turns them Inactive.
 * `whileActive` runs while they are Active.
 */
export async function checkLiveStatusPage(
  context: BrowserContext,
  url: string,
  options: { readonly inactiveTimeoutMs: number; whileActive?: (page: Page) => Promise<void> },
): Promise<void> {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.locator('#connection', { hasText: 'Live' }).waitFor();
  const badge = (tagId: string) => page.locator(`tr[data-tag-id="${tagId}"] .badge`);
  await expect.poll(() => badge('26000001').textContent()).toBe('Unverified');
  expect(await page.locator('#tags tbody tr').count()).toBe(3);
  let navigations = 0;
  page.on('framenavigated', () => navigations++);
  for (const tagId of ['26000001', '26000002']) {
    expect((await fetch(`${url}/action/0?ti=${tagId}&evt=pageLoad`)).status).toBe(204);
  }
  await expect.poll(() => badge('26000001').textContent(), { timeout: 10_000 }).toBe('Active');
  await expect
    .poll(() => page.locator('#tag-counts [data-status="Active"]').textContent())
    .toBe('2');
  expect(
    await page.locator('tr[data-tag-id="26000001"] td[data-label="Inactive at"] time').count(),
  ).toBe(1);
  await options.whileActive?.(page);
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
  await expect
    .poll(() => badge('26000001').textContent(), { timeout: options.inactiveTimeoutMs })
    .toBe('Inactive');
  await expect
    .poll(() => page.locator('#tag-counts [data-status="Inactive"]').textContent())
    .toBe('2');
  expect(navigations).toBe(0);
  expect(errors).toEqual([]);
}
