import pg from 'pg';
import { quoteIdentifier } from './SyncPostgres.js';

/**
 * A `pg` pool whose connections work in the cluster's schema, for {@link appendInputs}
 * and the workers' control queries. Errors of idle connections (a terminated backend) are
 * dropped: the pool replaces the connection at the next query.
 *
 * @example
 * ```ts
 * const pool = createClusterPool('postgresql://postgres@127.0.0.1/test', 'uet');
 * ```
 */
export function createClusterPool(
  connectionString: string,
  schema = 'uet',
  max = 4,
  applicationName = 'uet-tag',
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    options: `-c search_path=${quoteIdentifier(schema)}`,
    application_name: applicationName,
  });
  pool.on('error', () => {});
  return pool;
}
