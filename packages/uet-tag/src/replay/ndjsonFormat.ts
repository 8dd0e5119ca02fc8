import { recordFromFields } from './recordFields.js';
import { BLANK, type LineParser, malformed } from './replayRecord.js';

/**
 * Parses newline-delimited JSON: one object per line with `tagId`, `at` (integer UTC
 * epoch ms or an ISO 8601 date-time with its zone), and optionally `type` (`activity`
 * by default, `conversion`, `accessLost`, `accessRestored`), `goalId` and `goalType`
 * (for conversions).
 *
 * @example
 * ```ts
 * createNdjsonParser().parse('{"tagId":"shop","at":1709283600000}', 1);
 * // { kind: 'record', record: { kind: 'activity', tagId: 'shop', at: 1709283600000 } }
 * ```
 */
export function createNdjsonParser(): LineParser {
  return {
    parse(line) {
      if (line.trim() === '') return BLANK;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        return malformed(`not JSON (${(error as Error).message})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return malformed('expected a JSON object such as {"tagId":"shop","at":1709283600000}');
      }
      return recordFromFields(value);
    },
  };
}
