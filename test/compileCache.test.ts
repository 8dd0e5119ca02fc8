import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheFolder } from '../packages/uet-tag/src/cli/compileCache.js';

// The cache itself (written once, read back, refused and remade) is tested on the shipped
// bundle, in shippedBundle.test.ts: it is the bundle that runs from it.
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
});
