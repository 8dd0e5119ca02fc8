import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../serviceContext.js';
import type { WebhookOutbox } from '../webhooks/WebhookOutbox.js';
import { webhookTargetId } from '../webhooks/webhookTargets.js';

/**
 * The webhook outbox for operators (admin token): `GET /admin/webhooks` lists the targets
 * (URL, pattern, cursor in the change log; never the secret), the counts of pending and
 * dead deliveries and the dead ones (up to 100, with their last error);
 * `POST /admin/webhooks/retry-dead` makes every dead delivery pending again.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  context: ServiceContext,
  outbox: WebhookOutbox,
): void {
  const admin = { config: { access: 'admin' as const } };
  app.get('/admin/webhooks', admin, async () => ({
    targets: context.config.webhooks.map((target) => ({
      url: target.url,
      tags: target.tags,
      cursor: outbox.cursor(webhookTargetId(target)),
    })),
    counts: outbox.counts(),
    dead: outbox.list('dead', 100).map(({ body: _body, ...delivery }) => delivery),
  }));
  app.post('/admin/webhooks/retry-dead', admin, async () => ({
    revived: outbox.revive(Date.now()),
  }));
}
