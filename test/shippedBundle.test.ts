import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/monitorSupport.js';

/*
 * The `uet-tag` bin as shipped: the split bundle `npm run build` makes with
 * scripts/bundleCli.mjs (a first file with the command definitions, each command's work
 * apart, shared chunks). Built here into a scratch folder, then run as real processes,
 * with a preload that writes down, at exit, which of Node's modules and which packages
 * the process loaded: a command must not load what only other commands need.
 */

const scratch = path.join(repoRoot, 'packages/uet-tag/.tmp');
let folder = '';
let preload = '';

beforeAll(() => {
  fs.mkdirSync(scratch, { recursive: true });
  folder = fs.mkdtempSync(path.join(scratch, 'bundle-'));
  // Two folders below the package's package.json, where the command reads its version.
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/bundleCli.mjs'), folder]);
  // The resolve hook sees every import (ESM packages are not in require.cache).
  const hooks = path.join(folder, 'loadedHooks.mjs');
  fs.writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
    export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      appendFileSync(process.env.LOADED_TO + '.urls', resolved.url + '\\n');
      return resolved;
    }`,
  );
  preload = path.join(folder, 'loaded.cjs');
  fs.writeFileSync(
    preload,
    `require('node:module').register(${JSON.stringify(pathToFileURL(hooks).href)});
    process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADED_TO, JSON.stringify({
      builtins: process.moduleLoadList.filter((name) => name.startsWith('NativeModule ')).map((name) => name.slice(13)),
      required: Object.keys(require.cache),
    })));`,
  );
}, 60_000);

afterAll(() => {
  if (folder !== '') fs.rmSync(folder, { recursive: true, force: true });
});

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
  /** Node's own modules the process loaded (`fs`, `net`, `internal/…`). */
  readonly builtins: readonly string[];
  /** The files it imported or required from node_modules. */
  readonly packages: readonly string[];
  /** The ES modules it imported (files). */
  readonly imported: readonly string[];
}

function runBin(args: readonly string[], input = '', compileCache = 'off'): Run {
  const loadedTo = path.join(folder, `loaded-${process.hrtime.bigint()}.json`);
  const result = spawnSync(
    process.execPath,
    ['-r', preload, path.join(folder, 'uet-tag.cjs'), ...args],
    {
      input,
      encoding: 'utf8',
      env: { ...process.env, LOADED_TO: loadedTo, UET_TAG_COMPILE_CACHE: compileCache },
      timeout: 30_000,
    },
  );
  const { builtins, required } = JSON.parse(fs.readFileSync(loadedTo, 'utf8'));
  // No file when nothing was imported: a command that only requires CommonJS.
  const urls = `${loadedTo}.urls`;
  const imported = (fs.existsSync(urls) ? fs.readFileSync(urls, 'utf8') : '')
    .split('\n')
    .filter((url) => url.startsWith('file:'))
    .map((url) => fileURLToPath(url));
  const packages = [...new Set([...required, ...imported])].filter((file) =>
    file.includes('/node_modules/'),
  );
  return {
    stdout: result.stdout,
    stderr: result.stderr,
    status: result.status,
    builtins,
    packages,
    imported,
  };
}

const MONITOR_ARGS = ['monitor', '--memory', '--clock', 'records'];
const MONITOR_INPUT = [
  { kind: 'registerTag', tagId: 'shop' },
  { kind: 'activity', tagId: 'shop', at: Date.UTC(2024, 4, 6) },
]
  .map((record) => `${JSON.stringify(record)}\n`)
  .join('');

describe('the shipped uet-tag bundle', () => {
  it('--help lists every command and loads neither child_process nor any package', () => {
    const run = runBin(['--help']);
    expect(run.status).toBe(0);
    for (const command of ['simulate', 'replay', 'monitor', 'serve', 'worker', 'workers']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(run.builtins).not.toContain('child_process');
    expect(run.packages).toEqual([]);
    // CommonJS throughout: Node's ES module loader is never set up.
    expect(run.imported).toEqual([]);
  });

  it('--version prints the package version', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'packages/uet-tag/package.json'), 'utf8'),
    );
    expect(runBin(['--version']).stdout).toBe(`${manifest.version}\n`);
  });

  it('monitor --memory works and loads no SQLite, PostgreSQL, schema or child_process module', () => {
    const run = runBin(MONITOR_ARGS, MONITOR_INPUT);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      expect.objectContaining({ kind: 'tag', tagId: 'shop', from: 'Unverified', to: 'Active' }),
    ]);
    expect(run.builtins).not.toContain('child_process');
    for (const name of ['better-sqlite3', 'pg', 'zod', 'yaml']) {
      expect(run.packages.filter((file) => file.includes(`/node_modules/${name}/`))).toEqual([]);
    }
    expect(run.imported).toEqual([]);
  });

  it('simulate still runs through the bundle (its work and the schema packages load on demand)', () => {
    const run = runBin(['simulate', path.join(repoRoot, 'examples/newTag.json')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('landing (tag): 0 status changes');
    // What the monitor's check above would have caught: the packages simulate does load.
    expect(run.packages.some((file) => file.includes('/node_modules/zod/'))).toBe(true);
  });
});

describe("the monitor's work from V8's code cache", () => {
  it('the first run writes the cache; the next runs from it, prints the same and leaves it', () => {
    const cacheFolder = path.join(folder, 'compile-cache');
    const uncached = runBin(MONITOR_ARGS, MONITOR_INPUT, 'off');
    expect(uncached.status).toBe(0);
    expect(fs.existsSync(cacheFolder)).toBe(false);
    const first = runBin(MONITOR_ARGS, MONITOR_INPUT, cacheFolder);
    expect(first.stdout).toBe(uncached.stdout);
    const [name, ...others] = fs.readdirSync(cacheFolder);
    expect(others).toEqual([]);
    expect(name).toMatch(/^runMonitor\.cjs-[0-9a-f]+\.v8$/);
    const cacheFile = path.join(cacheFolder, name as string);
    const written = fs.readFileSync(cacheFile);
    expect(written.length).toBeGreaterThan(10_000);
    const second = runBin(MONITOR_ARGS, MONITOR_INPUT, cacheFolder);
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe(uncached.stdout);
    expect(fs.readFileSync(cacheFile).equals(written)).toBe(true);
  });
});
