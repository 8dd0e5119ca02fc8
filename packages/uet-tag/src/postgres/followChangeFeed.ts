import type pg from 'pg';
import { Wakeup } from '../cluster/Wakeup.js';
import { ChannelListener } from './ChannelListener.js';
import { CHANGES_CHANNEL } from './commitStatements.js';
import { isConnectionLoss } from './connectionLoss.js';
import {
  type ChangePosition,
  isChangeKept,
  readSettledChanges,
  type SettledChange,
} from './settledChanges.js';

/** Changes a follower did not get because the change log no longer keeps them. */
export type FeedGap =
  /** The position it resumed after is pruned: changes after it may have been pruned too. */
  | { readonly kind: 'resumePointPruned'; readonly after: ChangePosition }
  /** A shard's changes `from` to `to` (its `seq`s) are pruned. */
  | {
      readonly kind: 'shardChangesPruned';
      readonly shard: number;
      readonly from: number;
      readonly to: number;
    };

/** Options of {@link followChangeFeed}. */
export interface FollowChangeFeedOptions {
  /** The cluster's pool (`createClusterPool`), for the reads. */
  readonly pool: pg.Pool;
  /** The database, for the connection that LISTENs. */
  readonly connectionString: string;
  /** The last change had: changes after it are yielded (every change kept when undefined). */
  readonly after: ChangePosition | undefined;
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

/** How many changes one read takes. */
const PAGE = 1_000;

/**
 * Follows a cluster's change log in its one resumable order (`readSettledChanges`: the
 * writing transaction, then shard and `seq`): yields every settled change after `after`,
 * then waits for the next `NOTIFY uet_changes` (or `pollMs`) and reads again, until
 * `signal` aborts. A lost connection is reported and the read retried from the last change
 * yielded, so within one follower nothing is skipped or yielded twice; a consumer that
 * resumes after the position it saved once it processed a change gets each change at least
 * once (deduplicate by `tagId` and `tagSeq`). Pruned changes are reported (`onGap`), never
 * skipped silently. Other errors (no such schema) end it.
 *
 * @example
 * ```ts
 * for await (const change of followChangeFeed({ pool, connectionString, after: undefined, signal })) {
 *   console.log(change.record);
 * }
 * ```
 */
export async function* followChangeFeed(
  options: FollowChangeFeedOptions,
): AsyncGenerator<SettledChange> {
  const { pool, signal } = options;
  const wakeup = new Wakeup();
  const wake = () => wakeup.wake();
  signal.addEventListener('abort', wake, { once: true });
  const listener = new ChannelListener({
    connectionString: options.connectionString,
    channel: CHANGES_CHANNEL,
    applicationName: 'uet-tag monitor',
    notified: wake,
  });
  let after = options.after;
  /** The last `seq` had of each shard; from the start, none before 1. */
  const lastSeqs = new Map<number, number>();
  let checked = after === undefined;
  try {
    await listener.start();
    while (!signal.aborted) {
      let page: SettledChange[];
      try {
        if (!checked && after !== undefined) {
          if (!(await isChangeKept(pool, after))) {
            options.onGap?.({ kind: 'resumePointPruned', after });
          }
          lastSeqs.set(after.shard, after.seq);
          checked = true;
        }
        page = await readSettledChanges(pool, after, undefined, PAGE);
      } catch (error) {
        if (!isConnectionLoss(error)) throw error;
        options.onConnectionLoss?.(error);
        await wakeup.wait(options.pollMs ?? 1_000);
        continue;
      }
      for (const change of page) {
        const { shard, seq } = change.position;
        const last = lastSeqs.get(shard) ?? (options.after === undefined ? 0 : undefined);
        if (last !== undefined && seq > last + 1) {
          options.onGap?.({ kind: 'shardChangesPruned', shard, from: last + 1, to: seq - 1 });
        }
        lastSeqs.set(shard, seq);
        after = change.position;
        yield change;
        if (signal.aborted) return;
      }
      if (page.length < PAGE) await wakeup.wait(options.pollMs ?? 1_000);
    }
  } finally {
    signal.removeEventListener('abort', wake);
    await listener.stop();
  }
}
