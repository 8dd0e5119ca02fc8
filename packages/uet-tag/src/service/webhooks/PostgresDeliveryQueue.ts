import type pg from 'pg';
import { changeRecordOf } from 'uet-tag-status/engine';
import { type FeedChange, readChangeFeed } from '../../postgres/changeFeed.js';
import { readWarningLog, type WarningLogEntry } from '../../postgres/warningLog.js';
import type { DeliveryQueue } from './deliveryQueue.js';
import type {
  DeliveryState,
  NewDelivery,
  OutboxDelivery,
  WebhookOutboxAdmin,
} from './WebhookOutbox.js';
import { tagPatternMatcher, type WebhookTarget, webhookTargetId } from './webhookTargets.js';

/** Options of {@link PostgresDeliveryQueue}. */
export interface PostgresDeliveryQueueOptions {
  /** A pool in the cluster's schema (see `createClusterPool`). */
  readonly pool: pg.Pool;
  readonly targets: readonly WebhookTarget[];
  /** This process's name in `webhook_outbox.claimed_by`. */
  readonly node: string;
  /**
   * How long a delivery taken by this process stays its own: another process takes it
   * again after that (this one was killed, or is too slow), so it must exceed an attempt.
   */
  readonly claimMs: number;
}

/** The logs a target's deliveries come from, each with a cursor per shard. */
type LogName = 'changes' | 'warnings';

/** How many entries of each shard's log one transaction of a catch-up takes. */
const ENTRIES_PER_READ = 500;

/** The columns of a delivery, in {@link OutboxDelivery}'s order, and its claim. */
const COLUMNS = 'id, target, key, body, state, attempts, next_attempt_at, last_error, claim';

interface DeliveryRow {
  id: string;
  target: string;
  key: string;
  body: string;
  state: 'pending' | 'dead';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  claim: string;
}

/**
 * The cluster's delivery queue, in PostgreSQL (schema 3), shared by every front node that
 * delivers: `webhook_cursors` holds each target's position in each shard's change log and
 * warning log, `webhook_outbox` the deliveries.
 *
 * - Fed exactly once per change and target: a catch-up locks the target's cursor rows
 *   (`FOR UPDATE SKIP LOCKED`: a node finding them locked leaves the work to the one
 *   holding them), reads the logs beyond them, adds the deliveries the pattern matches and
 *   moves the cursors, in one transaction; a node killed half-way adds nothing.
 * - Taken by one node at a time: `take` claims due deliveries (`FOR UPDATE SKIP LOCKED`)
 *   for {@link PostgresDeliveryQueueOptions.claimMs}, with a claim number that grows at
 *   every claim. The claims of a node killed mid-delivery lapse and any live node takes the
 *   deliveries again; an outcome is recorded only under the claim it was attempted with.
 *   A node takes only the deliveries of its own targets (nodes may be configured apart
 *   while a change of configuration rolls out); those of a target no node has any more
 *   stay pending, counted on `GET /admin/webhooks`.
 *
 * A target seen for the first time starts at each shard's head, or with `from: 'start'`
 * at the start of what the logs keep. A change's idempotency key is `<shard>:<seq>` (its
 * place in the cluster's change log); its body is the change record with its `shard` and
 * `tagSeq` (gapless per tag). When a target's cursor in a shard has fallen behind what
 * that shard's change log keeps, the target is first sent a gap record,
 * `{"kind":"gap","shard":…,"afterSeq":…,"firstKeptSeq":…}` (key `gap:<shard>:<afterSeq>`).
 *
 * @example
 * ```ts
 * const queue = new PostgresDeliveryQueue({ pool, targets, node: 'front-1', claimMs: 11_000 });
 * const dispatcher = new WebhookDispatcher(queue, targets, policy, log, count);
 * ```
 */
export class PostgresDeliveryQueue implements DeliveryQueue, WebhookOutboxAdmin {
  private readonly fed: readonly {
    id: string;
    matches: (tagId: string) => boolean;
    fromStart: boolean;
  }[];
  /** The claim each delivery this process holds was taken with. */
  private readonly claims = new Map<number, string>();
  private cursorsMade = false;

  constructor(private readonly options: PostgresDeliveryQueueOptions) {
    this.fed = options.targets.map((target) => ({
      id: webhookTargetId(target),
      matches: tagPatternMatcher(target.tags),
      fromStart: target.from === 'start',
    }));
  }

  async catchUp(): Promise<void> {
    if (!this.cursorsMade) {
      // A new target starts at each shard's head (`from: 'now'`) or at the start of what
      // each shard's logs keep (`from: 'start'`).
      await this.options.pool.query(
        `INSERT INTO webhook_cursors (target, log, shard, seq)
         SELECT t.target, 'changes', l.shard,
                CASE WHEN t.from_start
                     THEN COALESCE((SELECT min(seq) - 1 FROM change_log WHERE shard = l.shard), 0)
                     ELSE COALESCE((SELECT max(seq) FROM change_log WHERE shard = l.shard), 0) END
         FROM unnest($1::text[], $2::boolean[]) AS t(target, from_start), leases AS l
         UNION ALL
         SELECT t.target, 'warnings', l.shard,
                CASE WHEN t.from_start THEN 0
                     ELSE COALESCE((SELECT max(seq) FROM warning_log WHERE shard = l.shard), 0) END
         FROM unnest($1::text[], $2::boolean[]) AS t(target, from_start), leases AS l
         ON CONFLICT DO NOTHING`,
        [this.fed.map((target) => target.id), this.fed.map((target) => target.fromStart)],
      );
      this.cursorsMade = true;
    }
    for (const target of this.fed) {
      for (const log of ['changes', 'warnings'] as const) {
        while (await this.feed(target.id, target.matches, log)) {
          // Each transaction takes a page per shard; go on while a page was full.
        }
      }
    }
  }

  async enqueue(target: string, deliveries: readonly NewDelivery[]): Promise<void> {
    await insertDeliveries(this.options.pool, target, deliveries);
  }

  async take(now: number, limit: number): Promise<OutboxDelivery[]> {
    const result = await this.options.pool.query<DeliveryRow>(
      `UPDATE webhook_outbox AS o
       SET claim = o.claim + 1, claimed_by = $3,
           claimed_until = now() + $4 * interval '1 millisecond'
       WHERE o.id IN (SELECT id FROM webhook_outbox
                      WHERE state = 'pending' AND next_attempt_at <= $1 AND claimed_until <= now()
                        AND target = ANY($5)
                      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${COLUMNS}`,
      [now, limit, this.options.node, this.options.claimMs, this.fed.map((target) => target.id)],
    );
    const taken = result.rows.map((row) => {
      this.claims.set(Number(row.id), row.claim);
      return deliveryOf(row);
    });
    return taken.sort((one, other) => one.id - other.id);
  }

  async delivered(delivery: OutboxDelivery): Promise<void> {
    this.claims.delete(delivery.id);
    await this.options.pool.query('DELETE FROM webhook_outbox WHERE id = $1', [delivery.id]);
  }

  async retry(
    delivery: OutboxDelivery,
    attempts: number,
    nextAttemptAt: number,
    error: string,
  ): Promise<void> {
    await this.options.pool.query(
      `UPDATE webhook_outbox SET attempts = $3, next_attempt_at = $4, last_error = $5,
              claimed_until = '-infinity'
       WHERE id = $1 AND claim = $2`,
      [delivery.id, this.release(delivery), attempts, nextAttemptAt, error],
    );
  }

  async kill(delivery: OutboxDelivery, attempts: number, error: string): Promise<void> {
    await this.options.pool.query(
      `UPDATE webhook_outbox SET state = 'dead', attempts = $3, last_error = $4,
              claimed_until = '-infinity'
       WHERE id = $1 AND claim = $2`,
      [delivery.id, this.release(delivery), attempts, error],
    );
  }

  async cursor(target: string): Promise<Record<string, number> | undefined> {
    const result = await this.options.pool.query<{ shard: number; seq: string }>(
      `SELECT shard, seq FROM webhook_cursors WHERE target = $1 AND log = 'changes' ORDER BY shard`,
      [target],
    );
    if (result.rows.length === 0) return undefined;
    return Object.fromEntries(result.rows.map((row) => [String(row.shard), Number(row.seq)]));
  }

  async counts(): Promise<Record<DeliveryState, number>> {
    const result = await this.options.pool.query<{ state: DeliveryState; n: string }>(
      'SELECT state, count(*) AS n FROM webhook_outbox GROUP BY state',
    );
    const counts: Record<DeliveryState, number> = { pending: 0, dead: 0 };
    for (const row of result.rows) counts[row.state] = Number(row.n);
    return counts;
  }

  async list(state: DeliveryState, limit: number): Promise<OutboxDelivery[]> {
    const result = await this.options.pool.query<DeliveryRow>(
      `SELECT ${COLUMNS} FROM webhook_outbox WHERE state = $1 ORDER BY id LIMIT $2`,
      [state, limit],
    );
    return result.rows.map(deliveryOf);
  }

  async revive(now: number): Promise<number> {
    const result = await this.options.pool.query(
      `UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_attempt_at = $1,
              claimed_until = '-infinity'
       WHERE state = 'dead'`,
      [now],
    );
    return result.rowCount ?? 0;
  }

  /** The claim a delivery was taken with, forgotten. */
  private release(delivery: OutboxDelivery): string {
    const claim = this.claims.get(delivery.id) ?? '0';
    this.claims.delete(delivery.id);
    return claim;
  }

  /**
   * One transaction of a target's catch-up in one log: whether a shard's page was full
   * (there is more to read).
   */
  private async feed(
    target: string,
    matches: (tagId: string) => boolean,
    log: LogName,
  ): Promise<boolean> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query<{ shard: number; seq: string }>(
        `SELECT shard, seq FROM webhook_cursors WHERE target = $1 AND log = $2
         FOR UPDATE SKIP LOCKED`,
        [target, log],
      );
      const cursors = new Map(locked.rows.map((row) => [row.shard, Number(row.seq)]));
      const entries = cursors.size === 0 ? [] : await readLog(client, log, cursors);
      const deliveries: NewDelivery[] = [];
      for (const entry of entries) {
        const afterSeq = cursors.get(entry.shard) ?? 0;
        if (log === 'changes' && entry.seq > afterSeq + 1) {
          // The first entry read of its shard, beyond what the cursor covers: trimmed away.
          const gap = { kind: 'gap', shard: entry.shard, afterSeq, firstKeptSeq: entry.seq };
          deliveries.push({ key: `gap:${entry.shard}:${afterSeq}`, body: JSON.stringify(gap) });
        }
        cursors.set(entry.shard, entry.seq);
        if (matches(entry.tagId)) deliveries.push({ key: entry.key, body: entry.body });
      }
      await insertDeliveries(client, target, deliveries);
      const moved = new Map<number, number>();
      for (const entry of entries) moved.set(entry.shard, entry.seq);
      await client.query(
        `UPDATE webhook_cursors AS w SET seq = u.seq
         FROM unnest($3::integer[], $4::bigint[]) AS u(shard, seq)
         WHERE w.target = $1 AND w.log = $2 AND w.shard = u.shard`,
        [target, log, [...moved.keys()], [...moved.values()]],
      );
      await client.query('COMMIT');
      const perShard = new Map<number, number>();
      for (const entry of entries) perShard.set(entry.shard, (perShard.get(entry.shard) ?? 0) + 1);
      return [...perShard.values()].some((count) => count === ENTRIES_PER_READ);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * An entry of either log as the outbox takes it: where it is, whose tag, its key and body
 * (a warning of the warning log has this shape already).
 */
type LogEntry = WarningLogEntry;

async function readLog(
  client: pg.PoolClient,
  log: LogName,
  cursors: ReadonlyMap<number, number>,
): Promise<LogEntry[]> {
  if (log === 'warnings') return readWarningLog(client, cursors, ENTRIES_PER_READ);
  const changes = await readChangeFeed(client, cursors, ENTRIES_PER_READ, [...cursors.keys()]);
  return changes.map((change) => ({
    shard: change.shard,
    seq: change.seq,
    tagId: change.tagId,
    key: `${change.shard}:${change.seq}`,
    body: changeBody(change),
  }));
}

/** The body of a change's delivery: the change record, with its shard and per-tag sequence. */
function changeBody(change: FeedChange): string {
  const record = changeRecordOf(change.tagId, change);
  // The record's JSON (the one status-change form) with the cluster's two fields after it.
  const json = JSON.stringify(record);
  return `${json.slice(0, -1)},"shard":${change.shard},"tagSeq":${change.tagSeq}}`;
}

async function insertDeliveries(
  db: pg.Pool | pg.PoolClient,
  target: string,
  deliveries: readonly NewDelivery[],
): Promise<void> {
  if (deliveries.length === 0) return;
  await db.query(
    `INSERT INTO webhook_outbox (target, key, body)
     SELECT $1, * FROM unnest($2::text[], $3::text[])
     ON CONFLICT (target, key) DO NOTHING`,
    [
      target,
      deliveries.map((delivery) => delivery.key),
      deliveries.map((delivery) => delivery.body),
    ],
  );
}

function deliveryOf(row: DeliveryRow): OutboxDelivery {
  return {
    id: Number(row.id),
    target: row.target,
    key: row.key,
    body: row.body,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
  };
}
