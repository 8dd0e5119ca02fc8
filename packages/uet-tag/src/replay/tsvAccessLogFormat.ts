import { digitsBetween } from './digitsBetween.js';
import { ReplayError } from './ReplayError.js';
import { BLANK, type LineParser, malformed } from './replayRecord.js';
import { createRequestFilter, type RequestFilterOptions } from './requestFilter.js';

const REQUIRED_COLUMNS = ['time', 'url', 'response'] as const;

/**
 * Parses a tab-separated access log whose first line names the columns, such as the NASA
 * trace as converted by imhotep (`host logname time method url response bytes referer
 * useragent`). It needs the columns `time` (Unix epoch **seconds**), `url` and
 * `response` (the HTTP status); the others are ignored. A file without them throws a
 * {@link ReplayError} naming `source`. Requests become activity of one
 * tag, filtered like a Common Log Format file.
 *
 * @example
 * ```ts
 * const parser = createTsvAccessLogParser({ tagId: 'nasa' });
 * parser.parse('host\tlogname\ttime\tmethod\turl\tresponse\tbytes\treferer\tuseragent', 1); // header
 * parser.parse('a.com\t-\t807256800\tGET\t/\t200\t1713\t\t', 2);
 * // { kind: 'record', record: { kind: 'activity', tagId: 'nasa', at: 807256800000 } }
 * ```
 */
export function createTsvAccessLogParser(
  options: RequestFilterOptions,
  source = 'file',
): LineParser {
  const toOutcome = createRequestFilter(options);
  let columns: { time: number; url: number; response: number; count: number } | undefined;
  return {
    parse(line, lineNumber, activity) {
      if (columns === undefined) {
        if (line.trim() === '') return BLANK;
        const fields = line.split('\t');
        if (lineNumber !== 1) return malformed('expected the header line first');
        const missing = REQUIRED_COLUMNS.filter((name) => !fields.includes(name));
        if (missing.length > 0) {
          throw new ReplayError(
            source,
            `line 1: a TSV access log needs a header naming the columns ${REQUIRED_COLUMNS.join(', ')}; missing ${missing.join(', ')}`,
          );
        }
        columns = {
          time: fields.indexOf('time'),
          url: fields.indexOf('url'),
          response: fields.indexOf('response'),
          count: fields.length,
        };
        return BLANK;
      }
      // Where the three columns used are; the others only counted.
      let timeStart = 0;
      let timeEnd = 0;
      let urlStart = 0;
      let urlEnd = 0;
      let statusStart = 0;
      let statusEnd = 0;
      let count = 0;
      for (let start = 0; ; count++) {
        const tab = line.indexOf('\t', start);
        const end = tab < 0 ? line.length : tab;
        if (count === columns.time) {
          timeStart = start;
          timeEnd = end;
        } else if (count === columns.url) {
          urlStart = start;
          urlEnd = end;
        } else if (count === columns.response) {
          statusStart = start;
          statusEnd = end;
        }
        if (tab < 0) break;
        start = tab + 1;
      }
      count += 1;
      const seconds = digitsBetween(line, timeStart, timeEnd, 12);
      const status = httpStatusBetween(line, statusStart, statusEnd);
      if (count === columns.count && seconds >= 0 && status >= 0) {
        return toOutcome(line, urlStart, urlEnd, status, seconds * 1_000, activity, lineNumber);
      }
      if (line.trim() === '') return BLANK;
      if (count !== columns.count) {
        return malformed(`expected ${columns.count} tab-separated fields, found ${count}`);
      }
      if (seconds < 0) {
        const time = line.slice(timeStart, timeEnd);
        return malformed(`time: "${time}" is not valid: expected Unix epoch seconds`);
      }
      const text = line.slice(statusStart, statusEnd);
      return malformed(`response: "${text}" is not valid: expected an HTTP status`);
    },
  };
}

/** The three-digit HTTP status from 100 to 599 (`/^[1-5]\d\d$/`) of `text` from `start` to `end`; -1 for anything else. */
function httpStatusBetween(text: string, start: number, end: number): number {
  if (end - start !== 3) return -1;
  const first = text.charCodeAt(start) - 48;
  const second = text.charCodeAt(start + 1) - 48;
  const third = text.charCodeAt(start + 2) - 48;
  if (first < 1 || first > 5 || second < 0 || second > 9 || third < 0 || third > 9) return -1;
  return first * 100 + second * 10 + third;
}
