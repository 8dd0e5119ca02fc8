import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { expect } from 'vitest';
import {
  DEBIAN_CHROMIUM as CHROMIUM,
  CHROMIUM_ARGS,
} from '../../scripts/fixtures/recordBeacons.js';

/** Debian's headless Chromium with a profile of its own, driven by playwright-core. */
export interface TestBrowser {
  readonly context: BrowserContext;
  /** The profile's folder (removed by `close`), a place for a test's files. */
  readonly profile: string;
  close(): Promise<void>;
}

/** Launches /usr/bin/chromium (never downloaded) with a page of `viewport`'s size. */
export async function launchChromium(viewport: {
  width: number;
  height: number;
}): Promise<TestBrowser> {
  // Not a skip: CI installs Debian's chromium, and a missing browser must show.
  expect(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: apt-get install -y chromium (never downloaded)`,
  ).toBe(true);
  const profile = mkdtempSync(path.join(tmpdir(), 'uet-status-page-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return {
    context,
    profile,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
