/**
 * The operation error codes the Campaign Management stand-in answers with, as Microsoft's
 * "Bing Ads API Operation Error Codes" list them: each symbolic code (`ErrorCode`) with its
 * numeric code (`Code`), so that an app's error handling meets in tests what it will meet
 * in production.
 */
export const CAMPAIGN_MANAGEMENT_ERROR_CODES = {
  /** The request message is null (here: the body is not a JSON object). */
  NullRequest: 100,
  /** A null array argument is not allowed. */
  NullArrayArgument: 206,
  /** The UET Tag ID is invalid. */
  InvalidUetTagId: 5300,
  /** The list of UET Tag IDs exceeds the limit. */
  UetTagIdsExceedsLimit: 5304,
  /** The Conversion Goal ID is invalid. */
  InvalidConversionGoalId: 5314,
  /** The list of Conversion Goal IDs exceeds the limit for the current operation. */
  ConversionGoalIdArrayExceedsLimit: 5318,
  /** The Conversion Goal types are required. */
  ConversionGoalTypesNotPassed: 5329,
} as const;

/** A symbolic error code of {@link CAMPAIGN_MANAGEMENT_ERROR_CODES}. */
export type CampaignManagementErrorCode = keyof typeof CAMPAIGN_MANAGEMENT_ERROR_CODES;

/** A BatchError of `PartialErrors`, as the REST JSON writes it. */
export interface BatchError {
  /** The numeric code. */
  readonly Code: number;
  /** More about the error; always null here. */
  readonly Details: string | null;
  /** The symbolic code. */
  readonly ErrorCode: CampaignManagementErrorCode;
  /** The request field the error is about. */
  readonly FieldPath: string | null;
  /** Always null. */
  readonly ForwardCompatibilityMap: null;
  /** The position of the item in the request's list. */
  readonly Index: number;
  /** What is wrong, in words. */
  readonly Message: string;
  /** Always `BatchError`. */
  readonly Type: 'BatchError';
}

/** An OperationError of an `ApiFaultDetail`, as the REST JSON writes it. */
export interface OperationError {
  /** The numeric code. */
  readonly Code: number;
  /** The request field the error is about. */
  readonly Details: string;
  /** The symbolic code. */
  readonly ErrorCode: CampaignManagementErrorCode;
  /** What is wrong, in words. */
  readonly Message: string;
  /** Always `OperationError`. */
  readonly Type: 'OperationError';
}

/**
 * The BatchError for the item at `index` of a request's list.
 *
 * @example
 * ```ts
 * batchError(1, 'InvalidUetTagId', 'no UET tag 7 exists', 'TagIds'); // { Code: 5300, Index: 1, ... }
 * ```
 */
export function batchError(
  index: number,
  errorCode: CampaignManagementErrorCode,
  message: string,
  field: string,
): BatchError {
  return {
    Code: CAMPAIGN_MANAGEMENT_ERROR_CODES[errorCode],
    Details: null,
    ErrorCode: errorCode,
    FieldPath: field,
    ForwardCompatibilityMap: null,
    Index: index,
    Message: message,
    Type: 'BatchError',
  };
}

/**
 * The OperationError for a request refused as a whole, about `field`.
 *
 * @example
 * ```ts
 * operationError('NullArrayArgument', 'TagIds must be a list of 1 to 100 ids.', 'TagIds'); // { Code: 206, ... }
 * ```
 */
export function operationError(
  errorCode: CampaignManagementErrorCode,
  message: string,
  field: string,
): OperationError {
  return {
    Code: CAMPAIGN_MANAGEMENT_ERROR_CODES[errorCode],
    Details: field,
    ErrorCode: errorCode,
    Message: message,
    Type: 'OperationError',
  };
}
