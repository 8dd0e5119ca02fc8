import { TrackingInputError } from '../TrackingInputError.js';
import { assertId } from '../validation.js';
import { isBeaconTarget, parseBeacon, parseBeaconQuery } from './parseBeacon.js';
import type { UetHit } from './UetHit.js';

const TEXT_FIELDS = [
  'pageUrl',
  'referrer',
  'pageTitle',
  'eventAction',
  'eventCategory',
  'eventLabel',
  'currency',
  'pageLoadId',
  'sessionId',
  'visitorId',
  'clickId',
  'consent',
] as const;
const NUMBER_FIELDS = ['eventValue', 'revenue'] as const;

/**
 * Reads a hit given either way a monitor accepts one: a {@link UetHit} (its fields
 * checked, and returned as given), or a string that is a beacon's request target or URL
 * (`/action/0?ti=…`, `https://bat.bing.com/action/0?…`, read by `parseBeacon`) or its
 * raw query string (`ti=…&evt=…`, read by `parseBeaconQuery`).
 *
 * @param field - where the hit sits, for error messages: `hit`.
 * @example
 * ```ts
 * hitOf('hit', 'ti=5&evt=pageLoad&p=https%3A%2F%2Fcontoso.com%2F').pageUrl; // 'https://contoso.com/'
 * hitOf('hit', { tagId: '5', eventType: 'custom', eventValue: 'ten' }); // throws: hit.eventValue …
 * ```
 * @throws {@link TrackingInputError} `invalidHit` naming the field (`hit.eventValue`) or the
 * beacon's parameter (`ev`), or `invalidId` for the tag id.
 */
export function hitOf(field: string, value: unknown): UetHit {
  if (typeof value === 'string') {
    return isBeaconTarget(value) ? parseBeacon(value) : parseBeaconQuery(value);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TrackingInputError(
      'invalidHit',
      field,
      value,
      'a hit: its fields { tagId, eventType, pageUrl?, … }, a beacon URL or its query string',
    );
  }
  const hit = value as Record<string, unknown>;
  assertId(`${field}.tagId`, hit.tagId);
  if (typeof hit.eventType !== 'string' || hit.eventType.length === 0) {
    throw new TrackingInputError(
      'invalidHit',
      `${field}.eventType`,
      hit.eventType,
      'the evt value: pageLoad, custom or another non-empty string',
    );
  }
  for (const name of TEXT_FIELDS) {
    const text = hit[name];
    if (text !== undefined && typeof text !== 'string') {
      throw new TrackingInputError('invalidHit', `${field}.${name}`, text, 'a string');
    }
  }
  for (const name of NUMBER_FIELDS) {
    const number = hit[name];
    if (number !== undefined && (typeof number !== 'number' || !Number.isFinite(number))) {
      throw new TrackingInputError('invalidHit', `${field}.${name}`, number, 'a finite number');
    }
  }
  return value as UetHit;
}
