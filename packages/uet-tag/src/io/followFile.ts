import fs from 'node:fs';

/** Options of {@link followFile}. */
export interface FollowFileOptions {
  /** Where to start reading, in bytes. */
  readonly fromOffset: number;
  /** How long to wait at the end of the file before looking for more, ms. */
  readonly pollMs: number;
  /** Receives the bytes read, in order. */
  readonly onData: (chunk: Buffer) => void;
  /** Receives a failure to read; following stops then. */
  readonly onError: (error: Error) => void;
}

/** A running {@link followFile}. */
export interface FileFollower {
  /** Stops following; no more data is delivered. */
  stop(): void;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Follows a file like `tail -f`: reads it from an offset to its end, then keeps polling
 * for appended bytes until stopped. A file that shrinks below what was read is an error
 * (it was replaced or truncated, so the offset no longer means anything).
 *
 * @example
 * ```ts
 * const follower = followFile('hits.ndjson', { fromOffset: 0, pollMs: 200, onData, onError });
 * process.once('SIGTERM', () => follower.stop());
 * ```
 */
export function followFile(file: string, options: FollowFileOptions): FileFollower {
  let offset = options.fromOffset;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const buffer = Buffer.alloc(CHUNK_BYTES);

  function poll(): void {
    timer = undefined;
    if (stopped) return;
    try {
      const size = fs.statSync(file).size;
      if (size < offset) {
        throw new Error(`${file} shrank to ${size} bytes, below the ${offset} already read`);
      }
      const fd = fs.openSync(file, 'r');
      try {
        for (;;) {
          const read = fs.readSync(fd, buffer, 0, CHUNK_BYTES, offset);
          if (read === 0 || stopped) break;
          offset += read;
          options.onData(Buffer.from(buffer.subarray(0, read)));
        }
      } finally {
        fs.closeSync(fd);
      }
    } catch (error) {
      stopped = true;
      options.onError(error as Error);
      return;
    }
    if (!stopped) timer = setTimeout(poll, options.pollMs);
  }

  timer = setTimeout(poll, 0);
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
