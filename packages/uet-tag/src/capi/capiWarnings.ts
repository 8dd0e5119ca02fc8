import type { FieldFailure } from './capiFieldRules.js';
import {
  fail,
  isCurrencyCode,
  isIpAddress,
  isSha256Hex,
  isUuid,
  isWebUrl,
} from './capiFieldRules.js';

/**
 * The `pageType` values the API takes.
 *
 * @example
 * ```ts
 * CAPI_PAGE_TYPES.includes('purchase'); // true
 * ```
 */
export const CAPI_PAGE_TYPES = [
  'cart',
  'category',
  'home',
  'other',
  'product',
  'purchase',
  'searchresults',
] as const;

/**
 * A field the API drops with a warning, and why.
 *
 * @example
 * ```ts
 * warningsOf({ eventType: 'custom', referrerUrl: 'x' })[0]?.path; // ['referrerUrl']
 * ```
 */
export interface FieldWarning extends FieldFailure {
  /** The field's path within the event: `['userData', 'em']`. */
  readonly path: readonly string[];
  readonly attemptedValue: unknown;
}

type Check = readonly [path: readonly string[], accept: (value: unknown) => boolean, FieldFailure];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The optional fields whose bad values are warnings: the field is removed, the event kept. */
const WARNING_CHECKS: readonly Check[] = [
  [
    ['referrerUrl'],
    isWebUrl,
    fail('InvalidUrl', "'referrerUrl' must be an absolute http or https URL."),
  ],
  [
    ['userData', 'em'],
    isSha256Hex,
    fail('InvalidSha256', "'em' must be a SHA-256 digest in lower-case hexadecimal."),
  ],
  [
    ['userData', 'ph'],
    isSha256Hex,
    fail('InvalidSha256', "'ph' must be a SHA-256 digest in lower-case hexadecimal."),
  ],
  [['userData', 'msclkid'], isUuid, fail('InvalidUuid', "'msclkid' must be a UUID.")],
  [
    ['userData', 'clientIpAddress'],
    isIpAddress,
    fail('InvalidIpAddress', "'clientIpAddress' must be an IPv4 or IPv6 address."),
  ],
  [
    ['customData', 'currency'],
    isCurrencyCode,
    fail('InvalidCurrency', "'currency' must be a three-letter ISO 4217 code."),
  ],
  [
    ['customData', 'pageType'],
    (value) => (CAPI_PAGE_TYPES as readonly unknown[]).includes(value),
    fail('InvalidEnumValue', `'pageType' must be one of ${CAPI_PAGE_TYPES.join(', ')}.`),
  ],
  [
    ['customData', 'items'],
    (value) => Array.isArray(value) && value.every(isObject),
    fail('InvalidType', "'items' must be a list of objects."),
  ],
  [
    ['customData', 'itemIds'],
    (value) => Array.isArray(value) && value.every((id) => typeof id === 'string'),
    fail('InvalidType', "'itemIds' must be a list of strings."),
  ],
  [
    ['customData', 'ecommTotalValue'],
    (value) => typeof value === 'number' && Number.isFinite(value),
    fail('InvalidType', "'ecommTotalValue' must be a number."),
  ],
  [
    ['customData', 'ecommCategory'],
    (value) => typeof value === 'string',
    fail('InvalidType', "'ecommCategory' must be a string."),
  ],
  [
    ['customData', 'searchTerm'],
    (value) => typeof value === 'string',
    fail('InvalidType', "'searchTerm' must be a string."),
  ],
  [['customData', 'hotelData'], isObject, fail('InvalidType', "'hotelData' must be an object.")],
];

/**
 * The warnings of one raw event: each optional field present with a value the API
 * would not accept (an invalid `referrerUrl`, hashed identifier, currency, page type,
 * ecommerce or hotel field, and, our decision, `msclkid` and `clientIpAddress`). A
 * `custom` event's invalid `eventSourceUrl` is a warning too; a `pageLoad` event's is an
 * error. Absent and null fields give no warning.
 *
 * @example
 * ```ts
 * warningsOf({ eventType: 'custom', referrerUrl: 'not a url' })[0]?.errorCode; // 'InvalidUrl'
 * ```
 */
export function warningsOf(event: unknown): FieldWarning[] {
  if (!isObject(event)) return [];
  const warnings: FieldWarning[] = [];
  if (event.eventType === 'custom') addWarning(warnings, event, CUSTOM_EVENT_SOURCE_URL_CHECK);
  for (const check of WARNING_CHECKS) addWarning(warnings, event, check);
  return warnings;
}

/** A `custom` event's invalid `eventSourceUrl` is a warning (a `pageLoad` event's, an error). */
const CUSTOM_EVENT_SOURCE_URL_CHECK: Check = [
  ['eventSourceUrl'],
  isWebUrl,
  fail('InvalidUrl', "'eventSourceUrl' must be an absolute http or https URL."),
];

function addWarning(
  warnings: FieldWarning[],
  event: Record<string, unknown>,
  [path, accept, failure]: Check,
): void {
  const value = valueAt(event, path);
  if (value === undefined || value === null || accept(value)) return;
  warnings.push({ ...failure, path, attemptedValue: value });
}

/**
 * Whether the raw `userData` holds at least one identifier the API takes, once invalid
 * hashes and click ids are removed: `anonymousId`, `externalId`, `idfa` or `gaid` as a
 * non-empty string, `em` or `ph` as a SHA-256 digest, or `msclkid` as a UUID.
 *
 * @example
 * ```ts
 * hasIdentifier({ anonymousId: 'b171a9b06ce011ecafcd1b209be8601b' }); // true
 * hasIdentifier({ clientIpAddress: '127.0.0.1' }); // false
 * ```
 */
export function hasIdentifier(userData: unknown): boolean {
  if (!isObject(userData)) return false;
  const named = ['anonymousId', 'externalId', 'idfa', 'gaid'].some(
    (key) => typeof userData[key] === 'string' && userData[key] !== '',
  );
  return named || isSha256Hex(userData.em) || isSha256Hex(userData.ph) || isUuid(userData.msclkid);
}

function valueAt(event: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = event;
  for (const key of path) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}
