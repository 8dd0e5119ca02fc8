import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { HarError } from './HarError.js';
import { HarScanner } from './HarScanner.js';
import type { HarRecord } from './harEntry.js';

/** The bytes decoded at a time. */
const PIECE_BYTES = 64 * 1024;

/**
 * Streams the entries of a HAR document (a browser's DevTools or Playwright export,
 * `{"log":{"entries":[{"startedDateTime", "request":{"method","url"}, "response":{"status"}}, ...]}}`)
 * from a byte stream, in constant memory however large the file: each entry is parsed,
 * checked and given on its own, then dropped.
 *
 * What is recoverable: an entry of the wrong shape (not an object, a missing or
 * zone-less `startedDateTime`, a request without method or URL, a bad status) is given
 * as an `invalid` record with its issues, and reading goes on. What is not: text that
 * is not JSON or ends too soon, and a document without an object `log` holding an
 * array `entries`; every entry before the problem is given first, then a
 * {@link HarError} names where reading stopped (the entry, when it was inside one).
 *
 * @example
 * ```ts
 * for await (const record of readHarEntries(createReadStream('session.har'), 'session.har')) {
 *   if (record.kind === 'entry') console.log(record.entry.at, record.entry.url);
 * }
 * ```
 * @throws {@link HarError} for a document that cannot be read on.
 */
export async function* readHarEntries(
  chunks: AsyncIterable<Uint8Array | string>,
  source = 'HAR',
): AsyncGenerator<HarRecord> {
  const scanner = new HarScanner(source);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') scanner.push(chunk);
    else {
      // Decoded in pieces small enough for the young generation: a text of a whole chunk
      // (256 KiB, 1 MiB) would be a large object, freed only by a full collection.
      for (let at = 0; at < chunk.length; at += PIECE_BYTES) {
        scanner.push(decoder.write(chunk.subarray(at, at + PIECE_BYTES)));
      }
    }
    yield* scanner.ready.splice(0);
    if (scanner.failure !== undefined) throw scanner.failure;
  }
  scanner.push(decoder.end());
  scanner.end();
  yield* scanner.ready.splice(0);
  if (scanner.failure !== undefined) throw scanner.failure;
}

/**
 * Streams the entries of a HAR file; see {@link readHarEntries}.
 *
 * @example
 * ```ts
 * let pages = 0;
 * for await (const record of readHarFile('test/fixtures/beacons/session.har')) {
 *   if (record.kind === 'entry' && record.entry.url.includes('/action/0')) pages++;
 * }
 * ```
 * @throws {@link HarError} for an unreadable file or a document that cannot be read on.
 */
export async function* readHarFile(path: string): AsyncGenerator<HarRecord> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  try {
    yield* readHarEntries(stream, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof HarError || code === undefined) throw error;
    throw new HarError(path, 'file', `not readable (${code})`);
  } finally {
    stream.destroy();
  }
}
