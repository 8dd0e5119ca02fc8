import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** A child process whose stdout is read as JSON lines. */
export interface JsonLinesChild {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every complete stdout line so far, parsed. */
  readonly lines: unknown[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves once a line satisfies `test` (checking the lines so far too). */
  waitForLine(test: (line: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  exited(): Promise<number | string>;
}

/** Spawns `node <args>` in `cwd`, reading stdout as JSON lines. */
export function spawnJsonLines(args: readonly string[], cwd: string): JsonLinesChild {
  const child = spawn(process.execPath, [...args], { cwd, stdio: 'pipe' });
  const lines: unknown[] = [];
  const waiters: { test: (line: unknown) => boolean; resolve: (line: unknown) => void }[] = [];
  let partial = '';
  let errors = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const part of parts) {
      const line: unknown = JSON.parse(part);
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (!waiter.test(line)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    errors += text;
  });
  const exit = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    lines,
    stderr: () => errors,
    waitForLine(test, timeoutMs = 20_000) {
      const found = lines.find(test);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no such line within ${timeoutMs} ms; stderr: ${errors}`)),
          timeoutMs,
        );
        waiters.push({
          test,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        exit.then(() => {
          clearTimeout(timer);
          reject(new Error(`the process ended first; stderr: ${errors}`));
        });
      });
    },
    exited: () => exit,
  };
}
