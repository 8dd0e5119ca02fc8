import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../serviceContext.js';

/**
 * `GET /healthz`: 200 while the process serves requests. `GET /readyz`: 200 while it takes
 * traffic, 503 once it is shutting down or its store failed (a load balancer then stops
 * sending it requests).
 */
export function registerHealthRoutes(app: FastifyInstance, context: ServiceContext): void {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    const ready = context.ready();
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', tags: context.monitor.size });
  });
}
