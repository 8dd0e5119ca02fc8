import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * The token a request carries: `Authorization: Bearer <token>`, or the `access_token`
 * query parameter (for `EventSource`, which cannot set headers); `undefined` without one.
 *
 * @example
 * ```ts
 * bearerTokenOf(request); // 'k9…' for Authorization: Bearer k9…
 * ```
 */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.access_token;
  return typeof fromQuery === 'string' && fromQuery !== '' ? fromQuery : undefined;
}

/**
 * Whether `given` is `expected`, in a time that does not depend on where they differ.
 *
 * @example
 * ```ts
 * tokensMatch(bearerTokenOf(request), config.readToken);
 * ```
 */
export function tokensMatch(given: string | undefined, expected: string | undefined): boolean {
  if (given === undefined || expected === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
