/** The most changes a {@link HistoryQueue} holds before it must be emptied. */
export const HISTORY_QUEUE_LIMIT = 1 << 22;
/** Below this many queued changes, they are handed back in the order queued. */
const SORT_FROM = 64;
/** The room a queue starts with, and keeps between storms (larger columns are let go). */
const KEPT_ROOM = 1024;

/**
 * Tags' own status changes waiting to be added to a `ChangeHistory`, as columns, handed
 * back grouped by tag number in ascending order (each tag's changes in the order
 * queued). A storm's changes come in deadline order, which scatters them over the whole
 * history; added in tag order, one pass walks the history's slots from the first to the
 * last instead of missing the cache (and the address translation) at every change.
 *
 * @example
 * ```ts
 * const queue = new HistoryQueue();
 * queue.push(7, 1, 0, 1, 5_000, 5_000);
 * queue.drain((no, seq, from, to, effectiveAt, noticedAt) => {}); // then empty
 * ```
 */
export class HistoryQueue {
  private nos = new Int32Array(KEPT_ROOM);
  private seqs = new Float64Array(KEPT_ROOM);
  private effectiveAts = new Float64Array(KEPT_ROOM);
  private noticedAts = new Float64Array(KEPT_ROOM);
  /** Each change's `from` status code in the low byte, its `to` code in the next. */
  private pairs = new Uint16Array(KEPT_ROOM);
  private order = new Int32Array(0);
  private counts = new Int32Array(0);
  private count = 0;
  private highest = 0;

  /** How many changes wait. */
  get size(): number {
    return this.count;
  }

  /** Whether the queue holds {@link HISTORY_QUEUE_LIMIT} changes: drain it before the next push. */
  get isFull(): boolean {
    return this.count >= HISTORY_QUEUE_LIMIT;
  }

  /** Queues a change of tag `no`, its statuses as codes below 256. */
  push(
    no: number,
    seq: number,
    fromCode: number,
    toCode: number,
    effectiveAt: number,
    noticedAt: number,
  ): void {
    const at = this.count;
    if (at === this.nos.length) this.grow();
    this.nos[at] = no;
    this.seqs[at] = seq;
    this.effectiveAts[at] = effectiveAt;
    this.noticedAts[at] = noticedAt;
    this.pairs[at] = fromCode | (toCode << 8);
    if (no > this.highest) this.highest = no;
    this.count = at + 1;
  }

  /**
   * Hands every queued change to `add`, grouped by tag in ascending order, and empties the
   * queue; columns grown beyond their first room are let go (a storm's are megabytes).
   */
  drain(
    add: (
      no: number,
      seq: number,
      fromCode: number,
      toCode: number,
      effectiveAt: number,
      noticedAt: number,
    ) => void,
  ): void {
    const { count } = this;
    if (count === 0) return;
    // A few changes over many tags gain little from sorting, which costs a pass over the tags.
    const sorts = count >= SORT_FROM && count * 8 >= this.highest;
    const order = sorts ? this.sortedOrder() : undefined;
    const { nos, seqs, effectiveAts, noticedAts, pairs } = this;
    for (let index = 0; index < count; index++) {
      const at = order === undefined ? index : (order[index] as number);
      const pair = pairs[at] as number;
      add(
        nos[at] as number,
        seqs[at] as number,
        pair & 0xff,
        pair >> 8,
        effectiveAts[at] as number,
        noticedAts[at] as number,
      );
    }
    this.count = 0;
    this.highest = 0;
    if (this.nos.length > KEPT_ROOM) this.shrink();
  }

  /** The queued changes' positions, stably sorted by tag number (a counting sort). */
  private sortedOrder(): Int32Array {
    const { count, nos } = this;
    const buckets = this.highest + 1;
    if (this.counts.length < buckets + 1) this.counts = new Int32Array(buckets + 1);
    const counts = this.counts;
    counts.fill(0, 0, buckets + 1);
    for (let index = 0; index < count; index++) {
      const bucket = (nos[index] as number) + 1;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    for (let bucket = 1; bucket <= buckets; bucket++) {
      counts[bucket] = (counts[bucket] as number) + (counts[bucket - 1] as number);
    }
    if (this.order.length < count) this.order = new Int32Array(this.nos.length);
    const order = this.order;
    for (let index = 0; index < count; index++) {
      const no = nos[index] as number;
      const place = counts[no] as number;
      order[place] = index;
      counts[no] = place + 1;
    }
    return order;
  }

  private shrink(): void {
    this.nos = new Int32Array(KEPT_ROOM);
    this.seqs = new Float64Array(KEPT_ROOM);
    this.effectiveAts = new Float64Array(KEPT_ROOM);
    this.noticedAts = new Float64Array(KEPT_ROOM);
    this.pairs = new Uint16Array(KEPT_ROOM);
    this.order = new Int32Array(0);
    this.counts = new Int32Array(0);
  }

  private grow(): void {
    const length = 2 * this.nos.length;
    this.nos = grown(this.nos, new Int32Array(length));
    this.seqs = grown(this.seqs, new Float64Array(length));
    this.effectiveAts = grown(this.effectiveAts, new Float64Array(length));
    this.noticedAts = grown(this.noticedAts, new Float64Array(length));
    this.pairs = grown(this.pairs, new Uint16Array(length));
  }
}

function grown<T extends Int32Array | Float64Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
