/**
 * A HAR file that cannot be read on (SPEC D4): not JSON, cut short, or without the
 * `{"log":{"entries":[...]}}` structure. Names the JSON path where reading stopped and,
 * when known, the entry. The entries read before it have already been given; a single
 * bad entry is not this error (it is reported as an invalid record and reading goes on).
 *
 * @example
 * ```ts
 * try {
 *   for await (const record of readHarFile('session.har')) use(record);
 * } catch (error) {
 *   if (error instanceof HarError) console.error(error.path, error.entryIndex);
 * }
 * ```
 */
export class HarError extends Error {
  /** The file (or other source). */
  readonly source: string;
  /** Where reading stopped: `document`, `log`, `log.entries`, `log.entries[41509]`. */
  readonly path: string;
  /** The entry reading stopped in, when known. */
  readonly entryIndex: number | undefined;
  /** What was wrong there. */
  readonly problem: string;

  constructor(source: string, path: string, problem: string, entryIndex?: number) {
    super(`${source}: ${path}: ${problem}`);
    this.name = 'HarError';
    this.source = source;
    this.path = path;
    this.entryIndex = entryIndex;
    this.problem = problem;
  }
}
