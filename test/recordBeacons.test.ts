import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectConsistentRecording } from './support/beaconChecks.js';
import { readBeaconRecording } from './support/beaconRecording.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = path.join(REPO, 'scripts/fixtures/recordBeacons.ts');
const CHROMIUM = '/usr/bin/chromium';
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Runs `node --import tsx <script> <args>`: its exit code and output. */
function run(args: readonly string[], timeoutMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (text) => {
      stdout += text;
    });
    child.stderr.on('data', (text) => {
      stderr += text;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('scripts/fixtures/recordBeacons.ts', () => {
  it('records the beacon fixtures end to end with a real headless Chromium, on loopback, in under 30 s', async () => {
    // Not a skip: CI installs Debian's chromium, and a missing browser must show.
    expect(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install Debian's package with apt-get install -y chromium (the browser is never downloaded)`,
    ).toBe(true);
    const out = await mkdtemp(path.join(tmpdir(), 'beacons-'));
    dirs.push(out);
    const started = Date.now();
    const { code, stdout, stderr } = await run(['--out', out], 30_000);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(stdout).toMatch(/^recorded 18 beacons in \d+ ms into /);
    expect((await readdir(out)).sort()).toEqual([
      'access.log',
      'beacons.ndjson',
      'visitor-1.har',
      'visitor-2.har',
      'visitor-3.har',
    ]);
    const recording = await readBeaconRecording(out);
    expectConsistentRecording(recording);
    for (const { url } of recording.ndjson) expect(new URL(url).hostname).toBe('127.0.0.1');
  }, 45_000);
});
