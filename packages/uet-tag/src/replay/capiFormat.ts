import { formatCapiIssue, readCapiRequestText } from '../capi/readCapiRequests.js';
import { validateCapiRequest } from '../capi/validateCapiRequest.js';
import type { InputRecord } from '../records/inputRecord.js';
import { capiHit } from './hitOutcomes.js';
import { BLANK, type LineParser } from './replayRecord.js';

/** Options of {@link createCapiParser}. */
export interface CapiParserOptions {
  /** The tag the requests were posted to (`POST /v1/{tagId}/events`): the body does not say. */
  readonly tagId: string;
  /**
   * When the requests were received, UTC epoch ms, to judge `eventTime` by (the past 7
   * days, SPEC U4). A file keeps no receipt time: without it, each request is judged at
   * its latest `eventTime` (so its events must lie within 7 days of each other).
   */
  readonly receivedAt?: number;
}

/**
 * Parses Conversions API request bodies, one per line (SPEC U4, U5): each body is judged
 * as the API judges it (with `continueOnValidationError`, its valid events are kept and
 * each bad one reported by its position; without, one bad event refuses them all), and
 * every event kept becomes a hit of the tag, dated by its `eventTime`.
 *
 * @example
 * ```ts
 * createCapiParser({ tagId: '26012345' }).parse('{"data":[{"eventType":"pageLoad","eventTime":1744430084,...}]}', 1);
 * // { kind: 'records', records: [{ kind: 'hit', at: 1744430084000, hit: {...} }], problems: [] }
 * ```
 */
export function createCapiParser(options: CapiParserOptions): LineParser {
  return {
    parse(line, lineNumber) {
      if (line.trim() === '') return BLANK;
      const read = readCapiRequestText(line);
      const result =
        'refused' in read
          ? read.refused
          : validateCapiRequest(read.body, {
              now: options.receivedAt ?? latestEventTime(read.body),
            });
      const records = result.events.map(
        (event): InputRecord =>
          ({
            kind: 'hit',
            at: event.eventTimeMs,
            hit: capiHit(options.tagId, event),
          }) as InputRecord,
      );
      const problems = result.issues
        .filter((issue) => !issue.isWarning)
        .map((issue) => formatCapiIssue(issue, lineNumber));
      if (result.status === 400 && problems.length === 0) {
        problems.push(`line ${lineNumber}: the request was refused (status 400)`);
      }
      return { kind: 'records', records, problems };
    },
  };
}

/** The latest valid-looking `eventTime` of a body, in ms; 0 when it has none. */
function latestEventTime(body: unknown): number {
  let latest = 0;
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return latest;
  for (const event of data) {
    const seconds = (event as { eventTime?: unknown } | null)?.eventTime;
    if (typeof seconds === 'number' && Number.isSafeInteger(seconds * 1000)) {
      latest = Math.max(latest, seconds * 1000);
    }
  }
  return latest;
}

/**
 * Whether a line looks like a Conversions API request body (for format detection).
 *
 * @example
 * ```ts
 * isCapiLine('{"data":[{"eventType":"pageLoad"}]}'); // true
 * ```
 */
export function isCapiLine(line: string): boolean {
  return /^\s*\{\s*"data"\s*:/.test(line);
}
