/**
 * Why an input could not be read.
 *
 * - `notFound`: no such file.
 * - `directory`: a directory was given where a file is read.
 * - `unreadable`: the file exists but cannot be read (permissions, I/O error).
 * - `corruptGzip`: it starts like gzip data but is not valid gzip.
 * - `binary`: it holds NUL bytes, which no text format has (`/dev/zero`, an image).
 */
export type InputErrorCode = 'notFound' | 'directory' | 'unreadable' | 'corruptGzip' | 'binary';

/**
 * An input file or stream that cannot be read: it names the input and says why.
 *
 * @example
 * ```ts
 * try {
 *   await openInput('missing.log');
 * } catch (error) {
 *   if (error instanceof InputError) console.error(error.message); // 'missing.log: no such file'
 * }
 * ```
 */
export class InputError extends Error {
  /** The input: its path, or `stdin`. */
  readonly source: string;
  /** What went wrong. */
  readonly code: InputErrorCode;

  constructor(source: string, code: InputErrorCode, reason: string) {
    super(`${source}: ${reason}`);
    this.name = 'InputError';
    this.source = source;
    this.code = code;
  }

  /** The error for a failed system call on `source` (`ENOENT`, `EISDIR`, `EACCES`, ...). */
  static fromSystem(source: string, error: unknown): InputError {
    if (error instanceof InputError) return error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') return new InputError(source, 'notFound', 'no such file');
    if (code === 'EISDIR') return new InputError(source, 'directory', 'is a directory, not a file');
    return new InputError(source, 'unreadable', `cannot be read (${code ?? String(error)})`);
  }
}
