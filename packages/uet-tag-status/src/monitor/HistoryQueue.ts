/**
 * The most changes a {@link HistoryQueue} holds before it must be emptied (32 MiB of
 * them): beyond a million changes, adding them in tag order gains little more.
 */
const HISTORY_QUEUE_LIMIT = 1 << 20;
/** Below this many queued changes, they are handed back in the order queued. */
const SORT_FROM = 64;
/** The room a queue starts with, and keeps between storms (a larger one is let go). */
const KEPT_ROOM = 1024;
/** Numbers kept per queued change. */
const ENTRY = 4;
/** A tag number's place in a change's last number: above the 16 bits of its status pair. */
const PAIR_SCALE = 65_536;

/** Where a {@link HistoryQueue} hands its changes (a method, the same for every instance). */
export interface QueuedChangeSink {
  /** Adds a change of tag `no`, its statuses as codes. */
  addQueuedChange(
    no: number,
    seq: number,
    fromCode: number,
    toCode: number,
    effectiveAt: number,
    noticedAt: number,
  ): void;
}

/**
 * Tags' own status changes waiting to be added to a `ChangeHistory`, side by side, handed
 * back grouped by tag number in ascending order (each tag's changes in the order
 * queued). A storm's changes come in deadline order, which scatters them over the whole
 * history; added in tag order, one pass walks the history's slots from the first to the
 * last instead of missing the cache (and the address translation) at every change.
 *
 * @example
 * ```ts
 * const queue = new HistoryQueue();
 * queue.push(7, 1, 0, 1, 5_000, 5_000);
 * queue.drain(history); // history.addQueuedChange(7, 1, 0, 1, 5_000, 5_000); then empty
 * ```
 */
export class HistoryQueue {
  /**
   * The queued changes, {@link ENTRY} numbers each, side by side: the sequence number,
   * the effective and noticing times, and the tag number times 2^16 plus the status pair
   * (so that handing a change back, in tag order, reads one place of memory, not five).
   */
  private entries = new Float64Array(KEPT_ROOM * ENTRY);
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
    const base = this.count * ENTRY;
    if (base === this.entries.length) this.grow();
    const { entries } = this;
    entries[base] = seq;
    entries[base + 1] = effectiveAt;
    entries[base + 2] = noticedAt;
    entries[base + 3] = no * PAIR_SCALE + (fromCode | (toCode << 8));
    if (no > this.highest) this.highest = no;
    this.count += 1;
  }

  /**
   * Hands every queued change to `into`, grouped by tag in ascending order, and empties the
   * queue; a queue grown beyond its first room is let go (a storm's is megabytes).
   */
  drain(into: QueuedChangeSink): void {
    const { count } = this;
    if (count === 0) return;
    // A few changes over many tags gain little from sorting, which costs a pass over the tags.
    const sorts = count >= SORT_FROM && count * 8 >= this.highest;
    const order = sorts ? this.sortedOrder() : undefined;
    // Emptied before any is handed back: each is handed back once, even if adding one throws.
    this.count = 0;
    const { entries } = this;
    for (let index = 0; index < count; index++) {
      const base = (order === undefined ? index : (order[index] as number)) * ENTRY;
      const tagAndPair = entries[base + 3] as number;
      const pair = tagAndPair % PAIR_SCALE;
      into.addQueuedChange(
        (tagAndPair - pair) / PAIR_SCALE,
        entries[base] as number,
        pair & 0xff,
        pair >> 8,
        entries[base + 1] as number,
        entries[base + 2] as number,
      );
    }
    this.highest = 0;
    if (this.entries.length > KEPT_ROOM * ENTRY) {
      this.entries = new Float64Array(KEPT_ROOM * ENTRY);
      this.order = new Int32Array(0);
      this.counts = new Int32Array(0);
    }
  }

  /** The queued changes' positions, stably sorted by tag number (a counting sort). */
  private sortedOrder(): Int32Array {
    const { count, entries } = this;
    const buckets = this.highest + 1;
    if (this.counts.length < buckets + 1) this.counts = new Int32Array(buckets + 1);
    const counts = this.counts;
    counts.fill(0, 0, buckets + 1);
    for (let index = 0; index < count; index++) {
      const bucket = tagOf(entries, index) + 1;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    for (let bucket = 1; bucket <= buckets; bucket++) {
      counts[bucket] = (counts[bucket] as number) + (counts[bucket - 1] as number);
    }
    if (this.order.length < count) this.order = new Int32Array(entries.length / ENTRY);
    const order = this.order;
    for (let index = 0; index < count; index++) {
      const no = tagOf(entries, index);
      const place = counts[no] as number;
      order[place] = index;
      counts[no] = place + 1;
    }
    return order;
  }

  /** Makes room for `count` more changes at once (see `FoundChanges.reserve`). */
  reserve(count: number): void {
    const wanted = Math.min(this.count + count, HISTORY_QUEUE_LIMIT) * ENTRY;
    if (wanted > this.entries.length) this.grow(wanted);
  }

  private grow(atLeast = 0): void {
    const entries = new Float64Array(Math.max(2 * this.entries.length, atLeast));
    entries.set(this.entries);
    this.entries = entries;
  }
}

/** The tag number of queued change `index`. */
function tagOf(entries: Float64Array, index: number): number {
  return Math.floor((entries[index * ENTRY + 3] as number) / PAIR_SCALE);
}
