import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
const runtimeImport = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

/** The packages an entry point loads at run time: static imports, type-only ones left out. */
function packagesReachedFrom(entry: string): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [resolve(srcDir, entry)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(runtimeImport)) {
      if (specifier === undefined || specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) {
        pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
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

const cases = [
  { entry: 'index.ts', exportName: '.', packages: ['xstate'] },
  {
    entry: 'monitor/sqlite/index.ts',
    exportName: './sqlite',
    packages: ['better-sqlite3'],
  },
  { entry: 'simulation/index.ts', exportName: './simulation', packages: ['xstate', 'yaml', 'zod'] },
  { entry: 'chart/index.ts', exportName: './chart', packages: ['vega', 'vega-lite'] },
];

describe('entry points', () => {
  for (const c of cases) {
    it(`${c.exportName} loads only ${c.packages.join(', ')}`, () => {
      expect(packagesReachedFrom(c.entry)).toEqual(c.packages);
    });
  }

  it('package.json exports each entry point from its build output', () => {
    const manifest = JSON.parse(readFileSync(resolve(srcDir, '../package.json'), 'utf8')) as {
      exports: Record<string, { import: string; types: string }>;
    };
    for (const c of cases) {
      const built = `./dist/${c.entry.replace(/\.ts$/, '.js')}`;
      expect(manifest.exports[c.exportName]).toEqual({
        types: built.replace(/\.js$/, '.d.ts'),
        import: built,
      });
    }
  });
});
