import { MAX_ECHOED_LENGTH } from 'uet-tag-status/engine';
import type { CapiIssue, CapiValidationResult } from './capiRequest.js';

/**
 * How many errors and warnings a response lists at most, as the API does.
 *
 * @example
 * ```ts
 * capiResponseOf(result, CAPI_MAX_DETAILS); // the default
 * ```
 */
export const CAPI_MAX_DETAILS = 10;

/**
 * One entry of `error.details`.
 *
 * @example
 * ```ts
 * const detail: CapiErrorDetail = { index: 0, propertyName: 'data[0].eventType', errorMessage: "'eventType' is required.", errorCode: 'Empty', isWarning: false };
 * ```
 */
export interface CapiErrorDetail {
  readonly index?: number;
  readonly propertyName: string;
  readonly attemptedValue?: string | number | boolean;
  readonly errorMessage: string;
  readonly errorCode: string;
  readonly isWarning: boolean;
}

/**
 * The `error` object of a response body.
 *
 * @example
 * ```ts
 * capiResponseOf(result).body.error?.details?.length; // at most 10
 * ```
 */
export interface CapiErrorObject {
  readonly code: 'ValidationError' | 'Unauthorized';
  readonly message: string;
  readonly details?: readonly CapiErrorDetail[];
}

/**
 * A response body: `{"error":{...}}` for 400 and 401, `{"eventsReceived":n}` for 200,
 * with the `error` object beside it when events were skipped or fields removed.
 *
 * @example
 * ```ts
 * const body: CapiResponseBody = { eventsReceived: 2 };
 * ```
 */
export interface CapiResponseBody {
  readonly eventsReceived?: number;
  readonly error?: CapiErrorObject;
}

/**
 * A status and the JSON body to answer it with.
 *
 * @example
 * ```ts
 * const { status, body } = capiResponseOf(validateCapiRequest(request, { now: Date.now() }));
 * ```
 */
export interface CapiResponse {
  readonly status: 200 | 400 | 401;
  readonly body: CapiResponseBody;
}

const VALIDATION_MESSAGE = `Some parameters failed validation; see details (at most the first ${CAPI_MAX_DETAILS} errors and warnings are listed).`;

/**
 * The answer the Conversions API gives to a validated request (SPEC U4): on 400,
 * `{"error":{"code":"ValidationError","message":...,"details":[...]}}` with each
 * detail's `index`, `propertyName`, `attemptedValue`, `errorMessage`, `errorCode` and
 * `isWarning`, at most 10 of them; on 200, `{"eventsReceived": n}`, plus the same
 * `error` object when events were skipped (`continueOnValidationError`) or fields
 * removed with a warning. An attempted string is cut to 100 characters.
 *
 * @example
 * ```ts
 * const { status, body } = capiResponseOf(validateCapiRequest(request, { now: Date.now() }));
 * response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
 * ```
 */
export function capiResponseOf(
  result: CapiValidationResult,
  maxDetails = CAPI_MAX_DETAILS,
): CapiResponse {
  const error: CapiErrorObject | undefined =
    result.issues.length === 0
      ? undefined
      : {
          code: 'ValidationError',
          message: VALIDATION_MESSAGE,
          details: result.issues.slice(0, maxDetails).map(detailOf),
        };
  if (result.status === 400) return { status: 400, body: { error: error as CapiErrorObject } };
  return {
    status: 200,
    body: { eventsReceived: result.events.length, ...(error === undefined ? {} : { error }) },
  };
}

/**
 * The 401 answer to a request without a valid `Authorization: Bearer <token>` for its tag.
 *
 * @example
 * ```ts
 * capiUnauthorizedResponse().body.error?.code; // 'Unauthorized'
 * ```
 */
export function capiUnauthorizedResponse(): CapiResponse {
  return {
    status: 401,
    body: {
      error: { code: 'Unauthorized', message: 'The request is not authorized for this tag.' },
    },
  };
}

function detailOf(issue: CapiIssue): CapiErrorDetail {
  const value = issue.attemptedValue;
  const echoed = typeof value === 'string' ? value.slice(0, MAX_ECHOED_LENGTH) : value;
  return {
    ...(issue.index === undefined ? {} : { index: issue.index }),
    propertyName: issue.propertyName,
    ...(echoed === undefined ? {} : { attemptedValue: echoed }),
    errorMessage: issue.errorMessage,
    errorCode: issue.errorCode,
    isWarning: issue.isWarning,
  };
}
