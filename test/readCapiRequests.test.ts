import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CapiReadError } from '../packages/uet-tag/src/capi/CapiReadError.js';
import {
  type CapiRequestRecord,
  formatCapiIssue,
  readCapiRequestFile,
  readCapiRequestLines,
  validateCapiRequestText,
} from '../packages/uet-tag/src/capi/readCapiRequests.js';
import { jsonErrorOf } from './support/jsonErrors.js';

const FIXTURES = new URL('./fixtures/capi/', import.meta.url);
const NOW = 1_744_430_351_000;

async function collect(records: AsyncIterable<CapiRequestRecord>): Promise<CapiRequestRecord[]> {
  const all: CapiRequestRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

describe('readCapiRequests', () => {
  it('U4 an NDJSON file gives one outcome per body, each with its line number', async () => {
    const records = await collect(
      readCapiRequestFile(new URL('requests.ndjson', FIXTURES).pathname, { now: NOW }),
    );
    expect(records.map(({ line, result }) => [line, result.status, result.events.length])).toEqual([
      [1, 200, 1],
      [3, 400, 0],
      [4, 200, 1],
      [5, 400, 0],
    ]);
    const lines = records.flatMap(({ line, result }) =>
      result.issues.map((issue) => formatCapiIssue(issue, line)),
    );
    expect(lines).toEqual([
      "line 3: data[1].eventTime: 'eventTime' must be an integer count of seconds since the UNIX epoch (UTC), within the 7 days before the time of receipt. (error InvalidEventTime)",
      "line 4: data[1].eventTime: 'eventTime' must be an integer count of seconds since the UNIX epoch (UTC), within the 7 days before the time of receipt. (error InvalidEventTime)",
      `line 5: body: The request body is not JSON (${jsonErrorOf('{"data":[{"eventType":"custom"')}). (error InvalidJson)`,
    ]);
  });

  it('U4 a .json file holds one body', async () => {
    const records = await collect(
      readCapiRequestFile(new URL('request.json', FIXTURES).pathname, { now: NOW }),
    );
    expect(records).toHaveLength(1);
    expect(records[0]?.line).toBe(1);
    expect(records[0]?.result.events.map((event) => event.eventType)).toEqual([
      'pageLoad',
      'custom',
    ]);
  });

  it('lines split across chunks, CRLF line ends and a last line without a break are read', async () => {
    const body = JSON.stringify({
      data: [{ eventType: 'custom', eventTime: NOW / 1000, userData: { externalId: 'u1' } }],
    });
    const text = `${body}\r\n\r\n${body}`;
    const chunks = [text.slice(0, 7), text.slice(7, 90), text.slice(90)].map((part) =>
      Buffer.from(part),
    );
    const records = await collect(readCapiRequestLines(Readable.from(chunks), { now: NOW }));
    expect(records.map(({ line, result }) => [line, result.status])).toEqual([
      [1, 200],
      [3, 200],
    ]);
  });

  it('text that is not JSON is refused like an invalid request', () => {
    expect(validateCapiRequestText('not json', { now: NOW })).toEqual({
      status: 400,
      events: [],
      issues: [
        {
          propertyName: 'body',
          errorMessage: `The request body is not JSON (${jsonErrorOf('not json')}).`,
          errorCode: 'InvalidJson',
          isWarning: false,
        },
      ],
      eventCount: 0,
      continueOnValidationError: false,
    });
  });

  it('a missing file and an unknown kind of file are a CapiReadError naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'capi-'));
    const missing = path.join(dir, 'missing.ndjson');
    await expect(collect(readCapiRequestFile(missing, { now: NOW }))).rejects.toThrow(
      new CapiReadError(missing, 'not readable (ENOENT)'),
    );
    await expect(
      collect(readCapiRequestFile(path.join(dir, 'missing.json'), { now: NOW })),
    ).rejects.toBeInstanceOf(CapiReadError);
    const text = path.join(dir, 'events.txt');
    await writeFile(text, '{}');
    await expect(collect(readCapiRequestFile(text, { now: NOW }))).rejects.toThrow(
      `${text}: a file name ending in .ndjson, .jsonl or .json is needed`,
    );
    const records = await collect(readCapiRequestFile(text, { now: NOW, format: 'json' }));
    expect(records[0]?.result.issues[0]?.propertyName).toBe('data');
  });
});
