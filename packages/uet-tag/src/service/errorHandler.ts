import type { FastifyError, FastifyInstance } from 'fastify';
import { MonitorStoreError, TrackingInputError } from 'uet-tag-status';
import { sendError } from './httpErrors.js';
import { ServiceHttpError } from './ServiceHttpError.js';

/** Fastify's own errors, as the service names them: its status, code and the field at fault. */
const FASTIFY_ERRORS: Readonly<
  Record<string, { status: number; code: string; message: string; field: string }>
> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalidJson',
    message: 'the body is not valid JSON',
    field: 'body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'emptyBody',
    message: 'the JSON body is empty',
    field: 'body',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'bodyTooLarge',
    message: 'the body is larger than the limit (--body-limit)',
    field: 'body',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupportedMediaType',
    message:
      'this content-type is not accepted here: send application/json (or application/x-ndjson to /inputs)',
    field: 'content-type',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalidContentLength',
    message: 'the body does not match its content-length',
    field: 'content-length',
  },
  FST_ERR_CTP_INVALID_TYPE: {
    status: 400,
    code: 'invalidContentType',
    message: 'the content-type header is not valid',
    field: 'content-type',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'badUrl',
    message: 'the request target is not a valid URL (bad percent-encoding)',
    field: 'url',
  },
  FST_ERR_ASYNC_CONSTRAINT: {
    status: 400,
    code: 'badRequest',
    message: 'the request cannot be routed',
    field: 'url',
  },
};

/**
 * Answers every failure with a JSON error naming the field (see `ServiceErrorBody`): the
 * service's own errors as thrown, Fastify's parsing errors (bad JSON, body too large,
 * wrong content-type) by their field, a store failure with 503 (the service then stops
 * taking traffic), anything else with 500 (logged; its details are not sent).
 *
 * @example
 * ```ts
 * installErrorHandler(app, () => markNotReady());
 * ```
 */
export function installErrorHandler(
  app: FastifyInstance,
  storeFailed: (error: unknown) => void,
): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ServiceHttpError) return sendError(reply, error);
    if (error instanceof TrackingInputError) {
      return sendError(
        reply,
        new ServiceHttpError(400, error.code, error.message, error.field, error.value),
      );
    }
    if (error instanceof MonitorStoreError) {
      storeFailed(error);
      request.log.error({ code: error.code }, 'store failure: %s', error.message);
      return sendError(
        reply,
        new ServiceHttpError(
          503,
          'storeFailed',
          'the store failed; nothing of this request was kept',
        ),
      );
    }
    const known = error.code === undefined ? undefined : FASTIFY_ERRORS[error.code];
    if (known !== undefined) {
      return sendError(
        reply,
        new ServiceHttpError(known.status, known.code, known.message, known.field),
      );
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, new ServiceHttpError(error.statusCode, 'badRequest', error.message));
    }
    request.log.error({ err: error }, 'internal error');
    return sendError(reply, new ServiceHttpError(500, 'internal', 'internal error (logged)'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new ServiceHttpError(
        404,
        'notFound',
        `no route ${request.method} ${request.url.split('?')[0]}`,
        'path',
      ),
    ),
  );
}
