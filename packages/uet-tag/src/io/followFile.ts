import { createHash } from 'node:crypto';
import { constants, openSync } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { READ_CHUNK_BYTES } from './readChunkBytes.js';

/**
 * Which file a position is in: its device and inode, as `stat` gives them, and a
 * fingerprint of its first bytes (a new file may get the inode number of a deleted one).
 */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  /** How many of the file's first bytes the fingerprint covers (at most 4 KiB). */
  readonly headBytes: number;
  /** SHA-256 of those bytes, the first 16 hex digits. */
  readonly headHash: string;
}

/** A position in a followed file: the file, the byte offset, the lines before it. */
export interface FollowPosition extends FileIdentity {
  readonly offset: number;
  readonly line: number;
}

/**
 * What following a file yields, in order:
 * - `open`: reading (re)starts in a file at `offset`, after `line` lines (a new line
 *   splitter starts there); `note` says why when it is not a plain start or resume;
 * - `data`: the next bytes of that file;
 * - `end`: that file is done (rotated away or truncated): a last line without a line
 *   break is complete now.
 */
export type FollowEvent =
  | {
      readonly kind: 'open';
      readonly file: string;
      /** The file's identity; `undefined` for a FIFO, which has no positions to resume. */
      readonly identity: FileIdentity | undefined;
      readonly offset: number;
      readonly line: number;
      readonly note?: string;
    }
  | {
      readonly kind: 'data';
      readonly chunk: Buffer;
      /** The file's identity so far (its fingerprint grows with its first 4 KiB). */
      readonly identity: FileIdentity | undefined;
    }
  | { readonly kind: 'end' };

/** Options of {@link followFile}. */
export interface FollowFileOptions {
  /** Where the last run stopped (its checkpoint), to resume after. */
  readonly from?: FollowPosition;
  /** How long to wait at the end of the file before looking again, ms. */
  readonly pollMs: number;
  /** Stops following. */
  readonly signal: AbortSignal;
}

const HEAD_BYTES = 4096;

/**
 * Follows a file by name, like `tail -F`: reads it to its end, then keeps looking for
 * appended bytes until stopped. When the name comes to mean another file (log rotation:
 * `mv in.ndjson in.ndjson.1`, then a new `in.ndjson`), the old file is read to its end
 * first, then the new one from its start; a file truncated in place is read again from
 * its start. Resuming from a position in a file that was rotated away while nobody
 * followed it, the rest of that file is read first when it is still in the same folder
 * under another name. So no line is skipped and none read twice, except where a note says
 * what could not be read. Reads are asynchronous, chunk by chunk, so signals are heard. A
 * FIFO is read as one stream that writers can come and go on.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * for await (const event of followFile('hits.ndjson', { pollMs: 200, signal: stop.signal })) {
 *   if (event.kind === 'data') splitter.push(event.chunk);
 * }
 * ```
 */
export async function* followFile(
  file: string,
  options: FollowFileOptions,
): AsyncGenerator<FollowEvent> {
  const { signal, pollMs } = options;
  if ((await statOrUndefined(file))?.isFIFO()) {
    yield* followFifo(file, signal);
    return;
  }
  let start = options.from;
  if (start !== undefined && !(await isFile(file, start))) {
    const rotated = await findRotated(file, start);
    if (rotated !== undefined) {
      yield* readToEnd(
        rotated,
        start,
        'the file was rotated while the monitor was down: reading its rest first',
        signal,
      );
      start = undefined;
    } else {
      const note = `the file read before (inode ${start.ino}) is gone; anything after its line ${start.line} was not read`;
      start = undefined;
      yield* followName(file, undefined, note, pollMs, signal);
      return;
    }
  }
  yield* followName(file, start, undefined, pollMs, signal);
}

/** Follows the file a name stands for, from `start` or its beginning, across rotations. */
async function* followName(
  file: string,
  start: FollowPosition | undefined,
  firstNote: string | undefined,
  pollMs: number,
  signal: AbortSignal,
): AsyncGenerator<FollowEvent> {
  let note = firstNote;
  let resumeAt = start;
  while (!signal.aborted) {
    const handle = await openOrWait(file, pollMs, signal);
    if (handle === undefined) return;
    try {
      const info = await handle.stat();
      const head = new FileHead(info, await readHead(handle));
      let offset = 0;
      let line = 0;
      if (resumeAt !== undefined && head.is(resumeAt)) {
        if (info.size >= resumeAt.offset) {
          offset = resumeAt.offset;
          line = resumeAt.line;
        } else {
          note = `the file is shorter than where the last run stopped (${info.size} < ${resumeAt.offset} bytes): it was truncated, so it is read from its start`;
        }
      }
      resumeAt = undefined;
      yield {
        kind: 'open',
        file,
        identity: head.identity,
        offset,
        line,
        ...(note === undefined ? {} : { note }),
      };
      note = undefined;
      for (;;) {
        const read = yield* readChunks(handle, offset, head, signal);
        offset += read;
        if (signal.aborted) return;
        const now = await statOrUndefined(file);
        if (now !== undefined && (now.dev !== info.dev || now.ino !== info.ino)) {
          offset += yield* readChunks(handle, offset, head, signal);
          yield { kind: 'end' };
          break;
        }
        const size = (await handle.stat()).size;
        if (size < offset) {
          yield { kind: 'end' };
          note = `the file was truncated to ${size} bytes while it was followed: read again from its start`;
          break;
        }
        if (read === 0) await pause(pollMs, signal);
      }
    } finally {
      await handle.close();
    }
  }
}

/** Reads a rotated file's rest from `start` to its end. */
async function* readToEnd(
  file: string,
  start: FollowPosition,
  note: string,
  signal: AbortSignal,
): AsyncGenerator<FollowEvent> {
  const handle = await open(file, 'r');
  try {
    const head = new FileHead(await handle.stat(), await readHead(handle));
    yield {
      kind: 'open',
      file,
      identity: head.identity,
      offset: start.offset,
      line: start.line,
      note,
    };
    yield* readChunks(handle, start.offset, head, signal);
    yield { kind: 'end' };
  } finally {
    await handle.close();
  }
}

/** Yields the bytes from `offset` to the current end; returns how many. */
async function* readChunks(
  handle: FileHandle,
  offset: number,
  head: FileHead,
  signal: AbortSignal,
): AsyncGenerator<FollowEvent, number> {
  let total = 0;
  while (!signal.aborted) {
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK_BYTES, offset + total);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    head.grow(chunk, offset + total);
    total += bytesRead;
    yield { kind: 'data', chunk, identity: head.identity };
  }
  return total;
}

/** A file's identity, its fingerprint growing as its first bytes are read. */
class FileHead {
  identity: FileIdentity;

  constructor(
    private readonly info: { readonly dev: number; readonly ino: number },
    private bytes: Buffer,
  ) {
    this.identity = identityOf(info, bytes);
  }

  /** Whether `other` is this file: same inode, and the same first bytes as far as it covers. */
  is(other: FileIdentity): boolean {
    return (
      this.info.dev === other.dev &&
      this.info.ino === other.ino &&
      this.bytes.length >= other.headBytes &&
      identityOf(this.info, this.bytes.subarray(0, other.headBytes)).headHash === other.headHash
    );
  }

  /** Takes in the bytes read at `offset`, as far as they are among the first 4 KiB. */
  grow(chunk: Buffer, offset: number): void {
    if (offset > this.bytes.length || this.bytes.length >= HEAD_BYTES) return;
    const wanted = Math.min(HEAD_BYTES, offset + chunk.length) - this.bytes.length;
    if (wanted <= 0) return;
    const start = this.bytes.length - offset;
    this.bytes = Buffer.concat([this.bytes, chunk.subarray(start, start + wanted)]);
    this.identity = identityOf(this.info, this.bytes);
  }
}

function identityOf(
  info: { readonly dev: number; readonly ino: number },
  head: Buffer,
): FileIdentity {
  const headHash = createHash('sha256').update(head).digest('hex').slice(0, 16);
  return { dev: info.dev, ino: info.ino, headBytes: head.length, headHash };
}

async function readHead(handle: FileHandle): Promise<Buffer> {
  const buffer = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
  return buffer.subarray(0, bytesRead);
}

/** Whether `file` is the file `identity` describes. */
async function isFile(file: string, identity: FileIdentity): Promise<boolean> {
  const info = await statOrUndefined(file);
  if (
    info === undefined ||
    !info.isFile() ||
    info.dev !== identity.dev ||
    info.ino !== identity.ino
  ) {
    return false;
  }
  const handle = await open(file, 'r');
  try {
    return new FileHead(info, await readHead(handle)).is(identity);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a FIFO as one endless stream. It is opened for reading and writing, without
 * blocking: `open` does not wait for a writer, and writers can come and go without the
 * stream ending (a FIFO opened for reading only would end when its last writer closes it,
 * and bytes a new writer sends before it is opened again would be lost). It is read as a
 * socket, so stopping never waits on a blocked read.
 */
async function* followFifo(file: string, signal: AbortSignal): AsyncGenerator<FollowEvent> {
  const fd = openSync(file, constants.O_RDWR | constants.O_NONBLOCK);
  const socket = new Socket({ fd, readable: true, writable: false });
  const stopReading = () => socket.destroy();
  signal.addEventListener('abort', stopReading, { once: true });
  yield { kind: 'open', file, identity: undefined, offset: 0, line: 0 };
  try {
    for await (const chunk of socket)
      yield { kind: 'data', chunk: chunk as Buffer, identity: undefined };
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener('abort', stopReading);
    socket.destroy();
  }
}

/** Opens the file, waiting for it to appear while it is missing (mid-rotation). */
async function openOrWait(file: string, pollMs: number, signal: AbortSignal) {
  while (!signal.aborted) {
    try {
      return await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await pause(pollMs, signal);
    }
  }
  return undefined;
}

/** A file in the same folder that is the one `position` was in, if any. */
async function findRotated(file: string, position: FileIdentity): Promise<string | undefined> {
  const folder = path.dirname(file);
  for (const name of await readdir(folder)) {
    const candidate = path.join(folder, name);
    if (await isFile(candidate, position)) return candidate;
  }
  return undefined;
}

async function statOrUndefined(file: string) {
  try {
    return await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the caller sees the signal.
  }
}
