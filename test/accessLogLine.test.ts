import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccessLogFields,
  accessLogFields,
  scanAccessLogLine,
} from '../packages/uet-tag/src/replay/accessLogLine.js';

/** The format's grammar as a regular expression: the reading the scanner must give. */
const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const GRAMMAR = new RegExp(
  `^(\\S+) (\\S+) (\\S+) \\[(\\d{2})/([A-Za-z]{3})/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2}) ([+-])(\\d{2})(\\d{2})\\] ${QUOTED} (\\d{3}) (\\d+|-)(?: ${QUOTED} ${QUOTED})?$`,
);
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** What the grammar reads from a line, in the scanner's terms; `undefined` when it fails. */
function grammarReading(
  line: string,
): (Omit<AccessLogFields, 'requestStart' | 'requestEnd'> & { request: string }) | undefined {
  const match = GRAMMAR.exec(line);
  if (match === null) return undefined;
  const [
    ,
    host,
    ident,
    user,
    day,
    month,
    year,
    hour,
    minute,
    second,
    sign,
    oh,
    om,
    request,
    status,
  ] = match as unknown as string[];
  const head = `${host} ${ident} ${user} `.length;
  return {
    day: Number(day),
    monthIndex: MONTHS.indexOf((month as string).toLowerCase()),
    year: Number(year),
    hour: Number(hour),
    minute: Number(minute),
    second: Number(second),
    offsetMinutes: (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)),
    timeStart: head + 1,
    request: request as string,
    status: Number(status),
  };
}

function scannerReading(line: string) {
  const fields = accessLogFields();
  if (!scanAccessLogLine(line, fields)) return undefined;
  const { requestStart, requestEnd, ...rest } = fields;
  return { ...rest, request: line.slice(requestStart, requestEnd) };
}

const VALID = [
  'h - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 200 1839',
  '1.2.3.4 - bob [17/May/2015:10:05:03 +0000] "GET / HTTP/1.1" 304 - "-" "Agent \\"x\\""',
  'h - - [31/sep/1995:00:00:01 +0130] "GET /a\\\\ b" 404 0 "r\\\\" "a"',
  'h - - [01/Xyz/1995:99:99:99 +9999] "" 999 12',
];

describe('scanAccessLogLine: the Common and Combined Log Format scanner of replay', () => {
  for (const line of VALID) {
    it(`reads ${JSON.stringify(line)} as the grammar does`, () => {
      expect(grammarReading(line)).toBeDefined();
      expect(scannerReading(line)).toEqual(grammarReading(line));
    });
  }

  const refused = [
    ['a tab inside the host', 'h\tx - - [01/Aug/1995:00:00:01 -0400] "GET /" 200 1'],
    ['a no-break space in the user', 'h - b\u00a0b [01/Aug/1995:00:00:01 -0400] "GET /" 200 1'],
    ['an empty ident', 'h  - [01/Aug/1995:00:00:01 -0400] "GET /" 200 1'],
    ['a one-digit day', 'h - - [1/Aug/1995:00:00:01 -0400] "GET /" 200 1'],
    ['no offset', 'h - - [01/Aug/1995:00:00:01] "GET /" 200 1'],
    ['an unclosed request', 'h - - [01/Aug/1995:00:00:01 -0400] "GET / 200 1'],
    ['an escaped line separator', 'h - - [01/Aug/1995:00:00:01 -0400] "GET \\\u2028" 200 1'],
    ['a four-digit status', 'h - - [01/Aug/1995:00:00:01 -0400] "GET /" 2000 1'],
    ['no bytes', 'h - - [01/Aug/1995:00:00:01 -0400] "GET /" 200 '],
    ['only a referer', 'h - - [01/Aug/1995:00:00:01 -0400] "GET /" 200 1 "-"'],
    ['text after the user agent', 'h - - [01/Aug/1995:00:00:01 -0400] "GET /" 200 1 "-" "a" x'],
  ] as const;
  for (const [name, line] of refused) {
    it(`refuses ${name}, as the grammar does`, () => {
      expect(GRAMMAR.test(line)).toBe(false);
      expect(scannerReading(line)).toBeUndefined();
    });
  }

  it('reads every line, valid or mutated, exactly as the grammar does (property)', () => {
    const piece = fc.constantFrom(
      ' ',
      '\t',
      '"',
      '\\',
      '[',
      ']',
      '/',
      ':',
      '-',
      '+',
      '0',
      '7',
      'a',
      'Z',
      '\u00a0',
      '\u2028',
      '\r',
      'é',
    );
    const mutated = fc
      .tuple(
        fc.constantFrom(...VALID),
        fc.array(fc.tuple(fc.nat(120), fc.nat(3), fc.array(piece, { maxLength: 3 })), {
          maxLength: 3,
        }),
      )
      .map(([line, edits]) => {
        let text = line;
        for (const [at, remove, insert] of edits) {
          const position = at % (text.length + 1);
          text = text.slice(0, position) + insert.join('') + text.slice(position + remove);
        }
        return text;
      });
    fc.assert(
      fc.property(
        fc.oneof(
          mutated,
          fc.array(piece).map((pieces) => pieces.join('')),
        ),
        (line) => {
          expect(scannerReading(line)).toEqual(grammarReading(line));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
