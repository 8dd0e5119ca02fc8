import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle, repoRoot } from './support/monitorSupport.js';

/*
 * The README's walk-through of examples/uet ("UET data, step by step") shows real output:
 * each command is run as written, and every line the README shows (a "..." line stands for
 * lines left out) is in what the command prints, in order.
 */

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const walkThrough = readme.slice(readme.indexOf('## UET data, step by step'));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-example-'));
let cli = '';
beforeAll(() => {
  cli = buildCliBundle();
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(path.dirname(cli), { recursive: true, force: true });
});

/** The README's output block after the command line that begins with `command`. */
function shownOutput(command: string): string[] {
  const start = walkThrough.indexOf(`$ ${command}`);
  if (start < 0) throw new Error(`the README shows no ${command}`);
  const afterCommand = walkThrough.indexOf('\n', walkThrough.indexOf('\n', start) + 1) + 1;
  const firstLine = walkThrough.slice(start, walkThrough.indexOf('\n', start));
  const from = firstLine.endsWith('\\') ? afterCommand : walkThrough.indexOf('\n', start) + 1;
  const end =
    walkThrough.indexOf('\n$ ', from) >= 0 &&
    walkThrough.indexOf('\n$ ', from) < walkThrough.indexOf('```', from)
      ? walkThrough.indexOf('\n$ ', from)
      : walkThrough.indexOf('```', from);
  return walkThrough.slice(from, end).trimEnd().split('\n');
}

function run(args: readonly string[], input?: string): { out: string; status: number | null } {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    input,
    encoding: 'utf8',
  });
  return { out: result.stdout, status: result.status };
}

/** Every shown line is printed, in order; "..." skips any number of lines. */
function expectShown(shown: readonly string[], printed: string): void {
  const lines = printed.trimEnd().split('\n');
  let at = 0;
  for (const line of shown) {
    if (line.trim() === '...') continue;
    const found = lines.indexOf(line, at);
    expect(found, `README line not printed (in order): ${line}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

describe('README walk-through of examples/uet', () => {
  it('M1–M7 replay of the sample day with its goals prints what the README shows', () => {
    const { out, status } = run([
      'replay',
      'examples/uet/hits.log.gz',
      '--goals',
      'examples/uet/account.json',
      '--until',
      '2025-04-02T09:00:00Z',
    ]);
    expect(status).toBe(0);
    const shown = shownOutput('uet-tag replay examples/uet/hits.log.gz');
    expect(shown.length).toBeGreaterThan(10);
    expectShown(shown, out);
  });

  it('A3 the monitor fed inputs.ndjson, then status --format api, prints what the README shows', () => {
    const db = path.join(scratch, 'shop.db');
    const inputs = fs.readFileSync(path.join(repoRoot, 'examples/uet/inputs.ndjson'), 'utf8');
    expect(run(['monitor', '--db', db, '--clock', 'records'], inputs).status).toBe(0);
    const { out, status } = run([
      'status',
      '--db',
      db,
      '--format',
      'api',
      '--at',
      '2025-04-01T08:00:00Z',
    ]);
    expect(status).toBe(0);
    const shown = shownOutput('uet-tag status --db shop.db --format api');
    expect(shown.length).toBeGreaterThan(20);
    expectShown(
      shown.filter((line) => !line.includes('...')),
      out,
    );
  });

  it('R7 G7 reconcile of the sample against the saved responses prints what the README shows, exit code 2', () => {
    const { out, status } = run([
      'reconcile',
      '--api',
      'examples/uet/GetUetTagsByIds.json',
      '--api',
      'examples/uet/GetConversionGoalsByTagIds.json',
      '--replay',
      'examples/uet/hits.log.gz',
      '--goals',
      'examples/uet/account.json',
      '--at',
      '2025-04-02T09:00:00Z',
    ]);
    expect(status).toBe(2);
    const shown = shownOutput('uet-tag reconcile --api examples/uet/GetUetTagsByIds.json');
    expectShown(
      shown.filter((line) => !line.startsWith('$ echo') && line !== '2'),
      out,
    );
    expect(shown.length).toBeGreaterThan(10);
  });
});
