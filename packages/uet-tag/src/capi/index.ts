/**
 * Conversions API request bodies (SPEC U4): validation as the API judges them, the
 * events normalized to what a hit needs, the API's answers, and readers for files of
 * bodies.
 *
 * @packageDocumentation
 */

export { CapiReadError } from './CapiReadError.js';
export { CAPI_EVENT_TYPES, createCapiEventSchema } from './capiEventSchema.js';
export type {
  CapiErrorCode,
  CapiEvent,
  CapiIssue,
  CapiValidationOptions,
  CapiValidationResult,
} from './capiRequest.js';
export { CAPI_MAX_EVENT_AGE_MS, CAPI_MAX_EVENTS, DEFAULT_CAPI_OPTIONS } from './capiRequest.js';
export type {
  CapiErrorDetail,
  CapiErrorObject,
  CapiResponse,
  CapiResponseBody,
} from './capiResponse.js';
export { CAPI_MAX_DETAILS, capiResponseOf, capiUnauthorizedResponse } from './capiResponse.js';
export { CAPI_PAGE_TYPES, hasIdentifier, warningsOf } from './capiWarnings.js';
export type { CapiFileFormat, CapiRequestRecord } from './readCapiRequests.js';
export {
  formatCapiIssue,
  readCapiRequestFile,
  readCapiRequestLines,
  validateCapiRequestText,
} from './readCapiRequests.js';
export { validateCapiRequest } from './validateCapiRequest.js';
