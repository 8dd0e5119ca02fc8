import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { InputError } from './InputError.js';
import { READ_CHUNK_BYTES } from './readChunkBytes.js';

/** An input opened for reading: its bytes, decompressed when it was gzip-compressed. */
export interface OpenedInput {
  /** What it is, for messages: the path, or `stdin`. */
  readonly description: string;
  /** Its bytes, in order; gzip input is decompressed on the fly. */
  readonly chunks: AsyncIterable<Buffer>;
  /** Its size on disk for a regular file (compressed bytes for gzip), else `undefined`. */
  readonly size: number | undefined;
  /** How many bytes were read from disk or the pipe so far (compressed bytes for gzip). */
  bytesRead(): number;
  /** Stops reading and releases the file; the chunks end (quietly, also mid-read). */
  close(): void;
}

/** Options of {@link openInput}. */
export interface OpenInputOptions {
  /** What `-` reads. @default process.stdin */
  readonly stdin?: Readable;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Opens a file for reading as a stream, whatever it is: a regular file, a FIFO, `/dev/stdin`
 * or a process substitution, or `-` for the standard input. It is read once, from its
 * start, and never reopened, so pipes work (format detection reads from the same stream).
 * gzip-compressed input (`access.log.1.gz`, or any input starting with the gzip magic
 * bytes) is decompressed transparently.
 *
 * @example
 * ```ts
 * const input = await openInput('access.log.1.gz');
 * for await (const chunk of input.chunks) splitter.push(chunk);
 * ```
 * @throws {@link InputError} for a missing or unreadable file or a directory.
 */
export async function openInput(
  path: string,
  options: OpenInputOptions = {},
): Promise<OpenedInput> {
  if (path === '-') return fromStream('stdin', options.stdin ?? process.stdin, undefined);
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    throw InputError.fromSystem(path, error);
  }
  if (info.isDirectory()) throw new InputError(path, 'directory', 'is a directory, not a file');
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
  return fromStream(path, stream, info.isFile() ? info.size : undefined);
}

function fromStream(description: string, stream: Readable, size: number | undefined): OpenedInput {
  let read = 0;
  let closed = false;
  const counted = async function* () {
    try {
      for await (const chunk of stream) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        read += bytes.length;
        yield bytes;
      }
    } catch (error) {
      if (closed) return;
      throw InputError.fromSystem(description, error);
    }
  };
  return {
    description,
    chunks: decompressed(description, counted()),
    size,
    bytesRead: () => read,
    close() {
      if (closed) return;
      closed = true;
      stream.destroy();
    },
  };
}

/** The bytes of `source`, gunzipped when they start with the gzip magic bytes. */
async function* decompressed(
  description: string,
  source: AsyncIterable<Buffer>,
): AsyncIterable<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const rest = { [Symbol.asyncIterator]: () => iterator };
  if (head.length < 2 || head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) {
    yield head;
    yield* rest;
    return;
  }
  // Loaded only for gzip data, so that reading plain input does not load zlib.
  const [{ PassThrough }, { pipeline }, { createGunzip }] = await Promise.all([
    import('node:stream'),
    import('node:stream/promises'),
    import('node:zlib'),
  ]);
  const output = new PassThrough();
  const gunzip = createGunzip();
  const done = pipeline(
    (async function* () {
      yield head;
      yield* rest;
    })(),
    gunzip,
    output,
  );
  done.catch(() => {});
  try {
    for await (const chunk of output) yield chunk as Buffer;
    await done;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(description, 'corruptGzip', `is not valid gzip data (${reason})`);
  }
}
