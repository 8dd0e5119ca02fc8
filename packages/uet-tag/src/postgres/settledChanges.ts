import type pg from 'pg';
import { isoTime } from 'uet-tag-status';
import type { ChangeLogRow } from './changeFeed.js';
import { MAX_SHARDS } from './cluster.js';

/**
 * Where a change is in the cluster's one change sequence: the transaction that wrote it
 * (`xid8`, as decimal text), its shard and its sequence number in the shard. Changes are
 * ordered by the three, in that order.
 */
export interface ChangePosition {
  readonly xid: string;
  readonly shard: number;
  readonly seq: number;
}

/** A change of the cluster's change log as the change stream sends it. */
export interface SettledChange {
  readonly position: ChangePosition;
  /**
   * The change record, in the single-node service's form (`seq` is the shard's), with its
   * `shard` and its per-tag sequence `tagSeq` (what a receiver deduplicates by, with `tagId`).
   */
  readonly record: Readonly<Record<string, unknown>>;
}

/** The largest `xid8`. */
const MAX_XID = 2n ** 64n - 1n;

/**
 * A position as text, `<transaction>.<shard>.<seq>`: the id of a change event of a front
 * node's `GET /changes`, and what `uet-tag monitor --db postgresql://… --from` takes.
 *
 * @example
 * ```ts
 * positionId({ xid: '1627', shard: 3, seq: 41 }); // '1627.3.41'
 * ```
 */
export function positionId(position: ChangePosition): string {
  return `${position.xid}.${position.shard}.${position.seq}`;
}

/**
 * The position `text` names ({@link positionId}'s form); `undefined` when it names none.
 *
 * @example
 * ```ts
 * parsePosition('1627.3.41'); // { xid: '1627', shard: 3, seq: 41 }
 * ```
 */
export function parsePosition(text: string): ChangePosition | undefined {
  const parts = /^(\d{1,20})\.(\d{1,4})\.(\d{1,16})$/.exec(text);
  if (parts === null) return undefined;
  const [, xid, shard, seq] = parts as unknown as [string, string, string, string];
  const position = { xid: BigInt(xid).toString(), shard: Number(shard), seq: Number(seq) };
  if (BigInt(xid) > MAX_XID || position.shard >= MAX_SHARDS) return undefined;
  return Number.isSafeInteger(position.seq) ? position : undefined;
}

/** Before every change. */
const START: ChangePosition = { xid: '0', shard: -1, seq: 0 };

/**
 * Only changes written by transactions older than every transaction still running are
 * read ("settled"): any change committed later has a larger `xid`, so a reader that stopped
 * at a position never misses a change before it, whatever order the workers commit in.
 */
const SETTLED = 'xid < pg_snapshot_xmin(pg_current_snapshot())';

/**
 * The settled changes of every shard after `after` (from the start when undefined) and up
 * to `upTo` included (no bound when undefined), in the stream's order, at most `limit`.
 * A change is settled once every transaction older than the one that wrote it has ended;
 * a long transaction anywhere on the server holds the stream back until it ends.
 *
 * @example
 * ```ts
 * const page = await readSettledChanges(pool, last?.position, undefined, 1_000);
 * ```
 */
export async function readSettledChanges(
  pool: pg.Pool,
  after: ChangePosition | undefined,
  upTo: ChangePosition | undefined,
  limit: number,
): Promise<SettledChange[]> {
  const from = after ?? START;
  const values: unknown[] = [from.xid, from.shard, from.seq, limit];
  let bound = '';
  if (upTo !== undefined) {
    values.push(upTo.xid, upTo.shard, upTo.seq);
    bound = 'AND (xid, shard, seq) <= ($5::xid8, $6::integer, $7::bigint)';
  }
  const result = await pool.query<ChangeLogRow & { readonly xid: string }>(
    `SELECT xid::text, shard, seq, tag_id, tag_seq, goal_id, from_status, to_status,
            effective_at, noticed_at
     FROM change_log
     WHERE ${SETTLED} AND (xid, shard, seq) > ($1::xid8, $2::integer, $3::bigint) ${bound}
     ORDER BY xid, shard, seq LIMIT $4`,
    values,
  );
  return result.rows.map((row) => {
    const seq = Number(row.seq);
    return {
      position: { xid: row.xid, shard: row.shard, seq },
      record: {
        kind: row.goal_id === null ? 'tag' : 'goal',
        tagId: row.tag_id,
        ...(row.goal_id === null ? {} : { goalId: row.goal_id }),
        from: row.from_status,
        to: row.to_status,
        effectiveAt: row.effective_at,
        effectiveTime: isoTime(row.effective_at),
        noticedAt: row.noticed_at,
        noticedTime: isoTime(row.noticed_at),
        seq,
        shard: row.shard,
        tagSeq: Number(row.tag_seq),
      },
    };
  });
}

/**
 * The position of the last settled change (see {@link readSettledChanges}); `undefined`
 * when the change log holds none.
 *
 * @example
 * ```ts
 * const head = await lastSettledPosition(pool); // { xid: '1627', shard: 3, seq: 41 }
 * ```
 */
export async function lastSettledPosition(pool: pg.Pool): Promise<ChangePosition | undefined> {
  const result = await pool.query<{ xid: string; shard: number; seq: string }>(
    `SELECT xid::text, shard, seq FROM change_log WHERE ${SETTLED}
     ORDER BY xid DESC, shard DESC, seq DESC LIMIT 1`,
  );
  const row = result.rows[0];
  return row === undefined ? undefined : { xid: row.xid, shard: row.shard, seq: Number(row.seq) };
}

/**
 * Whether the change at `position` is still in the change log: a reader resuming from a
 * pruned change may have missed changes pruned after it.
 *
 * @example
 * ```ts
 * if (!(await isChangeKept(pool, resumePoint))) sendGap();
 * ```
 */
export async function isChangeKept(pool: pg.Pool, position: ChangePosition): Promise<boolean> {
  const result = await pool.query(
    'SELECT 1 FROM change_log WHERE shard = $1 AND seq = $2 AND xid = $3::xid8',
    [position.shard, position.seq, position.xid],
  );
  return result.rows.length > 0;
}
