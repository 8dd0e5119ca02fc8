import { isIP } from 'node:net';
import { z } from 'zod';
import type { CapiErrorCode } from './capiRequest.js';

/**
 * Why a field's value cannot be accepted.
 *
 * @example
 * ```ts
 * const failure: FieldFailure = fail('InvalidUrl', "'referrerUrl' must be an absolute http or https URL.");
 * ```
 */
export interface FieldFailure {
  readonly failure: true;
  readonly errorCode: CapiErrorCode;
  readonly errorMessage: string;
}

/**
 * A field failure, for the rules below.
 *
 * @example
 * ```ts
 * fail('InvalidUrl', "'referrerUrl' must be an absolute http or https URL.");
 * ```
 */
export function fail(errorCode: CapiErrorCode, errorMessage: string): FieldFailure {
  return { failure: true, errorCode, errorMessage };
}

/**
 * True for a {@link FieldFailure}.
 *
 * @example
 * ```ts
 * isFailure(fail('Empty', "'eventType' is required.")); // true
 * isFailure('pageLoad'); // false
 * ```
 */
export function isFailure(value: unknown): value is FieldFailure {
  return typeof value === 'object' && value !== null && (value as FieldFailure).failure === true;
}

/**
 * A zod schema of a required field from a plain rule: the rule sees every value, a
 * missing one included, and returns the value to keep or a {@link FieldFailure}, which
 * becomes an issue carrying its `errorCode` in `params`.
 *
 * @example
 * ```ts
 * const schema = requiredRule((value) => (value === 'G' ? value : fail('InvalidEnumValue', 'G only')));
 * ```
 */
export function requiredRule<T>(rule: (value: unknown) => T | FieldFailure) {
  return z.unknown().transform((value, context): T => {
    const result = rule(value);
    if (!isFailure(result)) return result;
    context.issues.push({
      code: 'custom',
      input: value,
      message: result.errorMessage,
      params: { errorCode: result.errorCode },
    });
    return z.NEVER;
  });
}

/**
 * Like {@link requiredRule}, for a field that may be left out: a missing key gives
 * `undefined` without asking the rule.
 *
 * @example
 * ```ts
 * const schema = optionalRule((value) => (value === null || value === 'G' ? value ?? undefined : fail('InvalidEnumValue', 'G only')));
 * ```
 */
export function optionalRule<T>(rule: (value: unknown) => T | FieldFailure) {
  return requiredRule(rule).optional();
}

/**
 * An optional string field: absent or null gives `undefined`, a string is kept, anything
 * else is an `InvalidType` error.
 *
 * @example
 * ```ts
 * optionalString('eventName').parse('checkout_complete'); // 'checkout_complete'
 * ```
 */
export function optionalString(name: string) {
  return optionalRule((value) => {
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : fail('InvalidType', `'${name}' must be a string.`);
  });
}

/**
 * An optional finite number field; anything else is an `InvalidType` error.
 *
 * @example
 * ```ts
 * optionalNumber('eventValue').parse(123.45); // 123.45
 * ```
 */
export function optionalNumber(name: string) {
  return optionalRule((value) => {
    if (value === undefined || value === null) return undefined;
    return typeof value === 'number' && Number.isFinite(value)
      ? value
      : fail('InvalidType', `'${name}' must be a number.`);
  });
}

/**
 * True for an absolute `http:` or `https:` URL with a host.
 *
 * @example
 * ```ts
 * isWebUrl('https://shop.example/cart'); // true
 * isWebUrl('/cart'); // false
 * ```
 */
export function isWebUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  // A body's URLs are checked by its schema, its warnings and its reading: each parsed once.
  let isWeb = webUrls.get(value);
  if (isWeb === undefined) {
    isWeb = URL.canParse(value) && hasWebScheme(new URL(value));
    if (value.length <= MAX_MEMO_URL_LENGTH) {
      if (webUrls.size >= WEB_URL_MEMO_SIZE) webUrls.clear();
      webUrls.set(value, isWeb);
    }
  }
  return isWeb;
}

/** The strings {@link isWebUrl} judged lately, and its verdicts (at most {@link WEB_URL_MEMO_SIZE}). */
const webUrls = new Map<string, boolean>();
const WEB_URL_MEMO_SIZE = 256;
/** Longer strings are judged every time, so that the memo stays small. */
const MAX_MEMO_URL_LENGTH = 2_048;

function hasWebScheme(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/**
 * True for a SHA-256 digest written as 64 lower-case hexadecimal digits, the form the
 * API wants for `em` and `ph`.
 *
 * @example
 * ```ts
 * isSha256Hex('ec81f3ac7b2b19675bab9d54cf416f9f18cff87c97da5cca82c0f0891bc40602'); // true
 * ```
 */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

/**
 * True for a UUID written as 8-4-4-4-12 hexadecimal digits (either case), the form of
 * `msclkid`.
 *
 * @example
 * ```ts
 * isUuid('dd4afccc-b1c9-4a4c-ad95-44dd7e5006ab'); // true
 * ```
 */
export function isUuid(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== 36) return false;
  // `/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i`, read without the pattern.
  for (let index = 0; index < 36; index++) {
    const code = value.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== 45) return false;
    } else if (!((code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 102))) {
      return false;
    }
  }
  return true;
}

/**
 * True for an IPv4 or IPv6 address.
 *
 * @example
 * ```ts
 * isIpAddress('127.0.0.1'); // true
 * ```
 */
export function isIpAddress(value: unknown): value is string {
  return typeof value === 'string' && isIP(value) !== 0;
}

/**
 * True for a currency code of three letters (ISO 4217), either case.
 *
 * @example
 * ```ts
 * isCurrencyCode('USD'); // true
 * ```
 */
export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z]{3}$/.test(value);
}
