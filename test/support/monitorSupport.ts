import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { RuntimeClock } from '../../src/runtime/clock.js';

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
 * Compiles `src/` to plain JavaScript (TypeScript's `transpileModule`, no type check) in
 * a folder under the repository's `.tmp/`, plus an entry that runs only the `monitor`
 * command (`registerMonitorCommand`, the code `uet-tag monitor` runs), so a child
 * process starts in a fraction of a second instead of loading tsx and every command's
 * dependencies. Returns the entry's path.
 */
export function buildMonitorChild(): string {
  fs.mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
  const outDir = fs.mkdtempSync(path.join(repoRoot, '.tmp', 'monitor-child-'));
  const sourceRoot = path.join(repoRoot, 'src');
  for (const entry of fs.readdirSync(sourceRoot, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const source = path.join(entry.parentPath, entry.name);
    const target = path
      .join(outDir, 'src', path.relative(sourceRoot, source))
      .replace(/\.ts$/, '.js');
    const { outputText } = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: source,
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  fs.writeFileSync(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
  const entry = path.join(outDir, 'monitorChild.js');
  fs.writeFileSync(
    entry,
    [
      "import { Command } from 'commander';",
      "import { processIo } from './src/cli/cliIo.js';",
      "import { registerMonitorCommand } from './src/cli/monitorCommand.js';",
      "const program = new Command('uet-tag');",
      'registerMonitorCommand(program, processIo);',
      'await program.parseAsync(process.argv);',
      '',
    ].join('\n'),
  );
  return entry;
}
