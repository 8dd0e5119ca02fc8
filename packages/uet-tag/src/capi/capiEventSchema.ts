import { z } from 'zod';
import {
  fail,
  isWebUrl,
  optionalNumber,
  optionalRule,
  optionalString,
  requiredRule,
} from './capiFieldRules.js';
import type { CapiErrorCode } from './capiRequest.js';

/**
 * The event types the API takes.
 *
 * @example
 * ```ts
 * CAPI_EVENT_TYPES.includes('pageLoad'); // true
 * ```
 */
export const CAPI_EVENT_TYPES = ['pageLoad', 'custom'] as const;

/**
 * The bounds `eventTime` is judged by, in UTC epoch ms.
 *
 * @example
 * ```ts
 * const bounds: EventTimeBounds = { after: now - 7 * DAY_MS, notAfter: now + 300_000, maxEventAgeMs: 7 * DAY_MS, allowedSkewMs: 300_000 };
 * ```
 */
export interface EventTimeBounds {
  /** `eventTime` must be after this instant (SPEC T4: the window is open at its start). */
  readonly after: number;
  /** `eventTime` must be at or before this instant. */
  readonly notAfter: number;
  /** The window's length, for the message. */
  readonly maxEventAgeMs: number;
  /** The skew allowed, for the message. */
  readonly allowedSkewMs: number;
}

const TIME_SHAPE = "'eventTime' must be an integer count of seconds since the UNIX epoch (UTC)";

/**
 * The rule of `eventTime` (SPEC U4): an integer number of **seconds** since the UNIX
 * epoch, after `bounds.after` and not after `bounds.notAfter`. Gives the time in
 * milliseconds.
 *
 * @example
 * ```ts
 * eventTimeRule({ after: 0, notAfter: 2e12, maxEventAgeMs: 7 * 86_400_000, allowedSkewMs: 300_000 })(1_710_438_591);
 * // 1_710_438_591_000
 * ```
 */
export function eventTimeRule(bounds: EventTimeBounds) {
  return (value: unknown) => {
    if (value === undefined || value === null) return fail('Empty', "'eventTime' is required.");
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      return fail('InvalidEventTime', `${TIME_SHAPE}.`);
    }
    const ms = value * 1000;
    if (ms > bounds.notAfter) {
      const hint = value > 1e11 ? ' (this looks like milliseconds)' : '';
      return fail(
        'InvalidEventTime',
        `${TIME_SHAPE}, at most ${bounds.allowedSkewMs / 60_000} minutes ahead of the time of receipt${hint}.`,
      );
    }
    if (ms <= bounds.after) {
      return fail(
        'InvalidEventTime',
        `${TIME_SHAPE}, within the ${bounds.maxEventAgeMs / 86_400_000} days before the time of receipt.`,
      );
    }
    return ms;
  };
}

const userDataSchema = z.object(
  {
    anonymousId: optionalString('anonymousId'),
    externalId: optionalString('externalId'),
    idfa: optionalString('idfa'),
    gaid: optionalString('gaid'),
    clientUserAgent: optionalString('clientUserAgent'),
    // em, ph, msclkid and clientIpAddress are checked as warnings (see capiWarnings.ts).
    em: z.unknown().optional(),
    ph: z.unknown().optional(),
    msclkid: z.unknown().optional(),
    clientIpAddress: z.unknown().optional(),
  },
  {
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? "'userData' is required."
        : "'userData' must be an object.",
  },
);

const customDataSchema = z
  .object(
    {
      eventCategory: optionalString('eventCategory'),
      eventLabel: optionalString('eventLabel'),
      eventValue: optionalNumber('eventValue'),
      value: optionalNumber('value'),
      transactionId: optionalString('transactionId'),
      // currency, pageType and the ecommerce and hotel fields are checked as warnings.
      currency: z.unknown().optional(),
    },
    { error: "'customData' must be an object." },
  )
  .nullish();

/**
 * The schema of one Conversions API event's errors (SPEC U4): the fields whose bad
 * values make the event invalid. Every issue it raises carries an `errorCode` in
 * `params` (the zod built-in issues are mapped by `capiErrorCodeOf`). The fields
 * whose bad values the API only warns about are read as they are, and checked apart.
 *
 * @example
 * ```ts
 * const schema = createCapiEventSchema({ after: now - 7 * DAY_MS, notAfter: now + 300_000, maxEventAgeMs: 7 * DAY_MS, allowedSkewMs: 300_000 });
 * schema.safeParse({ eventType: 'custom', eventTime: 1_744_430_084, userData: { anonymousId: 'v' } });
 * ```
 */
export function createCapiEventSchema(bounds: EventTimeBounds) {
  return z
    .object(
      {
        eventType: requiredRule((value) => {
          if (value === undefined || value === null) {
            return fail('Empty', "'eventType' is required.");
          }
          return value === 'pageLoad' || value === 'custom'
            ? value
            : fail('InvalidEnumValue', "'eventType' must be pageLoad or custom.");
        }),
        eventTime: requiredRule(eventTimeRule(bounds)),
        eventId: optionalString('eventId'),
        eventName: optionalString('eventName'),
        pageLoadId: optionalString('pageLoadId'),
        pageTitle: optionalString('pageTitle'),
        keywords: optionalString('keywords'),
        eventSourceUrl: z.unknown().optional(),
        referrerUrl: z.unknown().optional(),
        adStorageConsent: optionalRule((value) => {
          if (value === undefined || value === null) return undefined;
          return value === 'G' || value === 'D'
            ? value
            : fail('InvalidEnumValue', "'adStorageConsent' must be G (granted) or D (denied).");
        }),
        userData: userDataSchema,
        customData: customDataSchema,
      },
      {
        error: (issue) =>
          issue.input === undefined || issue.input === null
            ? 'An event is required here.'
            : 'Each event must be a JSON object.',
      },
    )
    .check(
      // A page load must name its page; this runs even when other fields have issues.
      z.superRefine(
        (event: Record<string, unknown> | null | undefined, context) => {
          // It runs on an event that is not an object too (`null` included): nothing to add.
          if (event?.eventType !== 'pageLoad' || isWebUrl(event.eventSourceUrl)) return;
          const missing = event.eventSourceUrl === undefined || event.eventSourceUrl === null;
          context.addIssue({
            code: 'custom',
            path: ['eventSourceUrl'],
            input: event.eventSourceUrl,
            message: missing
              ? "'eventSourceUrl' is required for a pageLoad event."
              : "'eventSourceUrl' must be an absolute http or https URL.",
            params: { errorCode: missing ? 'Empty' : 'InvalidUrl' },
          });
        },
        { when: () => true },
      ),
    );
}

/**
 * The `errorCode` of a zod issue raised by the CAPI schemas: the one a rule set in
 * `params`, else `Empty` for a missing value, `InvalidEnumValue` for a value outside a
 * set, `InvalidType` for the rest.
 *
 * @example
 * ```ts
 * capiErrorCodeOf({ code: 'invalid_type', input: undefined } as never); // 'Empty'
 * ```
 */
export function capiErrorCodeOf(issue: z.core.$ZodIssue): CapiErrorCode {
  const fromRule = (issue as { params?: { errorCode?: CapiErrorCode } }).params?.errorCode;
  if (fromRule !== undefined) return fromRule;
  if (issue.input === undefined || issue.input === null) return 'Empty';
  return issue.code === 'invalid_value' ? 'InvalidEnumValue' : 'InvalidType';
}
