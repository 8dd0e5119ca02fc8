import type Database from 'better-sqlite3';
import type {
  DeliveryState,
  OutboxDelivery,
  WebhookOutbox,
} from '../service/webhooks/WebhookOutbox.js';

type DeliveryRow = [number, string, string, string, string, number, number, string | null];

const COLUMNS = 'id, target, key, body, state, attempts, next_attempt_at, last_error';

/**
 * The webhook outbox in a monitor's SQLite file (tables `webhook_cursor` and
 * `webhook_outbox`, schema 4), on the store's writer connection: each call is one
 * transaction, durable when it returns, like a commit.
 *
 * @example
 * ```ts
 * const outbox = createSqliteOutbox(db);
 * outbox.enqueue('https://hooks.example/uet *', [{ key: '7', body: '{...}' }], 7);
 * ```
 */
export function createSqliteOutbox(db: Database.Database): WebhookOutbox {
  const statements = {
    cursor: db.prepare('SELECT seq FROM webhook_cursor WHERE target = ?').pluck(),
    setCursor: db.prepare(
      'INSERT INTO webhook_cursor (target, seq) VALUES (?, ?) ON CONFLICT (target) DO UPDATE SET seq = excluded.seq',
    ),
    insert: db.prepare(
      `INSERT INTO webhook_outbox (target, key, body, state, attempts, next_attempt_at)
       VALUES (?, ?, ?, 'pending', 0, 0) ON CONFLICT (target, key) DO NOTHING`,
    ),
    due: db.prepare(
      `SELECT ${COLUMNS} FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?`,
    ),
    remove: db.prepare('DELETE FROM webhook_outbox WHERE id = ?'),
    retry: db.prepare(
      'UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?',
    ),
    kill: db.prepare(
      `UPDATE webhook_outbox SET state = 'dead', attempts = ?, last_error = ? WHERE id = ?`,
    ),
    list: db.prepare(`SELECT ${COLUMNS} FROM webhook_outbox WHERE state = ? ORDER BY id LIMIT ?`),
    counts: db.prepare('SELECT state, count(*) FROM webhook_outbox GROUP BY state'),
    revive: db.prepare(
      `UPDATE webhook_outbox SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE state = 'dead'`,
    ),
  };
  const enqueue = db.transaction(
    (target: string, added: readonly { key: string; body: string }[], throughSeq?: number) => {
      for (const { key, body } of added) statements.insert.run(target, key, body);
      if (throughSeq !== undefined) statements.setCursor.run(target, throughSeq);
    },
  );
  return {
    cursor: (target) => statements.cursor.get(target) as number | undefined,
    enqueue: (target, added, throughSeq) => enqueue(target, added, throughSeq),
    due: (now, limit) => (statements.due.raw().all(now, limit) as DeliveryRow[]).map(deliveryOf),
    delivered: (id) => {
      statements.remove.run(id);
    },
    retry: (id, attempts, nextAttemptAt, error) => {
      statements.retry.run(attempts, nextAttemptAt, error, id);
    },
    kill: (id, attempts, error) => {
      statements.kill.run(attempts, error, id);
    },
    list: (state, limit) =>
      (statements.list.raw().all(state, limit) as DeliveryRow[]).map(deliveryOf),
    counts() {
      const counts: Record<DeliveryState, number> = { pending: 0, dead: 0 };
      for (const [state, count] of statements.counts.raw().all() as [DeliveryState, number][])
        counts[state] = count;
      return counts;
    },
    revive: (now) => statements.revive.run(now).changes,
  };
}

function deliveryOf(row: DeliveryRow): OutboxDelivery {
  const [id, target, key, body, state, attempts, nextAttemptAt, lastError] = row;
  return {
    id,
    target,
    key,
    body,
    state: state as DeliveryState,
    attempts,
    nextAttemptAt,
    lastError: lastError ?? undefined,
  };
}
