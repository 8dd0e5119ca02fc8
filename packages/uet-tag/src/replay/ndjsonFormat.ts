import { parseInputLine } from '../records/inputRecord.js';
import { accepted, BLANK, type LineParser, malformed } from './replayRecord.js';

/**
 * Parses newline-delimited JSON input records, version 1 (the records `uet-tag monitor`
 * reads too): one object per line with a `kind` (`activity`, `conversion`, `registerTag`,
 * `attachGoal`, `detachGoal`, `removeTag`, `accessLost`, `accessRestored`), `tagId`, and
 * `at` as integer UTC epoch ms or an ISO 8601 date-time with its zone.
 *
 * @example
 * ```ts
 * createNdjsonParser().parse('{"kind":"activity","tagId":"shop","at":1709283600000}', 1);
 * // { kind: 'record', record: { kind: 'activity', tagId: 'shop', at: 1709283600000 } }
 * ```
 */
export function createNdjsonParser(): LineParser {
  return {
    parse(line) {
      if (line.trim() === '') return BLANK;
      const result = parseInputLine(line);
      return result.ok ? accepted(result.record) : malformed(result.message);
    },
  };
}
