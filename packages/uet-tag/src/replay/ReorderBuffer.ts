/**
 * Puts records that arrive slightly out of time order back in order, within a bounded
 * look-behind: a record is released once a record at least `lookBehindMs` later has been
 * seen (or at the end), oldest first, ties in arrival order. A record older than one
 * already released is too late to reorder; {@link ReorderBuffer.push} returns `false`
 * for it and the caller processes it late (SPEC D1). Holds only the records within the
 * look-behind, so memory stays flat however long the file.
 *
 * Records in time order (most of any log) cost a constant each: they join a queue
 * that is already sorted; only those older than the queue's last go into a heap, and the
 * two are merged as they are released.
 *
 * @example
 * ```ts
 * const buffer = new ReorderBuffer<{ at: number }>(60_000);
 * buffer.push({ at: 30_000 });
 * buffer.push({ at: 10_000 });
 * buffer.push({ at: 100_000 });
 * buffer.release((record) => console.log(record.at)); // 10000, then 30000
 * ```
 */
export class ReorderBuffer<T extends { readonly at: number }> {
  /** Records in time order and arrival order, from `head` on. */
  private queue: T[] = [];
  private queueOrders: number[] = [];
  private head = 0;
  /** Records that came older than the queue's last: a binary heap by time, then arrival. */
  private readonly heap: T[] = [];
  private readonly heapOrders: number[] = [];
  private arrivals = 0;
  private latestSeen = Number.NEGATIVE_INFINITY;
  private released = Number.NEGATIVE_INFINITY;

  constructor(private readonly lookBehindMs: number) {}

  /** The latest time of a record pushed so far; `undefined` before the first. */
  get latest(): number | undefined {
    return Number.isFinite(this.latestSeen) ? this.latestSeen : undefined;
  }

  /** How many records are held. */
  get size(): number {
    return this.queue.length - this.head + this.heap.length;
  }

  /** Adds a record; `false` (and nothing held) when it is older than one already released. */
  push(item: T): boolean {
    if (item.at < this.released) return false;
    if (item.at > this.latestSeen) this.latestSeen = item.at;
    const order = this.arrivals++;
    const last = this.queue[this.queue.length - 1];
    if (this.head === this.queue.length || (last as T).at <= item.at) {
      this.queue.push(item);
      this.queueOrders.push(order);
    } else {
      this.heap.push(item);
      this.heapOrders.push(order);
      this.siftUp(this.heap.length - 1);
    }
    return true;
  }

  /** Hands on, in time order, every record the look-behind no longer covers. */
  release(each: (item: T) => void): void {
    this.drain(this.latestSeen - this.lookBehindMs, each);
  }

  /** Hands on every record held, in time order (at the end of the input). */
  flush(each: (item: T) => void): void {
    this.drain(Number.POSITIVE_INFINITY, each);
  }

  private drain(upTo: number, each: (item: T) => void): void {
    for (;;) {
      const queued = this.head < this.queue.length ? (this.queue[this.head] as T) : undefined;
      const heaped = this.heap[0];
      let next: T;
      if (
        heaped !== undefined &&
        (queued === undefined ||
          heaped.at < queued.at ||
          (heaped.at === queued.at &&
            (this.heapOrders[0] as number) < (this.queueOrders[this.head] as number)))
      ) {
        if (heaped.at > upTo) break;
        next = heaped;
        this.popHeap();
      } else if (queued !== undefined) {
        if (queued.at > upTo) break;
        next = queued;
        this.shiftQueue();
      } else break;
      if (next.at > this.released) this.released = next.at;
      each(next);
    }
  }

  private shiftQueue(): void {
    this.queue[this.head] = undefined as unknown as T;
    this.head += 1;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.queueOrders.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.queueOrders = this.queueOrders.slice(this.head);
      this.head = 0;
    }
  }

  private popHeap(): void {
    const heap = this.heap;
    const orders = this.heapOrders;
    const last = heap.pop() as T;
    const lastOrder = orders.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      orders[0] = lastOrder;
      this.siftDown(0);
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a] as T;
    const y = this.heap[b] as T;
    return (
      x.at < y.at ||
      (x.at === y.at && (this.heapOrders[a] as number) < (this.heapOrders[b] as number))
    );
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const orders = this.heapOrders;
    const item = heap[a] as T;
    heap[a] = heap[b] as T;
    heap[b] = item;
    const order = orders[a] as number;
    orders[a] = orders[b] as number;
    orders[b] = order;
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.before(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.heap.length && this.before(left, smallest)) smallest = left;
      if (right < this.heap.length && this.before(right, smallest)) smallest = right;
      if (smallest === parent) return;
      this.swap(parent, smallest);
      parent = smallest;
    }
  }
}
