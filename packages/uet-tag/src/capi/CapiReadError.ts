/**
 * A file of Conversions API requests that cannot be read at all (missing, unreadable,
 * or of an unknown kind). A body that is not JSON or not valid is not this error: it is
 * answered as the API would answer it, with its line number.
 *
 * @example
 * ```ts
 * try {
 *   for await (const record of readCapiRequestFile('missing.ndjson', { now })) use(record);
 * } catch (error) {
 *   if (error instanceof CapiReadError) console.error(error.message);
 * }
 * ```
 */
export class CapiReadError extends Error {
  /** The file. */
  readonly source: string;

  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'CapiReadError';
    this.source = source;
  }
}
