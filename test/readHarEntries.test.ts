import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HarError } from '../packages/uet-tag/src/hits/HarError.js';
import { type HarRecord, parseHarTime } from '../packages/uet-tag/src/hits/harEntry.js';
import { readHarEntries, readHarFile } from '../packages/uet-tag/src/hits/readHarEntries.js';
import { formatIssue } from '../packages/uet-tag/src/issues.js';

const T0 = Date.parse('2024-03-01T09:00:00.123Z');

function entry(i: number, overrides: Record<string, unknown> = {}) {
  return {
    startedDateTime: new Date(T0 + i * 1000).toISOString(),
    time: 3.2,
    request: {
      method: 'GET',
      url: `https://bat.bing.com/action/0?ti=26012345&rn=${i}`,
      headers: [],
    },
    response: { status: 204, statusText: 'No Content', content: { size: 0 } },
    ...overrides,
  };
}

const har = (entries: unknown) =>
  JSON.stringify({ log: { version: '1.2', creator: { name: 'test' }, pages: [], entries } });

/** Reads `text` in chunks of `size` bytes: what was given, and the error it ended with. */
async function read(text: string, size = 7): Promise<{ records: HarRecord[]; error?: HarError }> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  const records: HarRecord[] = [];
  try {
    for await (const record of readHarEntries(Readable.from(chunks), 'test.har')) {
      records.push(record);
    }
  } catch (error) {
    if (error instanceof HarError) return { records, error };
    throw error;
  }
  return { records };
}

const indexes = (records: HarRecord[]) =>
  records.map((record) =>
    record.kind === 'entry' ? record.entry.entryIndex : `invalid ${record.entryIndex}`,
  );

describe('readHarEntries', () => {
  it('gives each entry with its index, UTC time, method, URL and status, whatever the chunking', async () => {
    for (const size of [1, 7, 64 * 1024]) {
      const { records, error } = await read(`${har([entry(0), entry(1), entry(2)])}\n`, size);
      expect(error).toBeUndefined();
      expect(records).toEqual(
        [0, 1, 2].map((i) => ({
          kind: 'entry',
          entry: {
            entryIndex: i,
            at: T0 + i * 1000,
            method: 'GET',
            url: `https://bat.bing.com/action/0?ti=26012345&rn=${i}`,
            status: 204,
          },
        })),
      );
    }
  });

  it('reads startedDateTime with any offset and fraction, and refuses one without a zone', () => {
    expect(parseHarTime('2024-03-01T10:00:00.123456+01:00')).toBe(T0);
    expect(parseHarTime('2024-03-01T09:00:00.123Z')).toBe(T0);
    expect(parseHarTime('2024-03-01T09:00:00Z')).toBe(T0 - 123);
    expect(parseHarTime('2024-03-01T09:00:00.123')).toBeUndefined();
    expect(parseHarTime('2024-02-30T09:00:00Z')).toBeUndefined();
    expect(parseHarTime(T0)).toBeUndefined();
  });

  it('a bad entry is reported with the path of each problem and does not lose the others', async () => {
    const { records, error } = await read(
      har([
        entry(0),
        5,
        entry(2, { startedDateTime: '2024-03-01T09:00:02.000' }),
        entry(3, {
          startedDateTime: undefined,
          request: { url: 'not a url' },
          response: { status: '204' },
        }),
        entry(4, { request: 'GET /', response: null }),
        entry(5),
      ]),
    );
    expect(error).toBeUndefined();
    expect(indexes(records)).toEqual([0, 'invalid 1', 'invalid 2', 'invalid 3', 'invalid 4', 5]);
    const lines = records.flatMap((record) =>
      record.kind === 'invalid' ? record.issues.map(formatIssue) : [],
    );
    expect(lines).toEqual([
      'log.entries[1]: 5 is not valid: expected an entry object',
      'log.entries[2].startedDateTime: "2024-03-01T09:00:02.000" is not valid: expected an ISO 8601 date-time with its time zone, such as 2024-03-01T09:00:00.123Z or 2024-03-01T10:00:00.123+01:00',
      'log.entries[3].startedDateTime: missing: expected an ISO 8601 date-time with its time zone, such as 2024-03-01T09:00:00.123Z or 2024-03-01T10:00:00.123+01:00',
      'log.entries[3].request.method: missing: expected an HTTP method, such as GET',
      'log.entries[3].request.url: "not a url" is not valid: expected an absolute URL',
      'log.entries[3].response.status: "204" is not valid: expected an HTTP status: an integer from -1 (no response) to 999',
      'log.entries[4].request: "GET /" is not valid: expected a request object',
      'log.entries[4].response: null is not valid: expected a response object',
    ]);
  });

  it('a truncated file gives the entries before the cut, then names the entry it ends in', async () => {
    const text = har([entry(0), entry(1), entry(2)]);
    const cut = text.indexOf('"startedDateTime"', text.indexOf('rn=1')) + 5;
    const { records, error } = await read(text.slice(0, cut));
    expect(indexes(records)).toEqual([0, 1]);
    expect(error).toMatchObject({
      path: 'log.entries[2]',
      entryIndex: 2,
      problem: 'the file ends here (truncated?)',
      message: 'test.har: log.entries[2]: the file ends here (truncated?)',
    });
    const afterEntries = await read(text.slice(0, -2));
    expect(indexes(afterEntries.records)).toEqual([0, 1, 2]);
    expect(afterEntries.error).toMatchObject({ path: 'log', entryIndex: undefined });
  });

  it('text that is not JSON stops reading in the entry it is found in, naming the byte', async () => {
    const text = har([entry(0), entry(1)]).replace(
      '"method":"GET","url":"https://bat.bing.com/action/0?ti=26012345&rn=1"',
      '"method":GET',
    );
    const { records, error } = await read(text);
    expect(indexes(records)).toEqual([0]);
    expect(error?.path).toBe('log.entries[1]');
    expect(error?.entryIndex).toBe(1);
    expect(error?.problem).toMatch(/^not valid JSON after byte \d+ \(Unexpected "G"/);
  });

  const structures: { name: string; text: string; path: string; problem: string }[] = [
    {
      name: 'entries not an array',
      text: JSON.stringify({ log: { entries: { a: entry(0) } } }),
      path: 'log.entries',
      problem: 'an object: expected an array of entries',
    },
    {
      name: 'entries a string',
      text: JSON.stringify({ log: { entries: 'none' } }),
      path: 'log.entries',
      problem: 'a string: expected an array of entries',
    },
    {
      name: 'no entries',
      text: JSON.stringify({ log: { version: '1.2', pages: [] } }),
      path: 'log.entries',
      problem: 'missing: expected an array of entries',
    },
    {
      name: 'no log',
      text: JSON.stringify({ entries: [entry(0)] }),
      path: 'log',
      problem: 'missing: a HAR document is {"log":{"entries":[...]}}',
    },
    {
      name: 'log an array',
      text: JSON.stringify({ log: [entry(0)] }),
      path: 'log',
      problem: 'an array: expected an object',
    },
    {
      name: 'the document an array',
      text: JSON.stringify([entry(0)]),
      path: 'document',
      problem: 'an array, not a HAR object',
    },
    { name: 'an empty file', text: '', path: 'document', problem: 'empty: no JSON in the file' },
  ];
  for (const c of structures) {
    it(`${c.name} is a HarError at ${c.path}`, async () => {
      const { records, error } = await read(c.text);
      expect(records).toEqual([]);
      expect(error).toMatchObject({ source: 'test.har', path: c.path, problem: c.problem });
    });
  }

  it('entries-like keys deeper in the document are not entries', async () => {
    const text = JSON.stringify({
      log: {
        pages: [{ id: 'page_1', entries: [1] }],
        entries: [entry(0)],
        comment: { entries: [2] },
      },
    });
    const { records, error } = await read(text);
    expect(error).toBeUndefined();
    expect(indexes(records)).toEqual([0]);
  });

  it('text after the document is a HarError once the entries are given', async () => {
    const { records, error } = await read(`${har([entry(0)])}\n{"log":{}}`);
    expect(indexes(records)).toEqual([0]);
    expect(error?.path).toBe('document');
    expect(error?.problem).toMatch(/^text after the end of the JSON document/);
  });

  it('a missing file is a HarError naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'har-'));
    const missing = path.join(dir, 'missing.har');
    const read = async () => {
      for await (const _ of readHarFile(missing)) {
        // nothing to read
      }
    };
    await expect(read()).rejects.toMatchObject({ path: 'file', problem: 'not readable (ENOENT)' });
    const file = path.join(dir, 'one.har');
    await writeFile(file, har([entry(0)]));
    const records: HarRecord[] = [];
    for await (const record of readHarFile(file)) records.push(record);
    expect(indexes(records)).toEqual([0]);
  });
});
