/**
 * The HAR reader as it was before the hand-written scanner (`HarScanner`): the
 * `@streamparser/json` token-level parser and `HarStructure`, kept as the oracle the
 * scanner is held to (`test/harScanner.test.ts`): the same records and the same errors.
 */
import { JSONParser } from '@streamparser/json';
import { HarError } from '../../packages/uet-tag/src/hits/HarError.js';
import { HarStructure, type JsonKind } from '../../packages/uet-tag/src/hits/HarStructure.js';
import { type HarRecord, readHarEntry } from '../../packages/uet-tag/src/hits/harEntry.js';

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
export async function* readHarEntriesByTokens(
  chunks: AsyncIterable<Uint8Array | string>,
  source = 'HAR',
): AsyncGenerator<HarRecord> {
  const structure = new HarStructure();
  const parser = new JSONParser({
    paths: ['$.log.entries.*'],
    keepStack: false,
    stringBufferSize: 64 * 1024,
  });
  const ready: HarRecord[] = [];
  let failure: HarError | undefined;
  let entries = 0;
  parser.onToken = (token) => {
    structure.push(token);
    if (!structure.changed) return;
    structure.changed = false;
    failure ??= structureProblem(structure, source, entries);
  };
  parser.onValue = ({ value, key }) => {
    if (!structure.insideEntries) return;
    entries++;
    ready.push(readHarEntry(value, key as number));
  };
  parser.onError = (error) => {
    failure ??= syntaxProblem(error, structure, source, entries);
  };

  for await (const chunk of chunks) {
    if (failure === undefined && !parser.isEnded) parser.write(chunk);
    else if (failure === undefined && chunk.length > 0 && !isWhitespace(chunk)) {
      failure = new HarError(source, 'document', 'text after the end of the JSON document');
    }
    yield* ready.splice(0);
    if (failure !== undefined) throw failure;
  }
  if (!parser.isEnded) parser.end();
  yield* ready.splice(0);
  if (failure !== undefined) throw failure;
  if (structure.rootKind === undefined) {
    throw new HarError(source, 'document', 'empty: no JSON in the file');
  }
  if (structure.logKind === undefined) {
    throw new HarError(source, 'log', 'missing: a HAR document is {"log":{"entries":[...]}}');
  }
  if (structure.entriesKind === undefined) {
    throw new HarError(source, 'log.entries', 'missing: expected an array of entries');
  }
}

/** The first problem the outer structure shows, once it shows. */
function structureProblem(
  structure: HarStructure,
  source: string,
  entries: number,
): HarError | undefined {
  const wrong = (kind: JsonKind | undefined, wanted: JsonKind) =>
    kind !== undefined && kind !== wanted;
  if (wrong(structure.rootKind, 'object')) {
    return new HarError(source, 'document', `${article(structure.rootKind)}, not a HAR object`);
  }
  if (wrong(structure.logKind, 'object')) {
    return new HarError(source, 'log', `${article(structure.logKind)}: expected an object`);
  }
  if (wrong(structure.entriesKind, 'array')) {
    return new HarError(
      source,
      'log.entries',
      `${article(structure.entriesKind)}: expected an array of entries`,
      entries === 0 ? undefined : entries,
    );
  }
  return undefined;
}

/** Where a parse error (bad JSON or an early end) stopped the reading. */
function syntaxProblem(
  error: Error,
  structure: HarStructure,
  source: string,
  entries: number,
): HarError {
  if (structure.documentClosed) {
    return new HarError(
      source,
      'document',
      `text after the end of the JSON document (${error.message})`,
    );
  }
  const truncated = /ended in (?:the )?mid/i.test(error.message);
  const what = truncated
    ? 'the file ends here (truncated?)'
    : `not valid JSON after byte ${structure.offset} (${error.message})`;
  if (structure.insideEntries) {
    return new HarError(source, `log.entries[${entries}]`, what, entries);
  }
  if (structure.entriesKind === undefined && structure.logKind === 'object') {
    return new HarError(source, 'log', `${what}, before log.entries`);
  }
  return new HarError(source, structure.entriesClosed ? 'log' : 'document', what);
}

function article(kind: JsonKind | undefined): string {
  return kind === 'object' || kind === 'array' ? `an ${kind}` : `a ${kind}`;
}

function isWhitespace(chunk: Uint8Array | string): boolean {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text.trim() === '';
}
