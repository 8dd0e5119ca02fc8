import { withoutAbsent } from '../withoutAbsent.js';
import type { EventTimeBounds } from './capiEventSchema.js';
import { isCurrencyCode, isUuid, isWebUrl } from './capiFieldRules.js';
import {
  CAPI_MAX_EVENTS,
  type CapiEvent,
  type CapiIssue,
  type CapiValidationResult,
} from './capiRequest.js';
import { hasIdentifier, warningsOf } from './capiWarnings.js';

type RawObject = Record<string, unknown>;

/**
 * The outcome of a Conversions API request body without an error, found without the
 * schema library: `undefined` whenever the body has an error of any kind (or might), so
 * that the caller judges it with the schemas, whose issues name the field and value.
 *
 * It checks what the request and event schemas check (`capiEventSchema.ts`, the
 * envelope in `validateCapiRequest.ts`), reading each field the way the schemas read it
 * (`body.field`), and gives the same result they give for a body they accept, warnings
 * included (`warningsOf`, the one the schema path uses). A property test
 * (`test/fastCapiValidation.test.ts`) holds the two to the same outcome and value on
 * valid bodies and mutations of them.
 *
 * @example
 * ```ts
 * const bounds = { after: now - 7 * DAY_MS, notAfter: now + 300_000, maxEventAgeMs: 7 * DAY_MS, allowedSkewMs: 300_000 };
 * validateCapiRequestFast({ data: [] }, bounds); // undefined: 'data' must hold an event
 * ```
 */
export function validateCapiRequestFast(
  body: unknown,
  bounds: EventTimeBounds,
): CapiValidationResult | undefined {
  if (!isRawObject(body)) return undefined;
  const data = body.data;
  if (!Array.isArray(data) || data.length === 0 || data.length > CAPI_MAX_EVENTS) {
    return undefined;
  }
  const continueOnValidationError = body.continueOnValidationError;
  if (
    continueOnValidationError !== undefined &&
    continueOnValidationError !== null &&
    typeof continueOnValidationError !== 'boolean'
  ) {
    return undefined;
  }
  const dataProvider = body.dataProvider;
  if (!isStringOrAbsent(dataProvider)) return undefined;
  const events: CapiEvent[] = [];
  const issues: CapiIssue[] = [];
  for (let index = 0; index < data.length; index++) {
    // The schemas' walk over `data` skips the holes of a sparse list (JSON has none).
    if (!(index in data)) continue;
    const event = validEvent(data[index], index, bounds);
    if (event === undefined) return undefined;
    events.push(event);
    const warnings = warningsOf(data[index]);
    for (const warning of warnings) {
      const path = `data[${index}].${warning.path.join('.')}`;
      issues.push(
        withoutAbsent({
          index,
          propertyName: path,
          attemptedValue: primitiveOrAbsent(warning.attemptedValue),
          errorMessage: warning.errorMessage,
          errorCode: warning.errorCode,
          isWarning: true,
        }),
      );
    }
  }
  if (events.length === 0) return undefined;
  const result: { -readonly [Field in keyof CapiValidationResult]: CapiValidationResult[Field] } = {
    status: 200,
    events,
    issues,
    eventCount: data.length,
    continueOnValidationError: continueOnValidationError === true,
  };
  if (typeof dataProvider === 'string') result.dataProvider = dataProvider;
  return result;
}

/** One event normalized, or `undefined` when any of its fields is an error. */
function validEvent(raw: unknown, index: number, bounds: EventTimeBounds): CapiEvent | undefined {
  if (!isRawObject(raw)) return undefined;
  const eventType = raw.eventType;
  if (eventType !== 'pageLoad' && eventType !== 'custom') return undefined;
  const eventTimeMs = eventTimeMsOf(raw.eventTime, bounds);
  if (eventTimeMs === undefined) return undefined;
  const { eventId, eventName, pageLoadId, pageTitle, keywords, adStorageConsent } = raw;
  if (
    !isStringOrAbsent(eventId) ||
    !isStringOrAbsent(eventName) ||
    !isStringOrAbsent(pageLoadId) ||
    !isStringOrAbsent(pageTitle) ||
    !isStringOrAbsent(keywords)
  ) {
    return undefined;
  }
  if (
    adStorageConsent !== undefined &&
    adStorageConsent !== null &&
    adStorageConsent !== 'G' &&
    adStorageConsent !== 'D'
  ) {
    return undefined;
  }
  const userData = raw.userData;
  if (!isRawObject(userData)) return undefined;
  const { anonymousId, externalId } = userData;
  if (
    !isStringOrAbsent(anonymousId) ||
    !isStringOrAbsent(externalId) ||
    !isStringOrAbsent(userData.idfa) ||
    !isStringOrAbsent(userData.gaid) ||
    !isStringOrAbsent(userData.clientUserAgent)
  ) {
    return undefined;
  }
  const customData = raw.customData;
  if (customData !== undefined && customData !== null && !isValidCustomData(customData)) {
    return undefined;
  }
  const eventSourceUrl = raw.eventSourceUrl;
  const sourceIsWeb = isWebUrl(eventSourceUrl);
  if (eventType === 'pageLoad' && !sourceIsWeb) return undefined;
  if (!hasIdentifier(userData)) return undefined;
  const custom = isRawObject(customData) ? customData : undefined;
  // Built field by field in the schema path's order, without an object of absent fields.
  const event: Record<string, unknown> = { index, eventType, eventTimeMs };
  set(event, 'eventId', eventId);
  set(event, 'eventName', eventName);
  if (sourceIsWeb) event.eventSourceUrl = eventSourceUrl;
  set(event, 'pageTitle', pageTitle);
  if (isWebUrl(raw.referrerUrl)) event.referrerUrl = raw.referrerUrl;
  set(event, 'keywords', keywords);
  if (custom !== undefined) {
    set(event, 'eventCategory', custom.eventCategory);
    set(event, 'eventLabel', custom.eventLabel);
    set(event, 'eventValue', custom.eventValue);
    set(event, 'revenue', custom.value);
    if (isCurrencyCode(custom.currency)) event.currency = custom.currency.toUpperCase();
    set(event, 'transactionId', custom.transactionId);
  }
  set(event, 'pageLoadId', pageLoadId);
  if (anonymousId !== '') set(event, 'visitorId', anonymousId);
  if (externalId !== '') set(event, 'externalId', externalId);
  if (isUuid(userData.msclkid)) event.clickId = userData.msclkid;
  set(event, 'consent', adStorageConsent);
  return event as unknown as CapiEvent;
}

/** Sets the field unless its value is absent (`undefined` or `null`, as the schemas drop). */
function set(event: Record<string, unknown>, field: string, value: unknown): void {
  if (value !== undefined && value !== null) event[field] = value;
}

/** `eventTime` (seconds) in ms when the event schema's time rule accepts it. */
function eventTimeMsOf(seconds: unknown, bounds: EventTimeBounds): number | undefined {
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) {
    return undefined;
  }
  const ms = seconds * 1000;
  return ms > bounds.notAfter || ms <= bounds.after ? undefined : ms;
}

function isValidCustomData(customData: unknown): boolean {
  if (!isRawObject(customData)) return false;
  return (
    isStringOrAbsent(customData.eventCategory) &&
    isStringOrAbsent(customData.eventLabel) &&
    isStringOrAbsent(customData.transactionId) &&
    isFiniteOrAbsent(customData.eventValue) &&
    isFiniteOrAbsent(customData.value)
  );
}

function isStringOrAbsent(value: unknown): value is string | undefined | null {
  return value === undefined || value === null || typeof value === 'string';
}

function isFiniteOrAbsent(value: unknown): boolean {
  return value === undefined || value === null || Number.isFinite(value);
}

function isRawObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function primitiveOrAbsent(value: unknown): string | number | boolean | undefined {
  const kind = typeof value;
  return kind === 'string' || kind === 'number' || kind === 'boolean'
    ? (value as string | number | boolean)
    : undefined;
}
