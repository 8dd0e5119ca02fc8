import type { FastifyReply } from 'fastify';
import type { ServiceHttpError } from './ServiceHttpError.js';

/**
 * Answers with a {@link ServiceHttpError}.
 *
 * @example
 * ```ts
 * return sendError(reply, new ServiceHttpError(404, 'unknownTag', 'no tag 5 is registered', 'tagId', '5'));
 * ```
 */
export function sendError(reply: FastifyReply, error: ServiceHttpError): FastifyReply {
  return reply.code(error.statusCode).type('application/json').send(error.body());
}
