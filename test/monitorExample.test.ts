import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/monitorSupport.js';
import { sourceNodeArgs } from './support/sourceProcess.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-example-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('examples/monitor.ts (README: Monitoring in an app)', () => {
  it('D5 D7 runs with real timers and prints each change once, those of the downtime at restart', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...sourceNodeArgs('examples/monitor.ts'), path.join(scratch, 'example.db')],
      { cwd: repoRoot },
    );
    expect(stdout.trimEnd().split('\n')).toEqual([
      'shop: Unverified -> Active',
      'shop/checkout: TagUnverified -> NoRecentConversions',
      'blog: Unverified -> Active',
      'input 2: tagId: "newsletter" is not valid: expected the id of a registered tag',
      'shop/checkout: NoRecentConversions -> RecordingConversions',
      'shop/phone-sales: NoRecentConversions -> RecordingConversions',
      'blog: Active -> Inactive',
      '-- deploy: the app stops for 3 seconds',
      'while down: shop: Active -> Inactive',
      'while down: shop/checkout: RecordingConversions -> TagInactive',
      'shop is Inactive (checkout TagInactive, phone-sales RecordingConversions)',
      'blog is Inactive',
      'Inactive tags: shop, blog',
    ]);
  });
});
