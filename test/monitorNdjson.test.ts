import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followFile } from '../packages/uet-tag/src/io/followFile.js';
import { LineSplitter, parseInputLine } from '../packages/uet-tag/src/io/ndjsonInputs.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-monitor-ndjson-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('LineSplitter', () => {
  it('numbers lines and bytes across chunks cut anywhere, also inside a UTF-8 character and a CRLF', () => {
    const bytes = Buffer.from('{"tagId":"café"}\r\n\nlast');
    const splitter = new LineSplitter(100, 7);
    const lines = [
      ...splitter.push(bytes.subarray(0, 14)),
      ...splitter.push(bytes.subarray(14, 18)),
      ...splitter.push(bytes.subarray(18)),
      ...splitter.end(),
    ];
    expect(lines).toEqual([
      { text: '{"tagId":"café"}', number: 8, endOffset: 119 },
      { text: '', number: 9, endOffset: 120 },
      { text: 'last', number: 10, endOffset: 124 },
    ]);
    expect(splitter.end()).toEqual([]);
  });
});

describe('parseInputLine', () => {
  const cases: ReadonlyArray<{ line: string; expected: unknown }> = [
    {
      line: '{"kind":"activity","tagId":"a","at":5}',
      expected: { kind: 'activity', tagId: 'a', at: 5 },
    },
    { line: '[1,2]', expected: 'not a JSON object' },
    { line: '"text"', expected: 'not a JSON object' },
    {
      line: '{"kind":"hit"}',
      expected:
        'kind "hit" is not one of registerTag, removeTag, attachGoal, detachGoal, activity, conversion, accessLost, accessRestored',
    },
    { line: '{"kind":', expected: 'not JSON (Unexpected end of JSON input)' },
  ];
  for (const { line, expected } of cases) {
    it(`reads ${line}`, () => {
      expect(parseInputLine(line)).toEqual(expected);
    });
  }
});

describe('followFile', () => {
  it('delivers what is appended after the offset, then stops on a file that shrank', async () => {
    const file = path.join(scratch, 'follow.ndjson');
    fs.writeFileSync(file, 'skip\nfirst\n');
    const chunks: string[] = [];
    const failure = await new Promise<Error>((resolve) => {
      followFile(file, {
        fromOffset: 5,
        pollMs: 5,
        onData: (chunk) => {
          chunks.push(chunk.toString());
          if (chunks.length === 1) fs.appendFileSync(file, 'second\n');
          else fs.writeFileSync(file, 'x\n');
        },
        onError: resolve,
      });
    });
    expect(chunks).toEqual(['first\n', 'second\n']);
    expect(failure.message).toBe(`${file} shrank to 2 bytes, below the 18 already read`);
  });
});
