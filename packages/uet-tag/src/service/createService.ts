import Fastify from 'fastify';
import {
  createMemoryStore,
  createTagMonitor,
  type MonitorStore,
  type TagMonitor,
} from 'uet-tag-status';
import type { SqliteMonitorStore } from '../sqlite/sqliteStore.js';
import { hasTokens, installAccessControl } from './accessControl.js';
import { ChangeFeed } from './ChangeFeed.js';
import { monitorCampaignSource } from './campaignStatusSource.js';
import { DeadlineWarnings } from './DeadlineWarnings.js';
import { DurableChanges } from './DurableChanges.js';
import { installErrorHandler } from './errorHandler.js';
import { fastifyOptions } from './fastifyOptions.js';
import { GroupCommitter } from './GroupCommitter.js';
import { registerAdminRoutes } from './routes/adminRoutes.js';
import { registerCampaignManagementRoutes } from './routes/campaignManagementRoutes.js';
import { registerCapiRoute } from './routes/capiRoute.js';
import { registerChangesRoute } from './routes/changesRoute.js';
import { registerCollectorRoutes } from './routes/collectorRoutes.js';
import { registerHealthRoutes } from './routes/healthRoutes.js';
import { registerInputsRoute } from './routes/inputsRoute.js';
import { registerMetricsRoute } from './routes/metricsRoute.js';
import { registerQueryRoutes } from './routes/queryRoutes.js';
import { registerStatusPageRoute } from './routes/statusPageRoute.js';
import { ServiceConfigError } from './ServiceConfigError.js';
import { ServiceMetrics } from './ServiceMetrics.js';
import { isPostgresUrl, type ServiceConfig } from './serviceConfig.js';
import type { ServiceContext } from './serviceContext.js';
import type { RunningService, ServiceOptions } from './serviceOptions.js';
import { monitorDeliveryQueue } from './webhooks/monitorDeliveryQueue.js';
import { WebhookDispatcher } from './webhooks/WebhookDispatcher.js';
import { createMemoryOutbox, type WebhookOutbox } from './webhooks/WebhookOutbox.js';

export type { ServiceOptions } from './serviceOptions.js';

/** A running service: its HTTP server, its monitor, and how to stop it. */
export interface Service extends RunningService {
  readonly monitor: TagMonitor;
}

/**
 * Creates the `uet-tag serve` service on Fastify: the monitor on its store (SQLite, or in
 * memory), the collector and Conversions API endpoints, `POST /inputs`, the queries, the
 * change stream, metrics, webhooks and the status page. Every input is answered once it
 * is durable; concurrent requests share one commit (see {@link GroupCommitter}).
 *
 * @example
 * ```ts
 * const service = await createService(loadServiceConfig({ flags: { memory: true, port: 0 } }));
 * const url = await service.listen();
 * await fetch(`${url}/action/0?ti=5`); // 204
 * await service.close();
 * ```
 * @throws {@link MonitorStoreError} when the store cannot be opened.
 * @throws {@link ServiceConfigError} for a `postgresql://` `db` without `memory`: such a
 * node has no monitor of its own, see `createFrontService`.
 */
export async function createService(
  config: ServiceConfig,
  options: ServiceOptions = {},
): Promise<Service> {
  if (!config.memory && isPostgresUrl(config.db)) {
    throw new ServiceConfigError([
      `db: ${config.db} is a PostgreSQL database: a node in front of a cluster is made by createFrontService`,
    ]);
  }
  const sqlite = config.memory ? undefined : await sqliteStore(config);
  const store: MonitorStore =
    sqlite ?? createMemoryStore({ changeLogLimit: config.changeLogLimit });
  let failed = false;
  let closing = false;
  const monitor = createTagMonitor({
    store,
    autoRegister: true,
    clock: options.clock,
    windows: {
      activityWindowMs: config.activityWindow,
      conversionWindowMs: config.conversionWindow,
    },
    allowedSkewMs: config.allowedSkew,
    historyLimit: config.history,
    onError: (error) => {
      failed = true;
      app.log.error({ err: error }, 'monitor failure');
    },
  });
  const app = Fastify(fastifyOptions(config, options));
  const outbox: WebhookOutbox = sqlite?.outbox ?? createMemoryOutbox();
  const durableFailure = (error: unknown) => {
    failed = true;
    app.log.error({ err: error }, 'the store could not make commits durable');
  };
  // The store syncs off the event loop: what the start-up committed is synced first, then
  // changes go out (stream, webhooks) and requests are answered only once durable.
  if (sqlite !== undefined) await sqlite.sync();
  const changes =
    sqlite === undefined ? monitor : new DurableChanges(monitor, sqlite.sync, durableFailure);
  const feed = new ChangeFeed(changes);
  const metrics = new ServiceMetrics(monitor, {
    perTag: config.metricsPerTag,
    feedSize: () => feed.size,
    outboxPending: () => outbox.counts().pending,
  });
  const committer = new GroupCommitter(monitor, {
    intervalMs: config.commitInterval,
    durable: sqlite?.sync,
    committed: (_inputs, seconds) => metrics.inputs.committed(seconds),
    failed: durableFailure,
  });
  const context: ServiceContext = {
    config,
    monitor,
    sink: committer,
    feed,
    metrics,
    ready: () => !failed && !closing,
  };
  installErrorHandler(app, () => {
    failed = true;
  });
  installAccessControl(app, config);
  registerHealthRoutes(app, () => ({ ready: context.ready(), tags: monitor.size }));
  registerInputsRoute(app, context);
  await registerCollectorRoutes(app, context);
  registerCapiRoute(app, context);
  registerChangesRoute(app, context);
  registerMetricsRoute(app, context);
  registerQueryRoutes(app, context);
  registerCampaignManagementRoutes(app, monitorCampaignSource(monitor));
  registerAdminRoutes(app, config.webhooks, outbox);
  registerStatusPageRoute(app);
  const dispatcher =
    config.webhooks.length === 0
      ? undefined
      : new WebhookDispatcher(
          monitorDeliveryQueue(changes, outbox, config.webhooks),
          config.webhooks,
          {
            timeoutMs: config.webhookTimeout,
            attempts: config.webhookAttempts,
            backoffMs: config.webhookBackoff,
          },
          app.log,
          (outcome) => metrics.delivery(outcome),
        );
  const warnings =
    config.warnBefore === undefined
      ? undefined
      : new DeadlineWarnings(monitor, config.warnBefore, (warning) => {
          metrics.warned();
          feed.warn(warning);
          void dispatcher?.warn(warning);
        });
  let unsubscribe = () => {};
  const keepAlive = setInterval(() => feed.keepAlive(), 15_000);
  keepAlive.unref();
  app.addHook('preClose', async () => {
    closing = true;
    clearInterval(keepAlive);
    feed.close();
  });

  return {
    app,
    monitor,
    async listen() {
      const address = await app.listen({ host: config.host, port: config.port });
      if (dispatcher !== undefined) {
        unsubscribe = changes.subscribe(() => dispatcher.poke());
        dispatcher.start();
      }
      warnings?.start();
      app.log.info(
        {
          windows: monitor.windows,
          tags: monitor.size,
          store: config.memory ? 'memory' : store.description,
        },
        hasTokens(config)
          ? 'uet-tag serve listening at %s'
          : 'uet-tag serve listening at %s; no token is configured, so only loopback clients may connect',
        address,
      );
      return address;
    },
    async close() {
      if (closing && app.server.listening === false) return;
      warnings?.stop();
      unsubscribe();
      await app.close();
      await committer.close();
      await dispatcher?.stop();
      monitor.close();
    },
  };
}

/** The SQLite store, loaded only when it is used (so `--memory` needs no native module). */
async function sqliteStore(config: ServiceConfig): Promise<SqliteMonitorStore> {
  const { createSqliteStore } = await import('../sqlite/index.js');
  return createSqliteStore({
    path: config.db,
    changeLogLimit: config.changeLogLimit,
    synchronous: config.synchronous,
    deferSync: true,
  });
}
