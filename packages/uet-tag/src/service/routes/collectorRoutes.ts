import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseBeacon, TrackingInputError, type UetHit } from 'uet-tag-status';
import { ServiceHttpError } from '../ServiceHttpError.js';
import type { IngestContext } from '../serviceContext.js';

const BEACON_PATHS = ['/action/0', '/actionp/0'] as const;

/** Anyone may send hits, as to Microsoft's collector. */
const PUBLIC = { config: { access: 'public' as const } };

/**
 * The collector (SPEC U1, U2): `GET /action/0?…` and `POST /actionp/0?…` (either method on
 * either path; a POST body is ignored), answered `204 No Content` like Microsoft's
 * collector once the hit is durable: activity of its tag at its receipt time, and a
 * conversion of every goal of the tag whose definition it matches (SPEC M1–M7; goals
 * registered with `conversionGoals`). A tag that is not registered yet is registered by
 * its first hit. CORS is open here (and only
 * here), so pages on any origin can send hits. A hit without a valid `ti`, or with a
 * badly encoded parameter that carries meaning, is refused with 400 naming the parameter.
 */
export async function registerCollectorRoutes(
  app: FastifyInstance,
  context: IngestContext,
): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(cors, {
      preflight: false,
      delegator: (request, callback) =>
        callback(
          null,
          isBeaconPath(request.url) ? { origin: '*', methods: ['GET', 'POST'] } : { origin: false },
        ),
    });
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) =>
      done(null, undefined),
    );
    const handler = (request: FastifyRequest, reply: FastifyReply) =>
      collect(request, reply, context);
    for (const path of BEACON_PATHS) {
      scope.get(path, PUBLIC, handler);
      scope.post(path, PUBLIC, handler);
      scope.options(path, PUBLIC, async (_request, reply) =>
        reply
          .code(204)
          .header('access-control-allow-methods', 'GET, POST')
          .header('access-control-allow-headers', 'content-type')
          .send(),
      );
      scope.route({
        method: ['PUT', 'DELETE', 'PATCH'],
        url: path,
        ...PUBLIC,
        handler: async (_request, reply) => {
          reply.header('allow', 'GET, POST, OPTIONS');
          throw new ServiceHttpError(
            405,
            'methodNotAllowed',
            `${path} takes GET or POST`,
            'method',
          );
        },
      });
    }
  });
}

/** Whether a request target's path is one of the collector's. */
function isBeaconPath(url: string): boolean {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  return (BEACON_PATHS as readonly string[]).includes(path);
}

async function collect(
  request: FastifyRequest,
  reply: FastifyReply,
  context: IngestContext,
): Promise<FastifyReply> {
  const receivedAt = Date.now();
  let hit: UetHit;
  try {
    hit = parseBeacon(request.url);
  } catch (error) {
    if (!(error instanceof TrackingInputError)) throw error;
    context.metrics.inputs.inputRejected('collector', error.code);
    throw new ServiceHttpError(400, error.code, error.message, error.field, error.value);
  }
  const result = await context.sink.submit([{ kind: 'hit', hit, at: receivedAt }]);
  const refused = result.rejected[0];
  if (refused !== undefined) {
    context.metrics.inputs.inputRejected('collector', refused.error.code);
    const { code, message, field, value } = refused.error;
    throw new ServiceHttpError(400, code, message, field, value);
  }
  context.metrics.inputs.inputsAccepted('collector', 1);
  return reply.code(204).send();
}
