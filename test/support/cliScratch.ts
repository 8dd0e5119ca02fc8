import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { buildCliBundle } from './monitorSupport.js';

/** What a shell run of the CLI gave. */
export interface ShellResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The pipeline's exit code (`set -o pipefail`). */
  readonly status: number | null;
}

/** A scratch folder and the CLI bundle for one test file, removed after it. */
export interface CliScratch {
  /** The scratch folder, where commands run. */
  readonly dir: string;
  /** The path of the CLI bundle, once built (in `beforeAll`). */
  cli(): string;
  /** Runs a bash script in the scratch folder, the bundle's path in `$CLI`. */
  bash(script: string): ShellResult;
}

/**
 * Makes a scratch folder and builds the CLI bundle for the calling test file (hooks
 * `beforeAll` and `afterAll`), for tests that run the CLI as real processes in pipes.
 */
export function useCliScratch(prefix: string): CliScratch {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let cli = '';
  beforeAll(() => {
    cli = buildCliBundle();
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (cli !== '') fs.rmSync(path.dirname(cli), { recursive: true, force: true });
  });
  return {
    dir,
    cli: () => cli,
    bash(script) {
      const result = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, CLI: cli },
        timeout: 60_000,
        maxBuffer: 64 << 20,
      });
      return { stdout: result.stdout, stderr: result.stderr, status: result.status };
    },
  };
}
