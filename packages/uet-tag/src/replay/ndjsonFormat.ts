import { type InputRecord, parseInputLine } from '../records/inputRecord.js';
import { readPlainInputLine } from '../records/plainInputRecord.js';
import { parseTime } from '../time.js';
import { beaconOutcome } from './hitOutcomes.js';
import { accepted, BLANK, type LineOutcome, type LineParser, malformed } from './replayRecord.js';

/** What a line of a beacon log holds. */
const BEACON_LINE_EXPECTED =
  'a beacon log line {"url": a UET beacon URL or request target, "at": its receipt time (epoch ms or ISO 8601 with zone)}';

/**
 * Parses newline-delimited JSON input records, version 1 (the records `uet-tag monitor`
 * reads too): one object per line with a `kind` (`activity`, `conversion`, `registerTag`,
 * `attachGoal`, `detachGoal`, `removeTag`, `accessLost`, `accessRestored`), `tagId`, and
 * `at` as integer UTC epoch ms or an ISO 8601 date-time with its zone. A line without a
 * `kind` but with a `url` is a collector's beacon log line, `{"url", "at"}`: the hit of the
 * beacon, received at `at` (SPEC U1, U5).
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
      // Most lines are plain records, read without the schema (the same reading).
      const plain = readPlainInputLine(line);
      if (plain !== undefined) return accepted(plain as InputRecord);
      if (line.trim() === '') return BLANK;
      if (line.includes('"url"') && !line.includes('"kind"')) {
        const beacon = beaconLine(line);
        if (beacon !== undefined) return beacon;
      }
      const result = parseInputLine(line);
      return result.ok ? accepted(result.record) : malformed(result.message);
    },
  };
}

/** A beacon log line's outcome, or `undefined` when the line is not an object without `kind`. */
function beaconLine(line: string): LineOutcome | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { url, at, kind } = value as Record<string, unknown>;
  if (kind !== undefined) return undefined;
  const time = typeof at === 'number' || typeof at === 'string' ? parseTime(at) : undefined;
  if (typeof url !== 'string') return malformed(`url: expected ${BEACON_LINE_EXPECTED}`);
  if (time === undefined) {
    return malformed(`at: ${JSON.stringify(at)} is not valid: expected ${BEACON_LINE_EXPECTED}`);
  }
  return beaconOutcome(url, time);
}
