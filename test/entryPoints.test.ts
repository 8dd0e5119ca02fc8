import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packagesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../packages');
const runtimeImport = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

/** The packages a source file loads at run time, following relative imports; type-only ones left out. */
function packagesReachedFrom(file: string): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [file];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    for (const [, specifier] of readFileSync(next, 'utf8').matchAll(runtimeImport)) {
      if (specifier === undefined || specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) {
        pending.push(resolve(dirname(next), specifier.replace(/\.js$/, '.ts')));
      } else {
        packages.add(
          specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : (specifier.split('/')[0] ?? specifier),
        );
      }
    }
  }
  return [...packages].sort();
}

interface Manifest {
  readonly exports: Record<string, string | Record<string, string>>;
}

function manifestOf(packageName: string): Manifest {
  return JSON.parse(readFileSync(resolve(packagesDir, packageName, 'package.json'), 'utf8'));
}

const cases = [
  { packageName: 'uet-tag-status', exportName: '.', packages: ['xstate'] },
  { packageName: 'uet-tag-status', exportName: './oracle', packages: [] },
  { packageName: 'uet-tag-status', exportName: './engine', packages: ['xstate'] },
  {
    packageName: 'uet-tag',
    exportName: './sqlite',
    packages: ['better-sqlite3', 'uet-tag-status'],
  },
  {
    packageName: 'uet-tag',
    exportName: './simulation',
    packages: ['uet-tag-status', 'xstate', 'yaml', 'zod'],
  },
  {
    packageName: 'uet-tag',
    exportName: './replay',
    packages: ['uet-tag-status', 'zod'],
  },
  { packageName: 'uet-tag', exportName: './records', packages: ['uet-tag-status', 'zod'] },
  { packageName: 'uet-tag', exportName: './chart', packages: ['vega', 'vega-lite'] },
  { packageName: 'uet-tag', exportName: './advertising', packages: ['uet-tag-status', 'zod'] },
  { packageName: 'uet-tag', exportName: './capi', packages: ['uet-tag-status', 'zod'] },
  {
    packageName: 'uet-tag',
    exportName: './hits',
    packages: ['@streamparser/json', 'uet-tag-status'],
  },
];

describe('entry points', () => {
  for (const c of cases) {
    it(`${c.packageName}${c.exportName.slice(1)} loads only ${c.packages.join(', ') || 'itself'}`, () => {
      const entry = manifestOf(c.packageName).exports[c.exportName] as Record<string, string>;
      const source = resolve(packagesDir, c.packageName, entry['uet-tag-source'] ?? '');
      expect(packagesReachedFrom(source)).toEqual(c.packages);
    });
  }

  it('each entry point is built to dist, with its types beside it, under the default condition', () => {
    for (const c of cases) {
      const entry = manifestOf(c.packageName).exports[c.exportName] as Record<string, string>;
      const source = entry['uet-tag-source'] ?? '';
      expect(source).toMatch(/^\.\/src\/.+\.ts$/);
      const built = source.replace(/^\.\/src\//, './dist/').replace(/\.ts$/, '.js');
      expect(entry).toEqual({
        'uet-tag-source': source,
        types: built.replace(/\.js$/, '.d.ts'),
        default: built,
      });
    }
  });
});
