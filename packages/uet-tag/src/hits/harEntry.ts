import type { Issue } from '../issues.js';
import { parseTime } from '../time.js';

/**
 * One request of a HAR file, as a hit needs it.
 *
 * @example
 * ```ts
 * const entry: HarEntry = { entryIndex: 0, at: 1709283600123, method: 'GET', url: 'https://shop.example/', status: 200 };
 * ```
 */
export interface HarEntry {
  /** Its position in `log.entries`, from 0. */
  readonly entryIndex: number;
  /** `startedDateTime` as UTC epoch milliseconds. */
  readonly at: number;
  /** `request.method`, such as `GET`. */
  readonly method: string;
  /** `request.url`, absolute. */
  readonly url: string;
  /**
   * `response.status`; when the browser got no response (blocked, failed, or cut off by
   * leaving the page), 0 in a DevTools export and -1 in a Playwright one.
   */
  readonly status: number;
}

/**
 * One problem of an entry: where, what was found, what was expected.
 *
 * @example
 * ```ts
 * const issue: HarIssue = { path: 'log.entries[3].startedDateTime', value: undefined, expected: 'an ISO 8601 date-time ...' };
 * ```
 */
/** One problem of a HAR entry; its path is such as `log.entries[3].startedDateTime`. */
export type HarIssue = Issue;

/**
 * What reading gives for each entry: the entry, or the issues that make it unusable.
 * A bad entry costs only itself.
 *
 * @example
 * ```ts
 * if (record.kind === 'invalid') console.warn(record.issues.map(formatHarIssue).join('\n'));
 * ```
 */
export type HarRecord =
  | { readonly kind: 'entry'; readonly entry: HarEntry }
  | { readonly kind: 'invalid'; readonly entryIndex: number; readonly issues: readonly HarIssue[] };

const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads a HAR `startedDateTime`: ISO 8601 with its time zone (`Z` or an offset), any
 * number of fraction digits (cut to milliseconds). `undefined` for anything else,
 * including a date-time without a zone, which would be ambiguous.
 *
 * @example
 * ```ts
 * parseHarTime('2024-03-01T09:00:00.123456+01:00'); // 1709280000123
 * parseHarTime('2024-03-01T09:00:00.123'); // undefined
 * ```
 */
export function parseHarTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE_TIME.exec(value);
  if (match === null) return undefined;
  const [, dateTime, fraction, zone] = match;
  const millis = fraction === undefined ? '' : `.${fraction.slice(0, 3)}`;
  return parseTime(`${dateTime}${millis}${zone}`);
}

/**
 * Checks one element of `log.entries` and keeps what a hit needs: `startedDateTime`,
 * `request.method`, `request.url` and `response.status`. Every problem of the entry is
 * listed, each with its path.
 *
 * @example
 * ```ts
 * readHarEntry({ startedDateTime: '2024-03-01T09:00:00Z', request: { method: 'GET', url: 'https://shop.example/' },
 *   response: { status: 200 } }, 0);
 * // { kind: 'entry', entry: { entryIndex: 0, at: 1709283600000, method: 'GET', url: 'https://shop.example/', status: 200 } }
 * ```
 */
export function readHarEntry(value: unknown, entryIndex: number): HarRecord {
  const path = `log.entries[${entryIndex}]`;
  if (!isObject(value)) {
    return invalid(entryIndex, [{ path, value, expected: 'an entry object' }]);
  }
  const issues: HarIssue[] = [];
  const at = parseHarTime(value.startedDateTime);
  if (at === undefined) {
    issues.push({
      path: `${path}.startedDateTime`,
      value: value.startedDateTime,
      expected:
        'an ISO 8601 date-time with its time zone, such as 2024-03-01T09:00:00.123Z or 2024-03-01T10:00:00.123+01:00',
    });
  }
  const request = value.request;
  let method: string | undefined;
  let url: string | undefined;
  if (!isObject(request)) {
    issues.push({ path: `${path}.request`, value: request, expected: 'a request object' });
  } else {
    method = nonEmptyString(request.method);
    if (method === undefined) {
      issues.push({
        path: `${path}.request.method`,
        value: request.method,
        expected: 'an HTTP method, such as GET',
      });
    }
    url = typeof request.url === 'string' && URL.canParse(request.url) ? request.url : undefined;
    if (url === undefined) {
      issues.push({ path: `${path}.request.url`, value: request.url, expected: 'an absolute URL' });
    }
  }
  const response = value.response;
  const status = isObject(response) ? response.status : undefined;
  const statusOk =
    typeof status === 'number' && Number.isInteger(status) && status >= -1 && status <= 999;
  if (!isObject(response)) {
    issues.push({ path: `${path}.response`, value: response, expected: 'a response object' });
  } else if (!statusOk) {
    issues.push({
      path: `${path}.response.status`,
      value: status,
      expected: 'an HTTP status: an integer from -1 (no response) to 999',
    });
  }
  if (issues.length > 0) return invalid(entryIndex, issues);
  return {
    kind: 'entry',
    entry: {
      entryIndex,
      at: at as number,
      method: method as string,
      url: url as string,
      status: status as number,
    },
  };
}

function invalid(entryIndex: number, issues: HarIssue[]): HarRecord {
  return { kind: 'invalid', entryIndex, issues };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
