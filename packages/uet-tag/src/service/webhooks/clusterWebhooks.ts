import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import { ChannelListener } from '../../postgres/ChannelListener.js';
import { CHANGES_CHANNEL } from '../../postgres/commitStatements.js';
import type { ServiceConfig } from '../serviceConfig.js';
import type { ServiceLogger } from '../serviceLogger.js';
import { PostgresDeliveryQueue } from './PostgresDeliveryQueue.js';
import { WebhookDispatcher } from './WebhookDispatcher.js';

/** Webhooks delivered by a front node: started with it, stopped before its pool closes. */
export interface ClusterWebhooks {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The webhooks of a `uet-tag serve --db postgresql://…` node, configured as on a single
 * node (`webhooks`, `webhookTimeout`, `webhookAttempts`, `webhookBackoff`): a
 * {@link WebhookDispatcher} over the cluster's {@link PostgresDeliveryQueue}, woken by
 * `NOTIFY uet_changes` and every 250 ms. A delivery it takes is its own for twice the
 * attempt's timeout and a second; after that (the node was killed) any node takes it
 * again. `undefined` when no target is configured.
 *
 * @example
 * ```ts
 * const webhooks = clusterWebhooks(config, pool, app.log);
 * await webhooks?.start();
 * ```
 */
export function clusterWebhooks(
  config: ServiceConfig,
  pool: pg.Pool,
  log: ServiceLogger,
  outcome: (outcome: 'delivered' | 'failed' | 'dead') => void = () => {},
): ClusterWebhooks | undefined {
  if (config.webhooks.length === 0) return undefined;
  const node = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const queue = new PostgresDeliveryQueue({
    pool,
    targets: config.webhooks,
    node,
    claimMs: 2 * config.webhookTimeout + 1_000,
  });
  const dispatcher = new WebhookDispatcher(
    queue,
    config.webhooks,
    {
      timeoutMs: config.webhookTimeout,
      attempts: config.webhookAttempts,
      backoffMs: config.webhookBackoff,
    },
    log,
    outcome,
  );
  const listener = new ChannelListener({
    connectionString: config.db,
    channel: CHANGES_CHANNEL,
    applicationName: `uet-tag serve ${node} webhooks`,
    notified: () => dispatcher.poke(),
    failed: (message) => log.warn('%s (channel %s)', message, CHANGES_CHANNEL),
  });
  return {
    async start() {
      await listener.start();
      dispatcher.start();
    },
    async stop() {
      await listener.stop();
      await dispatcher.stop();
    },
  };
}
