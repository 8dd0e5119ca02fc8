import type { CliIo } from '../../packages/uet-tag/src/cli/cliIo.js';
import { createProgram } from '../../packages/uet-tag/src/cli/main.js';

/** What a command run in process wrote, and the exit code it set. */
export interface InProcessRun {
  readonly out: string;
  readonly err: string;
  readonly code: number | undefined;
}

/** Runs `uet-tag <args>` in this process, capturing stdout, stderr and the exit code. */
export async function runInProcess(args: readonly string[]): Promise<InProcessRun> {
  let out = '';
  let err = '';
  let code: number | undefined;
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: false },
    setExitCode: (value) => {
      code = value;
    },
  };
  await createProgram(io).parseAsync([...args], { from: 'user' });
  return { out, err, code };
}
