import type { FastifyInstance } from 'fastify';

/** Whether the service takes traffic, with details for the `/readyz` answer. */
export interface Readiness {
  readonly ready: boolean;
  readonly [detail: string]: unknown;
}

/**
 * `GET /healthz`: 200 while the process serves requests. `GET /readyz`: 200 while it takes
 * traffic, 503 once it is shutting down or its store failed (a load balancer then stops
 * sending it requests); the body carries `readiness`'s details.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  readiness: () => Readiness | Promise<Readiness>,
): void {
  app.get('/healthz', { config: { access: 'public' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
    const { ready, ...details } = await readiness();
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', ...details });
  });
}
