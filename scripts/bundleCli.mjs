/**
 * Bundles the `uet-tag` command into packages/uet-tag/dist/bin/ (its `bin`), so that it
 * starts in about the time of Node itself: `uet-tag.cjs` holds only what every command
 * needs (commander and the command definitions), as CommonJS, which Node loads without
 * starting its ES module loader. Each command's work is a separate bundle that the command
 * loads when it runs:
 * - the monitor's (`runMonitor.cjs`): one CommonJS file, its lazy parts inlined, run from
 *   V8's code cache (src/cli/compileCache.ts); the one command whose start-up is held to
 *   Node's own;
 * - every other command's (`runReplay.js`, `runSimulate.js`, `runServe.js`, …): ES modules
 *   sharing chunks of the core library and xstate, with what only some runs need (the
 *   schemas, the SQLite store, the chart) in chunks loaded on first use.
 * The large, native or rarely needed packages (zod, yaml, vega, better-sqlite3, …) stay
 * outside and are loaded from node_modules when a command needs them. The split build is
 * apart because esbuild splits by module file and the core library's index would put all
 * of it in the first.
 * commander's `require('node:child_process')` is given a stand-in that loads the module on
 * its first `spawn`: commander spawns only for executable subcommands, which uet-tag has
 * none of, and loading child_process (with net and dgram) is a sizeable part of a start.
 * Run by `npm run build -w uet-tag`, after tsc; `node scripts/bundleCli.mjs <folder>`
 * bundles into another folder (two levels below the package's package.json, which the
 * command reads its version from), as the test of the bundle does.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../packages/uet-tag',
);
const cli = path.join(packageDir, 'src/cli');
const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
/** Bundled in: the core library (from its sources), xstate, which it is built on, and commander. */
const bundled = new Set(['uet-tag-status', 'xstate', 'commander']);
const external = Object.keys(manifest.dependencies)
  .filter((name) => !bundled.has(name))
  .flatMap((name) => [name, `${name}/*`]);
/** The monitor's work, run from the code cache (see above). */
const CACHED_WORK = 'runMonitor';
/** The modules of each other command's work, imported by the command definitions when run. */
const commandWork = [
  'runClusterMonitor',
  'runReplay',
  'runSimulate',
  'runStatus',
  'runServe',
  'runReconcile',
  'runIngest',
  'runWorker',
  'runWorkers',
];
const outdir = path.resolve(process.argv[2] ?? path.join(packageDir, 'dist/bin'));
// Chunks are named by hash: those of an earlier build would stay behind, unused.
rmSync(outdir, { recursive: true, force: true });
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['uet-tag-source', 'module'],
  minifyWhitespace: true,
  minifySyntax: true,
  external,
  outdir,
  // commander is CommonJS: its require() of Node's modules needs a require in ESM.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
};

/** commander's child_process, loaded when it first spawns (see above). */
const childProcessOnFirstSpawn = {
  name: 'child-process-on-first-spawn',
  setup(builder) {
    builder.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}commander${path.sep}`)
        ? { path: 'child-process-on-first-spawn', namespace: 'child-process-on-first-spawn' }
        : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'child-process-on-first-spawn' }, () => ({
      contents: "exports.spawn = (...args) => require('node:child_process').spawn(...args);",
      loader: 'js',
    }));
  },
};

// The monitor's work, in one CommonJS file that the command runs from V8's code cache.
await build({
  ...common,
  format: 'cjs',
  banner: {},
  // Code run from the cache has no module loader: its lazy parts become require()s.
  supported: { 'dynamic-import': false },
  entryPoints: { [CACHED_WORK]: path.join(cli, `${CACHED_WORK}.ts`) },
  outExtension: { '.js': '.cjs' },
  // CommonJS has no import.meta: esbuild would make it {} and only warn.
  logOverride: { 'empty-import-meta': 'error' },
});
if (readFileSync(path.join(outdir, `${CACHED_WORK}.cjs`), 'utf8').includes('import(')) {
  throw new Error(`${CACHED_WORK}: a bundle run from the code cache cannot import()`);
}

await build({
  ...common,
  format: 'cjs',
  // The version is read from package.json beside import.meta.url, which CommonJS lacks; the
  // banner comes first, so it says "use strict" for the file.
  banner: {
    js: `"use strict";var importMetaUrl = require('node:url').pathToFileURL(__filename).href;`,
  },
  define: { 'import.meta.url': 'importMetaUrl' },
  logOverride: { 'empty-import-meta': 'error' },
  entryPoints: { 'uet-tag': path.join(cli, 'bin.ts') },
  outExtension: { '.js': '.cjs' },
  plugins: [
    childProcessOnFirstSpawn,
    {
      name: 'command-work-apart',
      setup(builder) {
        builder.onResolve({ filter: new RegExp(`^\\./${CACHED_WORK}\\.js$`) }, () => ({
          path: CACHED_WORK,
          namespace: 'compile-cached-work',
        }));
        builder.onLoad({ filter: /.*/, namespace: 'compile-cached-work' }, () => ({
          contents: [
            `const cache = require(${JSON.stringify(path.join(cli, 'compileCache.ts'))});`,
            `const file = require('node:path').join(__dirname, ${JSON.stringify(`${CACHED_WORK}.cjs`)});`,
            'module.exports = cache.requireWithCompileCache(file, cache.compileCacheFolder(process.env)).exports;',
          ].join('\n'),
          loader: 'js',
          resolveDir: cli,
        }));
        const work = new RegExp(`^\\./(${commandWork.join('|')})\\.js$`);
        builder.onResolve({ filter: work }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
await build({
  ...common,
  plugins: [childProcessOnFirstSpawn],
  entryPoints: Object.fromEntries(commandWork.map((name) => [name, path.join(cli, `${name}.ts`)])),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});
