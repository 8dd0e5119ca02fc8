import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileCacheFolder } from '../packages/uet-tag/src/cli/compileCache.js';
import { repoRoot } from './support/monitorSupport.js';

/*
 * The code cache of a bundle, through real processes (a cache is written at a process's
 * exit): compileCache.ts built as the shipped bin builds it (CommonJS), and a driver that
 * loads a small bundle with it and prints what it exported and what became of the cache.
 * The shipped bundle's own cache is tested in shippedBundle.test.ts.
 */

let scratch = '';
let driver = '';

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-compile-cache-'));
  const library = path.join(scratch, 'compileCache.cjs');
  buildSync({
    entryPoints: [path.join(repoRoot, 'packages/uet-tag/src/cli/compileCache.ts')],
    outfile: library,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  driver = path.join(scratch, 'driver.cjs');
  fs.writeFileSync(
    driver,
    `const { requireWithCompileCache } = require(${JSON.stringify(library)});
    const [file, folder] = process.argv.slice(2);
    const loaded = requireWithCompileCache(file, folder === 'none' ? undefined : folder);
    process.stdout.write(JSON.stringify(loaded));`,
  );
});

afterAll(() => {
  if (scratch !== '') fs.rmSync(scratch, { recursive: true, force: true });
});

/** A bundle whose exports show its value, where its line 2 is, `this`, and its folder. */
function bundleOf(value: string): string {
  return [
    '"use strict";',
    'const where = new Error("here").stack.split("\\n")[1];',
    `module.exports = { value: ${JSON.stringify(value)}, where, self: this === module.exports, dirname: __dirname, path: typeof require("node:path").join };`,
  ].join('\n');
}

interface Loaded {
  readonly exports: {
    readonly value: string;
    readonly where: string;
    readonly self: boolean;
    readonly dirname: string;
    readonly path: string;
  };
  readonly cache: string;
}

function load(file: string, folder: string): Loaded {
  const result = spawnSync(process.execPath, [driver, file, folder], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Loaded;
}

/** A new bundle file and cache folder; the cache file is the folder's only file once made. */
function fresh(name: string, value = 'AAAA') {
  const folder = path.join(scratch, name);
  fs.mkdirSync(folder);
  const file = path.join(folder, 'bundle.cjs');
  fs.writeFileSync(file, bundleOf(value));
  const cache = path.join(folder, 'cache');
  const cacheFile = () => {
    const names = fs.existsSync(cache) ? fs.readdirSync(cache) : [];
    expect(names).toHaveLength(1);
    return path.join(cache, names[0] as string);
  };
  return { folder, file, cache, cacheFile };
}

describe('requireWithCompileCache', () => {
  it('runs the bundle as require does: its exports, this, __dirname, require, and stack lines', () => {
    const { folder, file } = fresh('as-require');
    const { exports, cache } = load(file, 'none');
    expect(cache).toBe('off');
    expect(exports).toEqual({
      value: 'AAAA',
      where: expect.stringContaining(`${file}:2:`),
      self: true,
      dirname: folder,
      path: 'function',
    });
  });

  it('makes the cache at the first run, then runs from it and leaves it be', () => {
    const { file, cache, cacheFile } = fresh('made-then-used');
    expect(load(file, cache).cache).toBe('made');
    const written = fs.readFileSync(cacheFile());
    expect(written.length).toBeGreaterThan(100);
    expect(fs.statSync(cacheFile()).mode & 0o777).toBe(0o600);
    const used = load(file, cache);
    expect(used.cache).toBe('used');
    expect(used.exports.value).toBe('AAAA');
    expect(used.exports.where).toContain(`${file}:2:`);
    expect(fs.readFileSync(cacheFile()).equals(written)).toBe(true);
  });

  it('refuses the cache of another source of the same length (which V8 itself would run)', () => {
    const { file, cache, cacheFile } = fresh('other-source');
    load(file, cache);
    const before = fs.readFileSync(cacheFile());
    fs.writeFileSync(file, bundleOf('BBBB'));
    const refused = load(file, cache);
    expect(refused).toMatchObject({ cache: 'refused', exports: { value: 'BBBB' } });
    expect(fs.readFileSync(cacheFile()).equals(before)).toBe(false);
    expect(load(file, cache)).toMatchObject({ cache: 'used', exports: { value: 'BBBB' } });
  });

  it('refuses damaged data (which would crash V8) and makes it anew', () => {
    const { file, cache, cacheFile } = fresh('damaged');
    load(file, cache);
    const damaged = fs.readFileSync(cacheFile());
    for (let index = 40; index < damaged.length; index += 7)
      damaged.writeUInt8(damaged.readUInt8(index) ^ 0xff, index);
    fs.writeFileSync(cacheFile(), damaged);
    expect(load(file, cache)).toMatchObject({ cache: 'refused', exports: { value: 'AAAA' } });
    expect(load(file, cache).cache).toBe('used');
  });

  it('refuses a cache that others may write, or a link, and puts its own file in its place', () => {
    const { folder, file, cache, cacheFile } = fresh('not-private');
    load(file, cache);
    fs.chmodSync(cacheFile(), 0o660);
    expect(load(file, cache).cache).toBe('refused');
    expect(fs.statSync(cacheFile()).mode & 0o777).toBe(0o600);
    const target = path.join(folder, 'elsewhere');
    fs.copyFileSync(cacheFile(), target);
    const kept = fs.readFileSync(target);
    const link = cacheFile();
    fs.rmSync(link);
    fs.symlinkSync(target, link);
    expect(load(file, cache).cache).toBe('refused');
    expect(fs.lstatSync(link).isFile()).toBe(true);
    expect(fs.readFileSync(target).equals(kept)).toBe(true);
    expect(load(file, cache).cache).toBe('used');
  });

  it('a folder that cannot be made costs the compilation only', () => {
    const { folder, file } = fresh('blocked');
    const blocker = path.join(folder, 'a-file');
    fs.writeFileSync(blocker, '');
    for (let run = 0; run < 2; run++) {
      expect(load(file, path.join(blocker, 'cache'))).toMatchObject({
        cache: 'made',
        exports: { value: 'AAAA' },
      });
    }
  });
});

describe('compileCacheFolder', () => {
  const home = os.homedir();
  const cases: readonly {
    readonly name: string;
    readonly environment: NodeJS.ProcessEnv;
    readonly folder: string | undefined;
  }[] = [
    { name: 'off turns it off', environment: { UET_TAG_COMPILE_CACHE: 'off' }, folder: undefined },
    {
      name: 'a chosen folder wins over XDG_CACHE_HOME',
      environment: { UET_TAG_COMPILE_CACHE: '/srv/cache', XDG_CACHE_HOME: '/x' },
      folder: '/srv/cache',
    },
    {
      name: 'XDG_CACHE_HOME, when absolute',
      environment: { XDG_CACHE_HOME: '/var/cache/me' },
      folder: '/var/cache/me/uet-tag',
    },
    {
      name: 'a relative XDG_CACHE_HOME is ignored, as the XDG specification says',
      environment: { XDG_CACHE_HOME: 'cache' },
      folder: path.join(home, '.cache', 'uet-tag'),
    },
    {
      name: 'an empty choice is no choice',
      environment: { UET_TAG_COMPILE_CACHE: '' },
      folder: path.join(home, '.cache', 'uet-tag'),
    },
    {
      name: 'by default ~/.cache/uet-tag',
      environment: {},
      folder: path.join(home, '.cache', 'uet-tag'),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(compileCacheFolder(c.environment)).toBe(c.folder);
    });
  }

  it('no folder for a user without a home (no HOME, no entry in the user database)', () => {
    const result = spawnSync(
      process.execPath,
      [
        '-e',
        `const os = require('node:os');
        os.homedir = () => { throw Object.assign(new Error('uv_os_homedir returned ENOENT'), { code: 'ERR_SYSTEM_ERROR' }); };
        const { compileCacheFolder } = require(${JSON.stringify(path.join(scratch, 'compileCache.cjs'))});
        process.stdout.write(String(compileCacheFolder({})));`,
      ],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('undefined');
  });
});
