import { MonitorStoreError } from 'uet-tag-status';
import { ENSURE_LEASES } from './leaseSql.js';
import { SyncPostgres } from './SyncPostgres.js';
import { ensureSchema } from './schema.js';

/** Where a cluster of workers keeps everything: a database and a schema in it. */
export interface ClusterLocation {
  /** A `postgresql://` URL. */
  readonly connectionString: string;
  /** @default 'uet' */
  readonly schema?: string;
}

/** The shard count of a cluster prepared without one. */
export const DEFAULT_SHARDS = 16;

/** The most shards a cluster may have. */
export const MAX_SHARDS = 4_096;

/**
 * Makes a cluster's schema ready (created or migrated) with `shardCount` shards (the
 * schema's own count when left out, or {@link DEFAULT_SHARDS} for a new schema), each with
 * its lease and input log head, and returns the shard count. The count is fixed when the
 * schema is first prepared; asking for another one later is refused, since tags are placed
 * by a hash modulo the count. Idempotent, and safe for processes starting together.
 *
 * @example
 * ```ts
 * prepareCluster({ connectionString: 'postgresql://postgres@127.0.0.1/test' }, 16); // 16
 * ```
 * @throws `MonitorStoreError` `io` for another shard count, or what `ensureSchema` throws.
 */
export function prepareCluster(location: ClusterLocation, shardCount?: number): number {
  const schema = location.schema ?? 'uet';
  const description = `PostgreSQL schema ${schema}`;
  if (
    shardCount !== undefined &&
    (!Number.isSafeInteger(shardCount) || shardCount < 1 || shardCount > MAX_SHARDS)
  ) {
    throw new MonitorStoreError(
      'io',
      description,
      `shards is ${shardCount}, not an integer from 1 to ${MAX_SHARDS}`,
    );
  }
  const sql = new SyncPostgres({ connectionString: location.connectionString });
  try {
    ensureSchema(sql, schema, description);
    const scoped = new SyncPostgres({ connectionString: location.connectionString, schema });
    try {
      const [, found] = scoped.run(
        [
          {
            text: `INSERT INTO uet_meta VALUES ('shard_count', $1::text) ON CONFLICT DO NOTHING`,
            values: [String(shardCount ?? DEFAULT_SHARDS)],
          },
          { text: `SELECT value FROM uet_meta WHERE key = 'shard_count'` },
        ],
        'write',
      );
      const stored = Number(found?.[0]?.[0]);
      if (!Number.isSafeInteger(stored) || stored < 1) {
        throw new MonitorStoreError(
          'io',
          description,
          'has no shard count yet: start a worker with --shards <n> first',
        );
      }
      if (shardCount !== undefined && stored !== shardCount) {
        throw new MonitorStoreError(
          'io',
          description,
          `has ${stored} shards, not ${shardCount}: the count is fixed when the schema is made`,
        );
      }
      const shards = Array.from({ length: stored }, (_, shard) => shard);
      scoped.run(
        [
          { text: ENSURE_LEASES, values: [shards] },
          {
            text: 'INSERT INTO input_heads (shard) SELECT unnest($1::integer[]) ON CONFLICT DO NOTHING',
            values: [shards],
          },
        ],
        'write',
      );
      return stored;
    } catch (error) {
      if (error instanceof MonitorStoreError) throw error;
      throw new MonitorStoreError(
        'io',
        description,
        `cannot prepare the shards: ${(error as Error).message}`,
        error,
      );
    } finally {
      scoped.close();
    }
  } finally {
    sql.close();
  }
}
