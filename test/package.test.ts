import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The package as a user gets it: built, packed, installed from the tarball into an empty
 * folder, and imported by a plain .mjs file.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workDir = mkdtempSync(path.join(tmpdir(), 'uet-tag-status-package-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: readonly string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const userScript = `
import { createActor, SimulatedClock } from 'xstate';
import { createTagRuntime, tagMachine, UetTagTrackingStatus } from 'uet-tag-status';

const DAY = 86_400_000;
const clock = new SimulatedClock();
const tag = createTagRuntime({ tagId: 'packaged', clock });
const seen = [tag.status()];
tag.onStatusChange((change) => seen.push(change.to));
tag.recordActivity(clock.now());
clock.increment(DAY);
tag.recordActivity(clock.now());

const actor = createActor(tagMachine, { input: {}, clock }).start();
const values = [actor.getSnapshot().value];
actor.send({ type: 'tag.dataReceived', at: 0, now: 0 });
values.push(actor.getSnapshot().value);
actor.send({ type: 'tag.silenceElapsed', at: DAY });
values.push(actor.getSnapshot().value);
actor.send({ type: 'tag.dataReceived', at: DAY + 1, now: DAY + 1 });
values.push(actor.getSnapshot().value);

console.log(JSON.stringify({ runtime: seen, machine: values, statuses: Object.keys(UetTagTrackingStatus) }));
`;

describe('the packed package', () => {
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('builds, packs, installs into an empty folder, and a plain .mjs sees Unverified → Active → Inactive → Active', () => {
    run(npm, ['run', 'build'], repoRoot);
    run(npm, ['pack', '--ignore-scripts', '--pack-destination', workDir], repoRoot);
    const tarballs = readdirSync(workDir).filter((name) => name.endsWith('.tgz'));
    expect(tarballs).toEqual(['uet-tag-status-0.1.0.tgz']);

    // Its own package.json, so npm installs here and not into an enclosing project. Install
    // scripts are skipped: they would compile better-sqlite3 (minutes), which only the
    // monitor needs, and it loads its native module when a database is opened, not on import.
    const app = path.join(workDir, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    run(
      npm,
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        path.join(workDir, tarballs[0] ?? ''),
      ],
      app,
    );
    writeFileSync(path.join(app, 'user.mjs'), userScript);
    const output = JSON.parse(run(process.execPath, ['user.mjs'], app));
    expect(output).toEqual({
      runtime: ['Unverified', 'Active', 'Inactive', 'Active'],
      machine: ['Unverified', 'Active', 'Inactive', 'Active'],
      statuses: ['Unverified', 'Active', 'Inactive'],
    });
  }, 240_000);
});
