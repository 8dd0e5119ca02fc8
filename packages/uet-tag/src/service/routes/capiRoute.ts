import type { FastifyInstance } from 'fastify';
import { isValidId } from 'uet-tag-status/engine';
import { capiResponseOf, capiUnauthorizedResponse } from '../../capi/capiResponse.js';
import { validateCapiRequest } from '../../capi/validateCapiRequest.js';
import { capiHit } from '../../replay/hitOutcomes.js';
import { bearerTokenOf, tokensMatch } from '../bearerToken.js';
import type { IngestContext } from '../serviceContext.js';

/**
 * The Conversions API (SPEC U4): `POST /v1/{tagId}/events` with the tag's own token
 * (`Authorization: Bearer <token>`, set per tag by `capiTokens`), answered as the real API
 * answers: 401 without the tag's token, 400 with the validation's details, 200
 * `{"eventsReceived": n}` once the events are durable. Each applied event is a hit of the
 * tag at its receipt time (U5: a live collector knows it): activity, and a conversion of
 * every goal whose definition it matches.
 */
export function registerCapiRoute(app: FastifyInstance, context: IngestContext): void {
  app.post<{ Params: { tagId: string } }>(
    '/v1/:tagId/events',
    { config: { access: 'public' } },
    async (request, reply) => {
      const { tagId } = request.params;
      const expected = isValidId(tagId) ? context.config.capiTokens[tagId] : undefined;
      if (!tokensMatch(bearerTokenOf(request), expected)) {
        context.metrics.inputs.inputRejected('capi', 'unauthorized');
        const { status, body } = capiUnauthorizedResponse();
        return reply.code(status).send(body);
      }
      const receivedAt = Date.now();
      const validation = validateCapiRequest(request.body, {
        now: receivedAt,
        allowedSkewMs: context.config.allowedSkew,
      });
      if (validation.status === 200) {
        const inputs = validation.events.map((event) => ({
          kind: 'hit' as const,
          hit: capiHit(tagId, event),
          at: receivedAt,
        }));
        const result = await context.sink.submit(inputs);
        context.metrics.inputs.inputsAccepted('capi', result.applied);
        for (const refused of result.rejected)
          context.metrics.inputs.inputRejected('capi', refused.error.code);
      } else {
        context.metrics.inputs.inputRejected('capi', 'validation');
      }
      const { status, body } = capiResponseOf(validation);
      return reply.code(status).send(body);
    },
  );
}
