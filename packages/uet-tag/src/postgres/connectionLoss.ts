/**
 * Whether a `pg` error means the connection to PostgreSQL was lost (a terminated backend,
 * a restart, a cut network: SQLSTATE classes 08 and 57P0, or a socket error), after which
 * the same request may be tried again on a new connection; any other error is about the
 * request itself.
 *
 * @example
 * ```ts
 * if (!isConnectionLoss(error)) throw error;
 * ```
 */
export function isConnectionLoss(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return /^(57P0|08)|^ECONN|^EPIPE/.test(code) || /Connection terminated/.test(String(error));
}
