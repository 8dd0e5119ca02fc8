import type pg from 'pg';
import { CLAIM_LEASE, RELEASE_LEASE } from '../postgres/leaseSql.js';

/** A lease this worker claimed. */
export interface Claim {
  readonly shard: number;
  readonly token: number;
  /** The previous holder, when another worker held the shard before. */
  readonly from: string | undefined;
}

/**
 * A worker's side of the `leases` and `workers` tables: heartbeats, claims, renewals and
 * releases, each one short statement with a lock timeout, so a lease row locked by a
 * writer that stopped mid-commit delays a claim but never hangs the worker.
 */
export class LeaseKeeper {
  constructor(
    private readonly pool: pg.Pool,
    readonly workerId: string,
    private readonly leaseTtlMs: number,
  ) {}

  /** Registers the worker (host, pid) with a first heartbeat. */
  async register(host: string, pid: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO workers (id, host, pid, lease_ttl_ms) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopped = false`,
      [this.workerId, host, pid, this.leaseTtlMs],
    );
  }

  /**
   * Renews the worker's heartbeat and its leases (the shards with their tokens); returns
   * the shards whose lease it still holds.
   */
  async renew(held: ReadonlyMap<number, number>): Promise<Set<number>> {
    await this.pool.query('UPDATE workers SET heartbeat_at = now() WHERE id = $1', [this.workerId]);
    if (held.size === 0) return new Set();
    const result = await this.pool.query<{ shard: number }>(
      `UPDATE leases AS l SET expires_at = now() + $3 * interval '1 millisecond'
       FROM unnest($1::integer[], $2::bigint[]) AS o(shard, token)
       WHERE l.shard = o.shard AND l.token = o.token RETURNING l.shard`,
      [[...held.keys()], [...held.values()], this.leaseTtlMs],
    );
    return new Set(result.rows.map((row) => row.shard));
  }

  /** How many workers are live: a heartbeat within the lease's time to live, not stopped. */
  async liveWorkers(): Promise<number> {
    const result = await this.pool.query<{ live: string }>(
      `SELECT count(*) AS live FROM workers
       WHERE NOT stopped AND heartbeat_at > now() - $1 * interval '1 millisecond'`,
      [this.leaseTtlMs],
    );
    return Math.max(1, Number(result.rows[0]?.live ?? 1));
  }

  /** Up to `count` shards whose lease expired, in random order (so workers spread out). */
  async freeShards(count: number): Promise<number[]> {
    const result = await this.pool.query<{ shard: number }>(
      'SELECT shard FROM leases WHERE expires_at <= now() ORDER BY random() LIMIT $1',
      [count],
    );
    return result.rows.map((row) => row.shard);
  }

  /**
   * Claims `shard` when its lease expired: a new fencing token. Undefined when another
   * worker claimed it first (or holds its row locked past the lock timeout).
   */
  async claim(shard: number): Promise<Claim | undefined> {
    const client = await this.pool.connect();
    // A connection cut between statements is reported by the statement that follows.
    const ignore = () => {};
    client.on('error', ignore);
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '2s'`);
      const before = await client.query<{ owner: string | null }>(
        'SELECT owner FROM leases WHERE shard = $1 AND expires_at <= now() FOR UPDATE SKIP LOCKED',
        [shard],
      );
      if (before.rows.length === 0) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const claimed = await client.query<{ token: string }>(CLAIM_LEASE, [
        shard,
        this.workerId,
        this.leaseTtlMs,
      ]);
      const previous = before.rows[0]?.owner ?? null;
      const from = previous !== null && previous !== this.workerId ? previous : undefined;
      if (from !== undefined) {
        await client.query('UPDATE workers SET takeovers = takeovers + 1 WHERE id = $1', [
          this.workerId,
        ]);
      }
      await client.query('COMMIT');
      const token = claimed.rows[0]?.token;
      return token === undefined ? undefined : { shard, token: Number(token), from };
    } catch (error) {
      broken = true;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  /** Gives up a lease at once, so another worker may claim it without waiting. */
  async release(shard: number, token: number): Promise<void> {
    await this.pool.query(RELEASE_LEASE, [shard, token]);
  }

  /** Marks the worker stopped, so the others count it out at once. */
  async stop(): Promise<void> {
    await this.pool.query('UPDATE workers SET stopped = true WHERE id = $1', [this.workerId]);
  }
}
