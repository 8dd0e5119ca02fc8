import { DAY_MS, DEFAULT_ALLOWED_SKEW_MS } from 'uet-tag-status';

/**
 * The most events one Conversions API request may hold (SPEC U4).
 *
 * @example
 * ```ts
 * if (events.length > CAPI_MAX_EVENTS) splitIntoBatches(events);
 * ```
 */
export const CAPI_MAX_EVENTS = 1_000;

/**
 * How far back an `eventTime` may lie: 7 days (SPEC U4).
 *
 * @example
 * ```ts
 * CAPI_MAX_EVENT_AGE_MS; // 604_800_000
 * ```
 */
export const CAPI_MAX_EVENT_AGE_MS = 7 * DAY_MS;

/**
 * The `errorCode` of one validation issue. `InvalidEnumValue`, `Empty`, `InvalidUrl`,
 * `InvalidSha256` and `InvalidEventTime` are the codes Microsoft documents; the others
 * are this project's, for checks the documents describe without naming a code.
 *
 * @example
 * ```ts
 * const code: CapiErrorCode = 'InvalidEventTime';
 * ```
 */
export type CapiErrorCode =
  | 'InvalidEnumValue'
  | 'Empty'
  | 'InvalidUrl'
  | 'InvalidSha256'
  | 'InvalidEventTime'
  | 'InvalidType'
  | 'InvalidUuid'
  | 'InvalidCurrency'
  | 'InvalidIpAddress'
  | 'MissingIdentifier'
  | 'TooManyEvents'
  | 'InvalidJson';

/**
 * One validation issue, with the fields of an entry of the API's `error.details`.
 *
 * @example
 * ```ts
 * const issue: CapiIssue = {
 *   index: 4, propertyName: 'data[4].eventTime', attemptedValue: 1_700_000_000,
 *   errorMessage: "'eventTime' must lie within the 7 days before the request.",
 *   errorCode: 'InvalidEventTime', isWarning: false,
 * };
 * ```
 */
export interface CapiIssue {
  /** The event's position in `data`; absent for an issue of the request as a whole. */
  readonly index?: number;
  /** The path of the field: `data[4].eventTime`, `data`, `continueOnValidationError`, or `body`. */
  readonly propertyName: string;
  /** The value refused, when it was a string, number or boolean. */
  readonly attemptedValue?: string | number | boolean;
  readonly errorMessage: string;
  readonly errorCode: CapiErrorCode;
  /**
   * True for a warning: an optional field whose value cannot be accepted is removed and
   * its event still applied. False for an error, which makes the event invalid.
   */
  readonly isWarning: boolean;
}

/**
 * A valid Conversions API event, normalized to what a hit needs (SPEC U4, U5).
 *
 * @example
 * ```ts
 * const event: CapiEvent = {
 *   index: 0, eventType: 'pageLoad', eventTimeMs: 1_744_430_084_000,
 *   eventSourceUrl: 'https://shop.example/', visitorId: 'b171a9b06ce011ecafcd1b209be8601b',
 * };
 * ```
 */
export interface CapiEvent {
  /** Its position in the request's `data`. */
  readonly index: number;
  readonly eventType: 'pageLoad' | 'custom';
  /** `eventTime` in UTC epoch milliseconds (the request gives seconds). */
  readonly eventTimeMs: number;
  /** Shared with the UET tag to deduplicate. */
  readonly eventId?: string;
  /** The event action (`ea` of a UET hit). */
  readonly eventName?: string;
  /** The page URL (`p`). */
  readonly eventSourceUrl?: string;
  /** The page title (`tl`). */
  readonly pageTitle?: string;
  /** The referring URL (`r`). */
  readonly referrerUrl?: string;
  /** The page keywords (`kw`). */
  readonly keywords?: string;
  /** `customData.eventCategory` (`ec`). */
  readonly eventCategory?: string;
  /** `customData.eventLabel` (`el`). */
  readonly eventLabel?: string;
  /** `customData.eventValue` (`ev`). */
  readonly eventValue?: number;
  /** `customData.value`, the variable revenue (`gv`). */
  readonly revenue?: number;
  /** `customData.currency`, upper case (`gc`). */
  readonly currency?: string;
  /** `customData.transactionId`. */
  readonly transactionId?: string;
  /** The page load the event belongs to (`mid`). */
  readonly pageLoadId?: string;
  /** `userData.anonymousId`, the visitor (`vid`). */
  readonly visitorId?: string;
  /** `userData.externalId`, a signed-in user. */
  readonly externalId?: string;
  /** `userData.msclkid`, the Microsoft click id. */
  readonly clickId?: string;
  /** `adStorageConsent` (`asc`): `G` granted, `D` denied; absent means granted. */
  readonly consent?: 'G' | 'D';
}

/**
 * When and how a request is judged.
 *
 * @example
 * ```ts
 * validateCapiRequest(body, { now: Date.now(), allowedSkewMs: 60_000 });
 * ```
 */
export interface CapiValidationOptions {
  /** The time of receipt, UTC epoch ms: `eventTime` is judged against it. */
  readonly now: number;
  /**
   * How far back `eventTime` may lie; an event at exactly `now - maxEventAgeMs` is too
   * old (the window is `(now - maxEventAgeMs, now]`, SPEC T4).
   * @default 604_800_000 (7 days)
   */
  readonly maxEventAgeMs?: number;
  /**
   * How far ahead of `now` an `eventTime` may lie, for the sender's clock running a
   * little fast (as SPEC D3 allows for hits).
   * @default 300_000 (5 minutes)
   */
  readonly allowedSkewMs?: number;
}

/**
 * The defaults of {@link CapiValidationOptions}.
 *
 * @example
 * ```ts
 * DEFAULT_CAPI_OPTIONS.allowedSkewMs; // 300_000
 * ```
 */
export const DEFAULT_CAPI_OPTIONS = {
  maxEventAgeMs: CAPI_MAX_EVENT_AGE_MS,
  allowedSkewMs: DEFAULT_ALLOWED_SKEW_MS,
} as const;

/**
 * The outcome of one request, as the API would answer it (SPEC U4): status 200 with the
 * events applied, or 400 with nothing applied.
 *
 * @example
 * ```ts
 * const result = validateCapiRequest(body, { now: Date.now() });
 * if (result.status === 200) for (const event of result.events) record(event);
 * ```
 */
export interface CapiValidationResult {
  /** 200 when events are applied; 400 when the request is refused and nothing is applied. */
  readonly status: 200 | 400;
  /** The events applied: every valid one with status 200, none with 400. */
  readonly events: readonly CapiEvent[];
  /** Every error and warning, in the order of the request. */
  readonly issues: readonly CapiIssue[];
  /** How many events the request held (0 when `data` is not a list). */
  readonly eventCount: number;
  /** As the request set it (false when absent or not a boolean). */
  readonly continueOnValidationError: boolean;
  /** The request's `dataProvider`, when it gave one. */
  readonly dataProvider?: string;
}
