/** Where a command writes, and how it reports failure; replaced in tests. */
export interface CliIo {
  /** Results: the timeline table or JSON. */
  readonly stdout: { write(text: string): unknown };
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
