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
    parse(line, lineNumber) {
      if (line.trim() === '') return BLANK;
      if (columns === undefined) {
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
      // The three columns used, sliced out; the others only counted.
      let time = '';
      let url = '';
      let status = '';
      let count = 0;
      for (let start = 0; ; count++) {
        const tab = line.indexOf('\t', start);
        const end = tab < 0 ? line.length : tab;
        if (count === columns.time) time = line.slice(start, end);
        else if (count === columns.url) url = line.slice(start, end);
        else if (count === columns.response) status = line.slice(start, end);
        if (tab < 0) break;
        start = tab + 1;
      }
      count += 1;
      if (count !== columns.count) {
        return malformed(`expected ${columns.count} tab-separated fields, found ${count}`);
      }
      if (!isEpochSeconds(time)) {
        return malformed(`time: "${time}" is not valid: expected Unix epoch seconds`);
      }
      if (!isHttpStatus(status)) {
        return malformed(`response: "${status}" is not valid: expected an HTTP status`);
      }
      return toOutcome(url, Number(status), Number(time) * 1_000);
    },
  };
}

/** Whether `text` is 1 to 12 digits (`/^\d{1,12}$/`). */
function isEpochSeconds(text: string): boolean {
  if (text.length === 0 || text.length > 12) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Whether `text` is a three-digit HTTP status from 100 to 599 (`/^[1-5]\d\d$/`). */
function isHttpStatus(text: string): boolean {
  if (text.length !== 3) return false;
  const first = text.charCodeAt(0);
  const second = text.charCodeAt(1);
  const third = text.charCodeAt(2);
  return first >= 49 && first <= 53 && second >= 48 && second <= 57 && third >= 48 && third <= 57;
}
