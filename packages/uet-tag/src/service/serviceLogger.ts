import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { ServiceConfig } from './serviceConfig.js';

interface LoggedRequest {
  readonly id?: string;
  readonly method: string;
  readonly url: string;
  readonly ip?: string;
  readonly headers?: Record<string, unknown>;
  readonly routeOptions?: { readonly url?: string };
}

/**
 * The service's structured logs: Fastify's pino, JSON lines with levels. Unless
 * `logPersonalData` is set, a request is logged by its method and route only: no client
 * address, user agent, query string (beacons carry visitor ids and page URLs) or token;
 * the `authorization` header is never logged.
 *
 * @example
 * ```ts
 * Fastify({ logger: serviceLoggerOptions(config, process.stdout) });
 * ```
 */
export function serviceLoggerOptions(
  config: ServiceConfig,
  stream: { write(line: string): unknown } | undefined,
): FastifyServerOptions['logger'] {
  const personal = config.logPersonalData;
  return {
    level: config.logLevel,
    ...(stream === undefined ? {} : { stream }),
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], remove: true },
    serializers: {
      req(request: LoggedRequest) {
        const path = request.routeOptions?.url ?? request.url.split('?')[0];
        if (!personal) return { id: request.id, method: request.method, route: path };
        return {
          id: request.id,
          method: request.method,
          url: request.url,
          remoteAddress: request.ip,
          userAgent: request.headers?.['user-agent'],
        };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}

/** A logger's type, for modules that log outside a request. */
export type ServiceLogger = FastifyBaseLogger;
