/** Where a command writes, and how it reports failure; replaced in tests. */
export interface CliIo {
  /**
   * Results: the timeline table or JSON; as text, or as UTF-8 bytes of whole characters
   * (a report of hundreds of megabytes is written as bytes).
   */
  readonly stdout: { write(chunk: string | Uint8Array): unknown };
  /** Errors, warnings and the progress bar. */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Records the process's exit code (the CLI never exits mid-flight). */
  setExitCode(code: number): void;
}

/**
 * The real process's streams; failures set `process.exitCode`.
 *
 * @example
 * ```ts
 * createProgram(processIo).parseAsync(process.argv);
 * ```
 */
export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/**
 * Makes a closed stdout (the reader exited, as `uet-tag monitor --ack | head -1` does) end
 * the output quietly instead of the process with an unhandled `EPIPE` stack trace: the
 * command finishes what it was doing (committing, closing its store) and writes nothing
 * more. Other write errors still surface.
 *
 * @example
 * ```ts
 * quietOnClosedStdout(process.stdout);
 * ```
 */
export function quietOnClosedStdout(stdout: NodeJS.WriteStream): void {
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
