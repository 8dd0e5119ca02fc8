import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The packages as users get them: packed (which builds them), installed from the tarballs
 * into empty folders, and used there: the library by a plain .mjs file, the command line
 * tool through npx.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workDir = mkdtempSync(path.join(tmpdir(), 'uet-tag-packages-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const version = (
  JSON.parse(readFileSync(path.join(repoRoot, 'packages/uet-tag/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const libraryTarball = path.join(workDir, `uet-tag-status-${version}.tgz`);
const cliTarball = path.join(workDir, `uet-tag-${version}.tgz`);

function run(command: string, args: readonly string[], cwd: string, input?: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** An empty project folder: its own package.json, so npm installs there. */
function emptyProject(name: string): string {
  const folder = path.join(workDir, name);
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'package.json'), `{ "name": "${name}", "private": true }\n`);
  return folder;
}

function install(folder: string, args: readonly string[]): void {
  run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...args], folder);
}

/** The packages npm installed into a project, by name. */
function installedPackages(folder: string): string[] {
  const lock = JSON.parse(
    readFileSync(path.join(folder, 'node_modules/.package-lock.json'), 'utf8'),
  );
  return Object.keys(lock.packages as Record<string, unknown>)
    .map((key) => key.replace(/^.*node_modules\//, ''))
    .sort();
}

const userScript = `
import { createActor, SimulatedClock } from 'xstate';
import { createTagRuntime, tagMachine, UetTagTrackingStatus } from 'uet-tag-status';
import { tagStatusAt } from 'uet-tag-status/oracle';

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

console.log(JSON.stringify({
  runtime: seen,
  machine: values,
  statuses: Object.keys(UetTagTrackingStatus),
  oracle: tagStatusAt([0], DAY),
}));
`;

beforeAll(() => {
  run(
    npm,
    ['pack', '-w', 'uet-tag-status', '-w', 'uet-tag', '--pack-destination', workDir],
    repoRoot,
  );
}, 240_000);
afterAll(() => rmSync(workDir, { recursive: true, force: true }), 120_000);

describe('the packed packages', () => {
  it('pack to one tarball each', () => {
    expect(readdirSync(workDir).filter((name) => name.endsWith('.tgz'))).toEqual([
      path.basename(cliTarball),
      path.basename(libraryTarball),
    ]);
  });

  it('the library installs into an empty folder with xstate and nothing else, and a plain .mjs sees Unverified → Active → Inactive → Active', () => {
    const app = emptyProject('library-user');
    install(app, [libraryTarball]);
    expect(installedPackages(app)).toEqual(['uet-tag-status', 'xstate']);
    writeFileSync(path.join(app, 'user.mjs'), userScript);
    expect(JSON.parse(run(process.execPath, ['user.mjs'], app))).toEqual({
      runtime: ['Unverified', 'Active', 'Inactive', 'Active'],
      machine: ['Unverified', 'Active', 'Inactive', 'Active'],
      statuses: ['Unverified', 'Active', 'Inactive'],
      oracle: 'Inactive',
    });
  }, 240_000);

  it('the command line tool runs --version, simulate, replay and monitor from its tarball through npx', () => {
    const app = emptyProject('cli-user');
    // Install scripts are skipped, and the native SQLite module built for this repository
    // (same better-sqlite3 version, same Node) is copied in: compiling it again here would
    // take minutes and prove nothing about this project.
    install(app, ['--ignore-scripts', libraryTarball, cliTarball]);
    const nativeModule = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    mkdirSync(path.dirname(path.join(app, nativeModule)), { recursive: true });
    copyFileSync(path.join(repoRoot, nativeModule), path.join(app, nativeModule));
    const npx = (args: readonly string[], input?: string) =>
      run(npm, ['exec', '--offline', '--', 'uet-tag', ...args], app, input);

    expect(npx(['--version']).trim()).toBe(version);

    const simulated = JSON.parse(
      npx(['simulate', 'node_modules/uet-tag/examples/newTag.json', '--json']),
    );
    expect(simulated.name).toBe('A new tag verifying');
    expect(simulated.timelines.length).toBeGreaterThan(0);

    writeFileSync(
      path.join(app, 'access.log'),
      [
        '10.0.0.1 - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 200 1839',
        '10.0.0.2 - - [01/Aug/1995:00:10:01 -0400] "GET /about HTTP/1.0" 200 1839',
        '',
      ].join('\n'),
    );
    const replayed = JSON.parse(npx(['replay', 'access.log', '--tag-id', 'site', '--json']));
    expect(replayed.statistics.records).toBe(2);

    const at = Date.now();
    const inputs = [
      JSON.stringify({ kind: 'registerTag', tagId: 'shop' }),
      JSON.stringify({ kind: 'activity', tagId: 'shop', at }),
      '',
    ].join('\n');
    const changes = npx(['monitor', '--db', 'tags.db'], inputs)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(changes).toMatchObject([
      { kind: 'tag', tagId: 'shop', from: 'Unverified', to: 'Active', effectiveAt: at },
    ]);
  }, 240_000);
});
