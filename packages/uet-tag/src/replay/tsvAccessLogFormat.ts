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
      const fields = line.split('\t');
      if (columns === undefined) {
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
      if (fields.length !== columns.count) {
        return malformed(`expected ${columns.count} tab-separated fields, found ${fields.length}`);
      }
      const time = fields[columns.time] ?? '';
      if (!/^\d{1,12}$/.test(time)) {
        return malformed(`time: "${time}" is not valid: expected Unix epoch seconds`);
      }
      const status = fields[columns.response] ?? '';
      if (!/^[1-5]\d\d$/.test(status)) {
        return malformed(`response: "${status}" is not valid: expected an HTTP status`);
      }
      return toOutcome(fields[columns.url] ?? '', Number(status), Number(time) * 1_000);
    },
  };
}
