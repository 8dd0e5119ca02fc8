import { describeValue } from 'uet-tag-status/engine';

/**
 * The body of every error the service answers (except the Conversions API's, which answers
 * as the real API does): a stable code, a sentence, and the field and value at fault when
 * one is.
 *
 * @example
 * ```ts
 * const body: ServiceErrorBody = { error: { code: 'invalidField', message: 'status: "Gone" is not valid', field: 'status' } };
 * ```
 */
export interface ServiceErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly field?: string;
    readonly value?: string;
  };
}

/**
 * An error that answers a request: an HTTP status and a {@link ServiceErrorBody}. Route
 * handlers throw it; the service's error handler writes it.
 *
 * @example
 * ```ts
 * throw new ServiceHttpError(400, 'invalidField', 'expected one of Active, Inactive', 'status', 'Gone');
 * ```
 */
export class ServiceHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly value?: unknown,
  ) {
    super(message);
    this.name = 'ServiceHttpError';
  }

  /** The JSON body this error answers with; a long value is shown as a bounded prefix. */
  body(): ServiceErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...(this.value === undefined ? {} : { value: describeValue(this.value) }),
      },
    };
  }
}
