import { type FastifyServerOptions, LogController } from 'fastify';
import type { ServiceConfig } from './serviceConfig.js';
import { serviceLoggerOptions } from './serviceLogger.js';
import type { ServiceOptions } from './serviceOptions.js';

/** Fastify's options for the service: logging, limits and timeouts from the configuration. */
export function fastifyOptions(
  config: ServiceConfig,
  options: ServiceOptions,
): FastifyServerOptions {
  return {
    logger: serviceLoggerOptions(config, options.logStream),
    // A line per request costs more than the request itself at thousands of hits a second:
    // request logs are for --log-level debug or trace.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeout,
    // Node checks request timeouts every 30 s by default: far too late against slowloris.
    ...({
      http: {
        headersTimeout: config.requestTimeout,
        connectionsCheckingInterval: Math.max(
          50,
          Math.min(1_000, Math.floor(config.requestTimeout / 4)),
        ),
      },
    } as object),
    connectionTimeout: 0,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 1_024 },
  };
}
