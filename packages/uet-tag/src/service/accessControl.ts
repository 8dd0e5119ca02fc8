import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerTokenOf, tokensMatch } from './bearerToken.js';
import { ServiceHttpError } from './ServiceHttpError.js';
import type { ServiceConfig } from './serviceConfig.js';

/**
 * Who may call a route: anyone that may connect (`public`: the collector, the Conversions
 * API with its per-tag tokens, health checks, the status page's files), or the holder of
 * the write, read or admin token. The admin token opens every route; the write token
 * also opens what the read token opens.
 */
export type RouteAccess = 'public' | 'write' | 'read' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (see RouteAccess); `read` when left out. */
    access?: RouteAccess;
  }
}

/** Whether an address is the loopback interface's (IPv4, IPv6, or IPv4 mapped in IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** Whether any token is configured; without one, only loopback clients may connect. */
export function hasTokens(config: ServiceConfig): boolean {
  return (
    config.writeToken !== undefined ||
    config.readToken !== undefined ||
    config.adminToken !== undefined
  );
}

/**
 * Checks every request against its route's access (see {@link RouteAccess}): 401 without
 * a token that opens it. With no token configured at all, every route is open but only to
 * loopback clients (403 to anyone else), as the service says when it starts.
 *
 * @example
 * ```ts
 * installAccessControl(app, config);
 * app.get('/tags', { config: { access: 'read' } }, handler);
 * ```
 */
export function installAccessControl(app: FastifyInstance, config: ServiceConfig): void {
  const open = !hasTokens(config);
  app.addHook('onRequest', async (request) => {
    if (open) {
      if (!isLoopback(request.socket.remoteAddress)) {
        throw new ServiceHttpError(
          403,
          'loopbackOnly',
          'no token is configured, so only loopback clients may connect',
        );
      }
      return;
    }
    const access = request.routeOptions.config?.access ?? 'read';
    if (access === 'public') return;
    if (!allowed(request, access, config)) {
      throw new ServiceHttpError(
        401,
        'unauthorized',
        `this route needs the ${access} token (Authorization: Bearer <token>)`,
        'authorization',
      );
    }
  });
}

function allowed(request: FastifyRequest, access: RouteAccess, config: ServiceConfig): boolean {
  const token = bearerTokenOf(request);
  if (tokensMatch(token, config.adminToken)) return true;
  if (access === 'admin') return false;
  if (tokensMatch(token, config.writeToken)) return true;
  return access === 'read' && tokensMatch(token, config.readToken);
}
