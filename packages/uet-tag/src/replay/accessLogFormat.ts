import { type AccessLogFields, accessLogFields, scanAccessLogLine } from './accessLogLine.js';
import { BLANK, type LineParser, malformed } from './replayRecord.js';
import { createRequestFilter, type RequestFilterOptions } from './requestFilter.js';

const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';

/** The shape a Common or Combined Log Format line must have, for error messages. */
export const ACCESS_LOG_SHAPE =
  'host ident user [dd/Mon/yyyy:HH:MM:SS +hhmm] "request" status bytes, optionally followed by "referer" "user-agent"';

/**
 * Parses a web server access log in NCSA Common Log Format or Apache Combined Log Format.
 * The time's UTC offset is honoured; every request that passes the filters is activity of
 * one tag (or a goal's conversion, see {@link RequestFilterOptions.goalPaths}). A line
 * that does not have the format's shape, or has an impossible date, is malformed.
 *
 * @example
 * ```ts
 * const parser = createAccessLogParser({ tagId: 'site' });
 * parser.parse('h - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 200 1839', 1);
 * // { kind: 'record', record: { kind: 'activity', tagId: 'site', at: 807249601000 } }
 * ```
 */
export function createAccessLogParser(options: RequestFilterOptions): LineParser {
  const toOutcome = createRequestFilter(options);
  const utcTime = createUtcTime();
  const fields = accessLogFields();
  return {
    parse(line, lineNumber, activity) {
      if (!scanAccessLogLine(line, fields)) {
        return line.trim() === '' ? BLANK : malformed(diagnose(line));
      }
      const at = utcTime(fields);
      if (at === undefined) {
        const time = line.slice(fields.timeStart, fields.timeStart + 26);
        return malformed(`time: "${time}" is not a valid date and time`);
      }
      const targetStart = requestTargetStart(line, fields.requestStart, fields.requestEnd);
      const targetEnd = requestTargetEnd(line, targetStart, fields.requestEnd);
      return toOutcome(line, targetStart, targetEnd, fields.status, at, activity, lineNumber);
    },
  };
}

/**
 * Whether a line looks like Common or Combined Log Format (for format detection).
 *
 * @example
 * ```ts
 * isAccessLogLine('h - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 200 1839'); // true
 * ```
 */
export function isAccessLogLine(line: string): boolean {
  return scanAccessLogLine(line, accessLogFields());
}

const HEAD = /^(\S+) (\S+) (\S+) \[([^\]]*)\] ?(.*)$/;
const TIME = /^\d{2}\/[A-Za-z]{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}$/;
const REQUEST_REST = new RegExp(`^${QUOTED} ?(.*)$`);
const STATUS_BYTES_REST = /^(\S+) (\S+) ?(.*)$/;
const REFERER_AGENT = new RegExp(`^${QUOTED} ${QUOTED}$`);

/** Says which part of a line breaks the format, field by field. */
function diagnose(line: string): string {
  const head = HEAD.exec(line);
  if (head === null) {
    return `expected ${ACCESS_LOG_SHAPE}; the line does not start with host ident user [time]`;
  }
  const [, , , , time = '', afterTime = ''] = head;
  if (!TIME.test(time)) {
    return `time: ${JSON.stringify(time)} is not valid: expected dd/Mon/yyyy:HH:MM:SS +hhmm`;
  }
  const request = REQUEST_REST.exec(afterTime);
  if (request === null) return 'request: expected the request line in double quotes after the time';
  const statusBytes = STATUS_BYTES_REST.exec(request[2] ?? '');
  if (statusBytes === null) return 'expected the status and the bytes after the request';
  const [, status = '', bytes = '', rest = ''] = statusBytes;
  if (!/^\d{3}$/.test(status)) {
    return `status: ${JSON.stringify(status)} is not valid: expected a three-digit HTTP status`;
  }
  if (!/^(\d+|-)$/.test(bytes)) {
    return `bytes: ${JSON.stringify(bytes)} is not valid: expected a number of bytes or -`;
  }
  if (!REFERER_AGENT.test(rest)) {
    return 'after the bytes: expected nothing (Common) or "referer" "user-agent" in double quotes (Combined)';
  }
  return `expected ${ACCESS_LOG_SHAPE}`;
}

/**
 * Where the target of the request line `line[start, end)`, `METHOD target [PROTOCOL]`,
 * begins: after its first space; `end` (an empty target) when it has none.
 */
function requestTargetStart(line: string, start: number, end: number): number {
  const space = line.indexOf(' ', start);
  return space < 0 || space >= end ? end : space + 1;
}

/** Where the request target that begins at `targetStart` ends: at the next space, or at `end`. */
function requestTargetEnd(line: string, targetStart: number, end: number): number {
  const space = line.indexOf(' ', targetStart);
  return space < 0 || space >= end ? end : space;
}

/**
 * The UTC time of a log's local date and time with its offset, or `undefined` when it is
 * not a real one; the start of the last day read is kept, since a log's lines come day
 * by day (what `Date.UTC` gives, without a `Date` per line).
 */
function createUtcTime(): (fields: AccessLogFields) => number | undefined {
  let lastYear = Number.NaN;
  let lastMonth = Number.NaN;
  let lastDay = Number.NaN;
  let lastStart: number | undefined;
  return ({ year, monthIndex, day, hour, minute, second, offsetMinutes }) => {
    if (monthIndex < 0 || hour > 23 || minute > 59 || second > 60) return undefined;
    if (year !== lastYear || monthIndex !== lastMonth || day !== lastDay) {
      const start = Date.UTC(year, monthIndex, day);
      lastStart = new Date(start).getUTCDate() === day ? start : undefined;
      lastYear = year;
      lastMonth = monthIndex;
      lastDay = day;
    }
    if (lastStart === undefined) return undefined;
    const at = lastStart + ((hour * 60 + minute) * 60 + second) * 1_000 - offsetMinutes * 60_000;
    return at >= 0 ? at : undefined;
  };
}
