import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HarError } from '../packages/uet-tag/src/hits/HarError.js';
import { type HarRecord, readHarEntry } from '../packages/uet-tag/src/hits/harEntry.js';
import { readHarEntries } from '../packages/uet-tag/src/hits/readHarEntries.js';
import { readHarEntriesByTokens } from './support/harByTokens.js';

type Reader = typeof readHarEntries;

/** What a reader gives for `bytes` cut at `cuts`: its records, and the error it ended with. */
async function read(reader: Reader, bytes: Buffer, cuts: readonly number[]) {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut > from && cut < bytes.length) chunks.push(bytes.subarray(from, cut));
    if (cut > from && cut < bytes.length) from = cut;
  }
  chunks.push(bytes.subarray(from));
  const records: HarRecord[] = [];
  try {
    for await (const record of reader(Readable.from(chunks), 'test.har')) records.push(record);
  } catch (error) {
    if (!(error instanceof HarError)) throw error;
    return { records, error };
  }
  return { records, error: undefined };
}

/** The kind of problem, without the byte offsets (the scanner names the faulty byte, the tokenizer the last token). */
function problemKind(error: HarError | undefined) {
  if (error === undefined) return undefined;
  const { path, entryIndex, problem } = error;
  const kind = /^not valid JSON after byte \d+/.test(problem)
    ? `not valid JSON${problem.endsWith(', before log.entries') ? ', before log.entries' : ''}`
    : problem.startsWith('text after the end of the JSON document')
      ? 'text after the end of the JSON document'
      : problem;
  return { path, entryIndex, kind };
}

/** Strings with what makes a scanner slip: quotes, backslashes, escapes, brackets, multi-byte and astral characters. */
const awkwardString = fc
  .array(
    fc.oneof(
      fc.constantFrom('"', '\\', '\\"', '\\\\', '{', '}', '[', ']', ',', ':', '\n', '\t', '\u0000'),
      fc.constantFrom('é', '€', '日本', '😀', '\u2028', '\ud83d'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    awkwardString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(awkwardString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const entry = fc.record({
  startedDateTime: fc.oneof(
    fc.integer({ min: 0, max: 4e12 }).map((at) => new Date(at).toISOString()),
    awkwardString,
  ),
  request: fc.record({
    method: fc.constantFrom('GET', 'POST', ''),
    url: fc.oneof(
      fc.constantFrom('https://bat.bing.com/action/0?ti=26012345&evt=pageLoad', 'not a url'),
      awkwardString.map((text) => `https://shop.example/p?q=${text}`),
    ),
    headers: fc.array(fc.record({ name: awkwardString, value: awkwardString }), { maxLength: 3 }),
  }),
  response: fc.record({ status: fc.oneof(fc.constantFrom(200, 204, 0, -1), json) }),
  extra: json,
});

const document = fc.record({
  log: fc.record({
    version: fc.constant('1.2'),
    creator: fc.record({ name: awkwardString }),
    pages: fc.array(fc.record({ id: awkwardString, entries: json }), { maxLength: 2 }),
    entries: fc.array(fc.oneof({ weight: 4, arbitrary: entry }, { weight: 1, arbitrary: json }), {
      maxLength: 6,
    }),
    comment: json,
  }),
});

/** A document as text: compact, indented with spaces, or with tabs. */
const documentText = fc
  .tuple(document, fc.constantFrom(undefined, 2, '\t'))
  .map(([doc, indent]) => JSON.stringify(doc, null, indent));

const cuts = fc.array(fc.nat({ max: 4_000 }), { maxLength: 6 });

describe('HarScanner (the streaming HAR reader)', () => {
  it('gives, for any document and any chunking, each entry as JSON.parse of the whole document and readHarEntry give it', async () => {
    await fc.assert(
      fc.asyncProperty(documentText, cuts, async (text, at) => {
        const bytes = Buffer.from(text);
        const { records, error } = await read(readHarEntries, bytes, at);
        expect(error).toBeUndefined();
        const parsed = JSON.parse(text) as { log: { entries: unknown[] } };
        expect(records).toEqual(
          parsed.log.entries.map((value, index) => readHarEntry(value, index)),
        );
        expect(await read(readHarEntriesByTokens, bytes, at)).toEqual({ records, error });
      }),
      { numRuns: 300 },
    );
  });

  /** A document with one fault: cut short, a character taken out, put in or replaced. */
  const broken = fc
    .tuple(
      documentText,
      fc.constantFrom('cut', 'delete', 'insert', 'replace'),
      fc.nat(),
      fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'x', '0', '-', 'n', ' ', '\u0001'),
    )
    .map(([text, how, where, character]) => {
      const at = where % (text.length + 1);
      if (how === 'cut') return text.slice(0, at);
      if (how === 'delete') return text.slice(0, at) + text.slice(at + 1);
      if (how === 'insert') return text.slice(0, at) + character + text.slice(at);
      return text.slice(0, at) + character + text.slice(at + 1);
    });

  it('gives, for a document with a fault, the records and the error (path, entry, kind of problem) the token-level parser gave', async () => {
    await fc.assert(
      fc.asyncProperty(broken, cuts, async (text, at) => {
        const bytes = Buffer.from(text);
        const scanned = await read(readHarEntries, bytes, at);
        const tokens = await read(readHarEntriesByTokens, bytes, at);
        expect(scanned.records).toEqual(tokens.records);
        expect(problemKind(scanned.error)).toEqual(problemKind(tokens.error));
      }),
      // HAR_RUNS=15000 (with --testTimeout) for a longer search than the suite's.
      { numRuns: Number(process.env.HAR_RUNS ?? 1_000) },
    );
  });

  it('names the byte of the fault in a document of multi-byte characters', async () => {
    const text = '{"log":{"comment":"日本€","entries":[{"a":x}]}}';
    const { records, error } = await read(readHarEntries, Buffer.from(text), [20, 21]);
    expect(records).toEqual([]);
    const byte = Buffer.byteLength(text.slice(0, text.indexOf('x')));
    expect(error).toMatchObject({
      path: 'log.entries[0]',
      entryIndex: 0,
      problem: `not valid JSON after byte ${byte} (Unexpected "x")`,
    });
  });
  /** A 3 MB entry: far longer than the piece the scanner holds aside (1 MiB), with runs of backslashes and escaped quotes. */
  const longText = `${'x'.repeat(299_993)}\\\\\\"é`.repeat(10);
  const longEntry = {
    startedDateTime: '2024-03-01T09:00:00Z',
    request: { method: 'GET', url: 'https://bat.bing.com/action/0?ti=26012345' },
    response: { status: 200, content: { text: longText } },
  };
  /** Cuts just after some backslashes (in the middle of a run and at its end), and every 64 KiB. */
  const cutsAfterBackslashes = (bytes: Buffer) => {
    const at: number[] = [];
    for (let index = 1; index < bytes.length; index++) {
      if (bytes[index - 1] === 92 && at.length % 3 !== 2) at.push(index);
      else if (index % 65_536 === 0) at.push(index);
    }
    return at;
  };

  it('reads an entry longer than the piece it holds aside, cut after backslashes, as JSON.parse does', async () => {
    const text = JSON.stringify({ log: { entries: [longEntry, longEntry] } });
    const bytes = Buffer.from(text);
    const { records, error } = await read(readHarEntries, bytes, cutsAfterBackslashes(bytes));
    expect(error).toBeUndefined();
    expect(records).toEqual([readHarEntry(longEntry, 0), readHarEntry(longEntry, 1)]);
  });

  it('names the byte of a fault deep in an entry longer than the piece it holds aside', async () => {
    const good = JSON.stringify({ log: { entries: [longEntry, longEntry] } });
    const at = good.indexOf('xxxx', 4_500_000);
    const text = `${good.slice(0, at)}\\q${good.slice(at)}`;
    const bytes = Buffer.from(text);
    const { records, error } = await read(readHarEntries, bytes, cutsAfterBackslashes(bytes));
    expect(records).toEqual([readHarEntry(longEntry, 0)]);
    expect(error).toMatchObject({
      path: 'log.entries[1]',
      entryIndex: 1,
      problem: `not valid JSON after byte ${Buffer.byteLength(text.slice(0, at + 1))} (Unexpected "q")`,
    });
  });
});
