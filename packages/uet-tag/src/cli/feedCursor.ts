import { InvalidArgumentError } from 'commander';
import { type ChangePosition, parsePosition } from '../postgres/settledChanges.js';

/** Where `uet-tag monitor --db postgresql://…` starts in the change log: after a change, at the start, or now. */
export type FeedStart = 'now' | 'start' | ChangePosition;

/**
 * Reads `--from`: `now` (only changes committed from now on), `start` (every change the
 * log keeps), or the `position` of the last change had (`<transaction>.<shard>.<seq>`, as
 * each printed change carries it, and as `GET /changes` of a front node names its events).
 *
 * @example
 * ```ts
 * parseFeedStart('1627.3.41'); // { xid: '1627', shard: 3, seq: 41 }
 * ```
 * @throws InvalidArgumentError naming the value when it is none of these.
 */
export function parseFeedStart(value: string): FeedStart {
  if (value === 'now' || value === 'start') return value;
  const position = parsePosition(value);
  if (position === undefined) {
    throw new InvalidArgumentError(
      `${JSON.stringify(value)} is not a change's position (expected now, start, or <transaction>.<shard>.<seq> such as 1627.3.41)`,
    );
  }
  return position;
}
