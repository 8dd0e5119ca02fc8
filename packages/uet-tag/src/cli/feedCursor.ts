import { InvalidArgumentError } from 'commander';

/** Where `uet-tag monitor --db postgresql://…` starts reading the change log. */
export type FeedStart = 'now' | ReadonlyMap<number, number>;

/**
 * Reads `--from`: `now` (only changes committed from now on), `start` (every change the
 * log keeps), or the last `seq` seen per shard as `shard:seq` pairs joined by commas
 * (`0:17,3:4`; a shard left out is read from its start), as printed at exit.
 *
 * @example
 * ```ts
 * parseFeedStart('0:17,3:4'); // Map { 0 => 17, 3 => 4 }
 * ```
 * @throws InvalidArgumentError naming the pair that is not `shard:seq` with whole numbers, or a shard named twice.
 */
export function parseFeedStart(value: string): FeedStart {
  if (value === 'now') return 'now';
  const cursors = new Map<number, number>();
  if (value === 'start') return cursors;
  for (const pair of value.split(',')) {
    const match = /^(\d{1,9}):(\d{1,15})$/.exec(pair.trim());
    if (match === null) {
      throw new InvalidArgumentError(
        `${JSON.stringify(pair)} is not shard:seq (expected now, start, or pairs such as 0:17,3:4)`,
      );
    }
    const shard = Number(match[1]);
    if (cursors.has(shard)) throw new InvalidArgumentError(`shard ${shard} is named twice`);
    cursors.set(shard, Number(match[2]));
  }
  return cursors;
}

/**
 * Writes cursors in the form `--from` reads (`0:17,3:4`, by shard), or `start` when empty.
 *
 * @example
 * ```ts
 * formatFeedCursors(new Map([[3, 4], [0, 17]])); // '0:17,3:4'
 * ```
 */
export function formatFeedCursors(cursors: ReadonlyMap<number, number>): string {
  const pairs = [...cursors].sort(([a], [b]) => a - b).map(([shard, seq]) => `${shard}:${seq}`);
  return pairs.length === 0 ? 'start' : pairs.join(',');
}
