import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { RuntimeClock } from '../../packages/uet-tag-status/src/runtime/clock.js';
import { CLI_SOURCE } from './sourceProcess.js';

/**
 * A test clock whose wall time can step back, like a real one after an NTP correction,
 * while its timers run on elapsed (monotonic) time, as Node's do.
 */
export class SteppingClock implements RuntimeClock {
  private elapsed = 0;
  private offset: number;
  private nextId = 1;
  private readonly timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start: number) {
    this.offset = start;
  }

  now(): number {
    return this.offset + this.elapsed;
  }

  setTimeout(fn: () => void, timeout: number): unknown {
    const id = this.nextId;
    this.nextId += 1;
    this.timers.set(id, { due: this.elapsed + timeout, fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  /** Moves the wall time by `delta` ms (negative: back) without any time elapsing. */
  stepWall(delta: number): void {
    this.offset += delta;
  }

  /** Lets `ms` elapse, firing due timers in order. */
  advance(ms: number): void {
    const target = this.elapsed + ms;
    for (;;) {
      let first: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].due <= target && (first === undefined || entry[1].due < first[1].due)) {
          first = entry;
        }
      }
      if (first === undefined) break;
      this.timers.delete(first[0]);
      this.elapsed = Math.max(this.elapsed, first[1].due);
      first[1].fn();
    }
    this.elapsed = target;
  }
}

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
export function buildMonitorChild(): string {
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
    external: [
      'better-sqlite3',
      'cli-progress',
      'commander',
      'vega',
      'vega-lite',
      'xstate',
      'yaml',
      'zod',
    ],
    logLevel: 'silent',
  });
  return entry;
}
