import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { CLI_SOURCE } from './sourceProcess.js';

/** The repository's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Bundles the command line tool from its sources (esbuild, no type check) into one
 * JavaScript file under `packages/uet-tag/.tmp/`, with the workspace packages inlined and
 * the other packages left to `node_modules`, so a child process starts in a fraction of a
 * second instead of loading tsx. Returns the bundle's path: `node <it> monitor ...` runs
 * the code `uet-tag monitor` runs. The bundle sits two folders below the package's
 * `package.json`, as its `src/cli/` and `dist/cli/` files do, where it reads its version.
 */
export function buildCliBundle(): string {
  const scratch = path.join(repoRoot, 'packages/uet-tag/.tmp');
  fs.mkdirSync(scratch, { recursive: true });
  const outDir = fs.mkdtempSync(path.join(scratch, 'cli-'));
  const entry = path.join(outDir, 'uet-tag.mjs');
  buildSync({
    entryPoints: [path.join(repoRoot, CLI_SOURCE)],
    outfile: entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['uet-tag-source'],
    external: externalPackages(),
    logLevel: 'silent',
  });
  return entry;
}

/** The CLI's dependencies from the registry (every one but the workspace's library), left out of the bundle. */
function externalPackages(): string[] {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'packages/uet-tag/package.json'), 'utf8'),
  ) as { dependencies: Record<string, string> };
  return Object.keys(manifest.dependencies).filter((name) => name !== 'uet-tag-status');
}
