import type { FastifyInstance } from 'fastify';
import type { InputMetrics } from '../serviceContext.js';

/** `GET /metrics`: the Prometheus text exposition of the service's metrics (read token). */
export function registerMetricsRoute(
  app: FastifyInstance,
  context: { readonly metrics: Pick<InputMetrics, 'registry'> },
): void {
  app.get('/metrics', { config: { access: 'read' } }, async (_request, reply) => {
    const { registry } = context.metrics;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
