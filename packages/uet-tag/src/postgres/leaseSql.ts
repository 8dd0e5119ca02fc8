import type { SqlStatement } from './SyncPostgres.js';

/**
 * The SQL of shard leases, shared by the store (which checks its lease in every commit)
 * and the workers (which claim, renew and release them). A lease is a row of `leases`:
 * its owner, an expiry, and a fencing token that grows by one at every claim, so that a
 * writer whose lease moved on is refused by the check in its own transaction.
 */

/** Makes sure shards `$1::integer[]` have a lease row (unowned, expired). */
export const ENSURE_LEASES = `INSERT INTO leases (shard) SELECT unnest($1::integer[]) ON CONFLICT DO NOTHING`;

/**
 * Claims shard `$1` for owner `$2` for `$3` ms when its lease expired (or is the owner's
 * own): a new token, returned. No row when another owner holds it.
 */
export const CLAIM_LEASE = `UPDATE leases
  SET owner = $2, token = token + 1, expires_at = now() + $3 * interval '1 millisecond',
      acquired_at = now()
  WHERE shard = $1 AND (expires_at <= now() OR owner = $2)
  RETURNING token`;

/**
 * The fence of every write: the lease of shard `$1` still has token `$2`, and lasts at
 * least `$3` ms more. It locks the lease row until the transaction ends, so a claim waits
 * for a commit in flight and then sees the state it wrote. One row, or the lease moved.
 */
export const FENCE = `UPDATE leases
  SET expires_at = GREATEST(expires_at, now() + $3 * interval '1 millisecond')
  WHERE shard = $1 AND token = $2
  RETURNING token`;

/**
 * The {@link FENCE} of shard `shard` under `token`, extending the lease to `leaseTtlMs`:
 * it fails (one row expected) when the lease moved to another writer.
 */
export function fenceStatement(shard: number, token: number, leaseTtlMs: number): SqlStatement {
  return {
    text: FENCE,
    values: [shard, token, leaseTtlMs],
    expectRows: 1,
    unexpected: `the lease of shard ${shard} moved to another writer (token ${token} is no longer current)`,
  };
}

/** Who holds shard `$1`'s lease, and for how long yet (ms, negative once expired). */
export const LEASE_HOLDER = `SELECT owner, token,
  (EXTRACT(EPOCH FROM (expires_at - now())) * 1000)::float8 FROM leases WHERE shard = $1`;

/** Gives up shard `$1`'s lease with token `$2`: expired at once, so any worker may claim it. */
export const RELEASE_LEASE = `UPDATE leases SET expires_at = '-infinity'
  WHERE shard = $1 AND token = $2`;
