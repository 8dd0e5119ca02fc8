import type { FastifyInstance } from 'fastify';
import type { WebhookOutboxAdmin } from '../webhooks/WebhookOutbox.js';
import { type WebhookTarget, webhookTargetId } from '../webhooks/webhookTargets.js';

/**
 * The webhook outbox for operators (admin token): `GET /admin/webhooks` lists the targets
 * (URL, pattern, cursor in the change log, per shard on a cluster, `null` before its
 * first round; never the secret), the counts of pending and dead deliveries and the dead
 * ones (up to 100, with their last error); `POST /admin/webhooks/retry-dead` makes every
 * dead delivery pending again.
 */
export function registerAdminRoutes(
  app: FastifyInstance,
  targets: readonly WebhookTarget[],
  outbox: WebhookOutboxAdmin,
): void {
  const admin = { config: { access: 'admin' as const } };
  app.get('/admin/webhooks', admin, async () => ({
    targets: await Promise.all(
      targets.map(async (target) => ({
        url: target.url,
        tags: target.tags,
        cursor: (await outbox.cursor(webhookTargetId(target))) ?? null,
      })),
    ),
    counts: await outbox.counts(),
    dead: (await outbox.list('dead', 100)).map(({ body: _body, ...delivery }) => delivery),
  }));
  app.post('/admin/webhooks/retry-dead', admin, async () => ({
    revived: await outbox.revive(Date.now()),
  }));
}
