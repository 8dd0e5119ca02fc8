import pg from 'pg';
import { Wakeup } from '../cluster/Wakeup.js';
import { type FeedChange, readChangeFeed } from './changeFeed.js';
import { CHANGES_CHANNEL } from './commitStatements.js';
import { isConnectionLoss } from './connectionLoss.js';
import { quoteIdentifier } from './SyncPostgres.js';

/** Changes a follower asked for that the change log no longer keeps (it keeps the last ones per shard). */
export interface FeedGap {
  readonly shard: number;
  /** The last `seq` the follower had of the shard. */
  readonly after: number;
  /** The first `seq` it got instead. */
  readonly next: number;
}

/** Options of {@link followChangeFeed}. */
export interface FollowChangeFeedOptions {
  /** The cluster's pool (`createClusterPool`), for the reads. */
  readonly pool: pg.Pool;
  /** The database, for the connection that LISTENs. */
  readonly connectionString: string;
  /**
   * The last `seq` had per shard (a shard left out is read from its start); moved on as
   * changes are yielded, so that it is the resume point at any time.
   */
  readonly cursors: Map<number, number>;
  /** Stops following: the generator returns. */
  readonly signal: AbortSignal;
  /**
   * How long to wait for a notification before reading anyway (a lost notification costs
   * at most this).
   * @default 1000
   */
  readonly pollMs?: number;
  /** Told of changes that are no longer kept, before the first change after them. */
  readonly onGap?: (gap: FeedGap) => void;
  /** Told when the connection to PostgreSQL was lost (the follower tries again). */
  readonly onConnectionLoss?: (error: unknown) => void;
}

/**
 * Follows a cluster's change log: yields every committed change after the cursors, in
 * `seq` order within each shard, then waits for the next `NOTIFY uet_changes` (or
 * `pollMs`) and reads again, until `signal` aborts. A lost connection is reported and
 * retried from the cursors, so nothing is skipped or yielded twice within one follower;
 * a consumer that resumes from the cursors it saved after processing gets each change at
 * least once (deduplicate by `tagId` and `tagSeq`). Other errors (no such schema) end it.
 *
 * @example
 * ```ts
 * const cursors = new Map<number, number>();
 * for await (const change of followChangeFeed({ pool, connectionString, cursors, signal })) {
 *   console.log(change.tagId, change.to);
 * }
 * ```
 */
export async function* followChangeFeed(
  options: FollowChangeFeedOptions,
): AsyncGenerator<FeedChange> {
  const { pool, cursors, signal } = options;
  const wakeup = new Wakeup();
  const wake = () => wakeup.wake();
  signal.addEventListener('abort', wake, { once: true });
  let listener: pg.Client | undefined;
  try {
    while (!signal.aborted) {
      let changes: FeedChange[];
      try {
        listener ??= await listen(options.connectionString, wake, () => {
          listener = undefined;
        });
        changes = await readChangeFeed(pool, cursors);
      } catch (error) {
        if (!isConnectionLoss(error)) throw error;
        options.onConnectionLoss?.(error);
        await wakeup.wait(options.pollMs ?? 1_000);
        continue;
      }
      for (const change of changes) {
        const after = cursors.get(change.shard) ?? 0;
        if (change.seq !== after + 1) {
          options.onGap?.({ shard: change.shard, after, next: change.seq });
        }
        cursors.set(change.shard, change.seq);
        yield change;
        if (signal.aborted) return;
      }
      if (changes.length === 0) await wakeup.wait(options.pollMs ?? 1_000);
    }
  } finally {
    signal.removeEventListener('abort', wake);
    await listener?.end().catch(() => {});
  }
}

/**
 * The last `seq` of every shard now: cursors that follow only the changes committed from
 * now on.
 *
 * @example
 * ```ts
 * const cursors = await changeFeedEnds(pool);
 * ```
 */
export async function changeFeedEnds(pool: pg.Pool): Promise<Map<number, number>> {
  const result = await pool.query<{ shard: number; last_seq: string }>(
    'SELECT shard, next_seq - 1 AS last_seq FROM shard_state',
  );
  return new Map(result.rows.map((row) => [row.shard, Number(row.last_seq)]));
}

/** A connection that LISTENs for committed changes; `lost` is called when it breaks. */
async function listen(
  connectionString: string,
  wake: () => void,
  lost: () => void,
): Promise<pg.Client> {
  const client = new pg.Client({ connectionString, application_name: 'uet-tag monitor' });
  client.on('notification', wake);
  client.on('error', () => {
    lost();
    wake();
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${quoteIdentifier(CHANGES_CHANNEL)}`);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}
