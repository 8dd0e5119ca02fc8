import Fastify from 'fastify';
import { MonitorStoreError } from 'uet-tag-status';
import { prepareCluster } from '../postgres/cluster.js';
import { createClusterPool } from '../postgres/clusterPool.js';
import { summarizeCluster } from '../postgres/clusterQueries.js';
import { hasTokens, installAccessControl } from './accessControl.js';
import { ClusterChangeFeed } from './ClusterChangeFeed.js';
import { clusterCampaignSource } from './clusterCampaignSource.js';
import { clusterDeadlines } from './clusterDeadlines.js';
import { installErrorHandler } from './errorHandler.js';
import { fastifyOptions } from './fastifyOptions.js';
import { IngestMetrics } from './IngestMetrics.js';
import { PostgresInputSink } from './PostgresInputSink.js';
import { registerAdminRoutes } from './routes/adminRoutes.js';
import { registerCampaignManagementRoutes } from './routes/campaignManagementRoutes.js';
import { registerCapiRoute } from './routes/capiRoute.js';
import { registerChangesRoute } from './routes/changesRoute.js';
import { registerClusterQueryRoutes } from './routes/clusterQueryRoutes.js';
import { registerCollectorRoutes } from './routes/collectorRoutes.js';
import { registerHealthRoutes } from './routes/healthRoutes.js';
import { registerInputsRoute } from './routes/inputsRoute.js';
import { registerMetricsRoute } from './routes/metricsRoute.js';
import { registerStatusPageRoute } from './routes/statusPageRoute.js';
import { ServiceConfigError } from './ServiceConfigError.js';
import type { ServiceConfig } from './serviceConfig.js';
import type { IngestContext } from './serviceContext.js';
import type { RunningService, ServiceOptions } from './serviceOptions.js';
import { clusterWebhooks } from './webhooks/clusterWebhooks.js';

/**
 * Creates a `uet-tag serve --db postgresql://…` node: a stateless front of a cluster of
 * workers. It holds no monitor; the collector, the Conversions API and `POST /inputs` read
 * requests exactly as the single-node service does and append their inputs to the
 * cluster's input log, answering once the append committed (so any node may be killed at
 * any time without losing an acknowledged input). The shards' owners (`uet-tag worker`)
 * apply them in order. `/healthz`, `/readyz` (503 while PostgreSQL does not answer) and
 * `/metrics` (input counters, the cluster's tags and goals per status) are served too, and
 * every read from the cluster's tables: the queries, the Campaign Management stand-in,
 * `GET /changes` (the cluster's change log, resumable on any node: see
 * {@link ClusterChangeFeed}) and the status page. Webhooks are delivered as on a single
 * node, from the cluster's outbox shared by every front node (see `PostgresDeliveryQueue`).
 * The cluster's schema is prepared as a
 * worker without `--shards` prepares it.
 *
 * @example
 * ```ts
 * const node = await createFrontService(
 *   loadServiceConfig({ flags: { db: 'postgresql://postgres@127.0.0.1/test', port: 0 } }),
 * );
 * await fetch(`${await node.listen()}/action/0?ti=5`); // 204 once in the input log
 * ```
 * @throws {@link MonitorStoreError} `io` when the cluster's schema cannot be prepared.
 * @throws {@link ServiceConfigError} for `warnBefore`: the workers warn (`uet-tag worker --warn-before`).
 */
export async function createFrontService(
  config: ServiceConfig,
  options: ServiceOptions = {},
): Promise<RunningService> {
  if (config.warnBefore !== undefined) {
    throw new ServiceConfigError([
      `warnBefore: ${config.warnBefore} ms on a node in front of a cluster: the shard owners warn, give uet-tag worker --warn-before`,
    ]);
  }
  const location = { connectionString: config.db, schema: config.schema };
  prepareCluster(location);
  const pool = createClusterPool(config.db, config.schema, 8, 'uet-tag serve');
  let closing = false;
  const app = Fastify(fastifyOptions(config, options));
  const feed = new ClusterChangeFeed(pool, {
    connectionString: config.db,
    failed: (error) => app.log.warn({ err: error }, 'reading the change log failed'),
  });
  const metrics = new IngestMetrics({
    counts: () => summarizeCluster(pool),
    feedSize: () => feed.size,
    deadlines: config.metricsPerTag ? () => clusterDeadlines(pool) : undefined,
    webhooksPending: async () => (await webhooks.outbox.counts()).pending,
  });
  const sink = new PostgresInputSink(pool, {
    committed: (_inputs, seconds) => metrics.inputs.committed(seconds),
  });
  const context: IngestContext = { config, sink, metrics };
  const description = `PostgreSQL schema ${config.schema}`;
  installErrorHandler(app, () => {});
  installAccessControl(app, config);
  registerHealthRoutes(app, async () => {
    if (closing) return { ready: false, store: description };
    const answered = await pool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return { ready: answered, store: description };
  });
  registerInputsRoute(app, context);
  await registerCollectorRoutes(app, context);
  registerCapiRoute(app, context);
  registerMetricsRoute(app, context);
  registerClusterQueryRoutes(app, pool);
  const webhooks = clusterWebhooks(config, pool, app.log, (outcome) => metrics.delivery(outcome));
  registerAdminRoutes(app, config.webhooks, webhooks.outbox);
  registerChangesRoute(app, { feed });
  registerCampaignManagementRoutes(app, clusterCampaignSource(pool));
  registerStatusPageRoute(app);
  const keepAlive = setInterval(() => feed.keepAlive(), 15_000);
  keepAlive.unref();
  app.addHook('preClose', async () => {
    closing = true;
    clearInterval(keepAlive);
    await feed.close();
  });
  return {
    app,
    async listen() {
      await feed.start();
      const address = await app.listen({ host: config.host, port: config.port });
      await webhooks.start();
      app.log.info(
        { store: description, front: true },
        hasTokens(config)
          ? 'uet-tag serve listening at %s'
          : 'uet-tag serve listening at %s; no token is configured, so only loopback clients may connect',
        address,
      );
      return address;
    },
    async close() {
      if (closing && app.server.listening === false) return;
      await app.close();
      await webhooks.stop();
      await pool.end();
    },
  };
}
