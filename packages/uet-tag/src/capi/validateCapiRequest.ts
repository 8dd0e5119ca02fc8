import { z } from 'zod';
import { formatJsonPath } from '../issues.js';
import { withoutAbsent } from '../withoutAbsent.js';
import { capiErrorCodeOf, createCapiEventSchema, type EventTimeBounds } from './capiEventSchema.js';
import {
  fail,
  isCurrencyCode,
  isUuid,
  isWebUrl,
  optionalRule,
  optionalString,
  requiredRule,
} from './capiFieldRules.js';
import {
  CAPI_MAX_EVENTS,
  type CapiEvent,
  type CapiIssue,
  type CapiValidationOptions,
  type CapiValidationResult,
  DEFAULT_CAPI_OPTIONS,
} from './capiRequest.js';
import { hasIdentifier, warningsOf } from './capiWarnings.js';
import { validateCapiRequestFast } from './fastCapiValidation.js';

type RawObject = Record<string, unknown>;
type EventSchema = ReturnType<typeof createCapiEventSchema>;

/**
 * The time bounds the one event schema reads, set to each request's before its events are
 * checked: building a schema per request cost more than checking its events, and
 * validation is synchronous, so no other request's bounds can be read meanwhile.
 */
const requestBounds: { -readonly [Field in keyof EventTimeBounds]: EventTimeBounds[Field] } = {
  after: 0,
  notAfter: 0,
  maxEventAgeMs: 0,
  allowedSkewMs: 0,
};

/** The event schema, built on first use around {@link requestBounds}. */
let eventSchema: EventSchema | undefined;

const requestSchema = z.object({
  data: requiredRule((value) => {
    if (value === undefined || value === null) return fail('Empty', "'data' is required.");
    if (!Array.isArray(value)) return fail('InvalidType', "'data' must be a list of events.");
    if (value.length === 0) return fail('Empty', "'data' must hold at least one event.");
    if (value.length > CAPI_MAX_EVENTS) {
      return fail(
        'TooManyEvents',
        `'data' holds ${value.length} events; a request may hold at most ${CAPI_MAX_EVENTS.toLocaleString('en-US')}.`,
      );
    }
    return value as unknown[];
  }),
  continueOnValidationError: optionalRule((value) => {
    if (value === undefined || value === null) return false;
    return typeof value === 'boolean'
      ? value
      : fail('InvalidType', "'continueOnValidationError' must be true or false.");
  }),
  dataProvider: optionalString('dataProvider'),
});

/**
 * Validates one Conversions API request body (SPEC U4),
 * `{"data":[event, ...], "continueOnValidationError"?: boolean, "dataProvider"?: string}`,
 * as the API would judge it at the time of receipt `now`, and normalizes its events to
 * what a hit needs.
 *
 * - An error makes its event invalid: a missing or unknown `eventType`; an `eventTime`
 *   that is missing, not an integer count of seconds, older than 7 days, or more than
 *   the allowed skew ahead of `now`; a `pageLoad` without a valid `eventSourceUrl`; a
 *   missing `userData` or one without any identifier; an `adStorageConsent` other than
 *   `G` or `D`; a known field of the wrong JSON type.
 * - A warning removes an optional field and keeps the event (see {@link warningsOf}).
 * - With `continueOnValidationError` false (the default) one invalid event refuses the
 *   whole request, 400, and nothing of it is applied; with true, the valid events are
 *   applied, 200, and each invalid one is reported by its index, unless none is valid
 *   (400). A request-level problem (no `data`, more than 1,000 events, a bad
 *   `continueOnValidationError`) always refuses the request.
 *
 * A body without an error is judged by a hand-written check that gives the schemas'
 * result without running them (`validateCapiRequestFast`); any other body is judged by
 * the schemas, so that each issue names its field and value as they word it.
 *
 * @example
 * ```ts
 * const result = validateCapiRequest(
 *   { data: [{ eventType: 'pageLoad', eventTime: 1_744_430_084, eventSourceUrl: 'https://shop.example/',
 *     userData: { anonymousId: 'b171a9b06ce011ecafcd1b209be8601b' } }] },
 *   { now: 1_744_430_100_000 },
 * );
 * result.status; // 200
 * result.events[0]?.eventTimeMs; // 1_744_430_084_000
 * ```
 * @throws TypeError when `now` is not an integer number of milliseconds.
 */
export function validateCapiRequest(
  body: unknown,
  options: CapiValidationOptions,
): CapiValidationResult {
  const bounds = boundsOf(options);
  return validateCapiRequestFast(body, bounds) ?? validateBySchemas(body, bounds);
}

/**
 * {@link validateCapiRequest} by the zod schemas alone, without the check that finds a
 * body without errors first (`validateCapiRequestFast`): the reference the fast check is
 * held to, and the path of every body with an error.
 *
 * @example
 * ```ts
 * validateCapiRequestBySchemas({ data: [] }, { now: Date.now() }).issues[0]?.errorCode; // 'Empty'
 * ```
 * @throws TypeError when `now` is not an integer number of milliseconds.
 */
export function validateCapiRequestBySchemas(
  body: unknown,
  options: CapiValidationOptions,
): CapiValidationResult {
  return validateBySchemas(body, boundsOf(options));
}

function validateBySchemas(body: unknown, bounds: EventTimeBounds): CapiValidationResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const missing = body === undefined || body === null;
    return refusedAsAWhole(
      withoutAbsent({
        propertyName: 'body',
        attemptedValue: primitiveOrAbsent(body),
        errorMessage: 'The request body must be a JSON object.',
        errorCode: missing ? 'Empty' : 'InvalidType',
        isWarning: false,
      }),
    );
  }
  const raw = body as RawObject;
  const envelope = requestSchema.safeParse(raw, { reportInput: true });
  const requestIssues = envelope.success
    ? []
    : envelope.error.issues.map((issue) => toCapiIssue(issue, raw, [], undefined));
  const continueOnValidationError = raw.continueOnValidationError === true;
  const dataProvider = typeof raw.dataProvider === 'string' ? raw.dataProvider : undefined;
  const data = Array.isArray(raw.data) ? (raw.data as unknown[]) : [];
  const tooMany = data.length > CAPI_MAX_EVENTS;

  Object.assign(requestBounds, bounds);
  eventSchema ??= createCapiEventSchema(requestBounds);
  const schema = eventSchema;
  const issues: CapiIssue[] = [...requestIssues];
  const valid: CapiEvent[] = [];
  let invalidEvents = 0;
  if (!tooMany) {
    data.forEach((event, index) => {
      const outcome = validateEvent(event, index, schema);
      issues.push(...outcome.issues);
      if (outcome.event === undefined) invalidEvents++;
      else valid.push(outcome.event);
    });
  }
  const applied =
    requestIssues.length === 0 &&
    valid.length > 0 &&
    (invalidEvents === 0 || continueOnValidationError);
  return withoutAbsent({
    status: applied ? 200 : 400,
    events: applied ? valid : [],
    issues,
    eventCount: data.length,
    continueOnValidationError,
    dataProvider,
  });
}

function boundsOf(options: CapiValidationOptions): EventTimeBounds {
  const { now } = options;
  if (!Number.isSafeInteger(now)) {
    throw new TypeError(`now must be an integer number of UTC epoch ms, not ${String(now)}`);
  }
  const maxEventAgeMs = options.maxEventAgeMs ?? DEFAULT_CAPI_OPTIONS.maxEventAgeMs;
  const allowedSkewMs = options.allowedSkewMs ?? DEFAULT_CAPI_OPTIONS.allowedSkewMs;
  return {
    after: now - maxEventAgeMs,
    notAfter: now + allowedSkewMs,
    maxEventAgeMs,
    allowedSkewMs,
  };
}

function refusedAsAWhole(issue: CapiIssue): CapiValidationResult {
  return {
    status: 400,
    events: [],
    issues: [issue],
    eventCount: 0,
    continueOnValidationError: false,
  };
}

/** One event's issues (errors, then warnings), and the event itself when it has no error. */
function validateEvent(
  raw: unknown,
  index: number,
  schema: EventSchema,
): { event?: CapiEvent; issues: CapiIssue[] } {
  const prefix = ['data', index];
  const parsed = schema.safeParse(raw, { reportInput: true });
  const errors = parsed.success
    ? []
    : parsed.error.issues.map((issue) => toCapiIssue(issue, raw, prefix, index));
  const userData = isRawObject(raw) ? raw.userData : undefined;
  if (isRawObject(userData) && !hasIdentifier(userData)) {
    errors.push({
      index,
      propertyName: formatJsonPath([...prefix, 'userData']),
      errorMessage:
        "'userData' must hold at least one identifier: anonymousId, externalId, em, ph, msclkid, idfa or gaid.",
      errorCode: 'MissingIdentifier',
      isWarning: false,
    });
  }
  const warnings = warningsOf(raw).map(
    (warning): CapiIssue =>
      withoutAbsent({
        index,
        propertyName: formatJsonPath([...prefix, ...warning.path]),
        attemptedValue: primitiveOrAbsent(warning.attemptedValue),
        errorMessage: warning.errorMessage,
        errorCode: warning.errorCode,
        isWarning: true,
      }),
  );
  const issues = [...errors, ...warnings];
  if (errors.length > 0 || !parsed.success) return { issues };
  return { event: normalize(parsed.data, raw as RawObject, index), issues };
}

function normalize(event: z.output<EventSchema>, raw: RawObject, index: number): CapiEvent {
  const userData = raw.userData as RawObject;
  const customData = isRawObject(raw.customData) ? raw.customData : {};
  const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);
  return withoutAbsent({
    index,
    eventType: event.eventType as CapiEvent['eventType'],
    eventTimeMs: event.eventTime as number,
    eventId: event.eventId,
    eventName: event.eventName,
    eventSourceUrl: isWebUrl(raw.eventSourceUrl) ? raw.eventSourceUrl : undefined,
    pageTitle: event.pageTitle,
    referrerUrl: isWebUrl(raw.referrerUrl) ? raw.referrerUrl : undefined,
    keywords: event.keywords,
    eventCategory: event.customData?.eventCategory,
    eventLabel: event.customData?.eventLabel,
    eventValue: event.customData?.eventValue,
    revenue: event.customData?.value,
    currency: isCurrencyCode(customData.currency) ? customData.currency.toUpperCase() : undefined,
    transactionId: event.customData?.transactionId,
    pageLoadId: event.pageLoadId,
    visitorId: nonEmpty(event.userData.anonymousId),
    externalId: nonEmpty(event.userData.externalId),
    clickId: isUuid(userData.msclkid) ? userData.msclkid : undefined,
    consent: event.adStorageConsent as CapiEvent['consent'],
  });
}

function toCapiIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  prefix: (string | number)[],
  index: number | undefined,
): CapiIssue {
  const relative = issue.path as (string | number)[];
  return withoutAbsent({
    index,
    propertyName: formatJsonPath([...prefix, ...relative], 'body'),
    attemptedValue: primitiveOrAbsent(valueAt(raw, relative)),
    errorMessage: issue.message,
    errorCode: capiErrorCodeOf(issue),
    isWarning: false,
  });
}

/** A value as an issue echoes it: strings, numbers and booleans only. */
function primitiveOrAbsent(value: unknown): string | number | boolean | undefined {
  const kind = typeof value;
  return kind === 'string' || kind === 'number' || kind === 'boolean'
    ? (value as string | number | boolean)
    : undefined;
}

function isRawObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
