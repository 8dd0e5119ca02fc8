/**
 * A recorded file that cannot be replayed at all: unreadable, of an unknown format, or
 * without the header its format needs. (A single bad line is not an error: it is counted
 * as malformed and the rest of the file is used.)
 *
 * @example
 * ```ts
 * try {
 *   await replayFile('missing.log', options);
 * } catch (error) {
 *   if (error instanceof ReplayError) console.error(error.message);
 * }
 * ```
 */
export class ReplayError extends Error {
  /** The file. */
  readonly source: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'ReplayError';
    this.source = source;
  }
}
