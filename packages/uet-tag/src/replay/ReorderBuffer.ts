/** The ring's first size; it doubles as the look-behind holds more, halves as it holds less. */
const INITIAL_SLOTS = 1_024;

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
 * two are merged as they are released. The queue is a ring, its records' times and
 * arrivals held beside them in typed arrays, so records need no object to carry them.
 *
 * @example
 * ```ts
 * const buffer = new ReorderBuffer<string>(60_000);
 * buffer.push(30_000, 'b');
 * buffer.push(10_000, 'a');
 * buffer.push(100_000, 'c');
 * buffer.release((record, at) => console.log(record, at)); // a 10000, then b 30000
 * ```
 */
export class ReorderBuffer<T> {
  /**
   * Records in time order and arrival order: a ring of `mask + 1` slots from `head` on,
   * `count` of them, with their times and arrivals beside them in typed arrays.
   */
  private queue: (T | undefined)[] = new Array(INITIAL_SLOTS).fill(undefined);
  private queueAts = new Float64Array(INITIAL_SLOTS);
  private queueOrders = new Float64Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private head = 0;
  private count = 0;
  /** The time of the queue's last record (meaningful while `count > 0`). */
  private lastQueuedAt = Number.NEGATIVE_INFINITY;
  /** Records that came older than the queue's last: a binary heap by time, then arrival. */
  private readonly heap: T[] = [];
  private readonly heapAts: number[] = [];
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
    return this.count + this.heap.length;
  }

  /** Adds a record at `at`; `false` (and nothing held) when it is older than one already released. */
  push(at: number, item: T): boolean {
    if (at < this.released) return false;
    if (at > this.latestSeen) this.latestSeen = at;
    const order = this.arrivals++;
    if (this.count === 0 || this.lastQueuedAt <= at) {
      if (this.count > this.mask) this.grow();
      const slot = (this.head + this.count) & this.mask;
      this.queue[slot] = item;
      this.queueAts[slot] = at;
      this.queueOrders[slot] = order;
      this.count += 1;
      this.lastQueuedAt = at;
    } else {
      this.heap.push(item);
      this.heapAts.push(at);
      this.heapOrders.push(order);
      this.siftUp(this.heap.length - 1);
    }
    return true;
  }

  /** Hands on, in time order, every record the look-behind no longer covers, with its time. */
  release(each: (item: T, at: number) => void): void {
    this.drain(this.latestSeen - this.lookBehindMs, each);
  }

  /** Hands on every record held, in time order (at the end of the input). */
  flush(each: (item: T, at: number) => void): void {
    this.drain(Number.POSITIVE_INFINITY, each);
  }

  private drain(upTo: number, each: (item: T, at: number) => void): void {
    // Records that came in time order (most): the queue alone, while the heap is empty.
    while (this.heap.length === 0 && this.count > 0) {
      const at = this.queueAts[this.head] as number;
      if (at > upTo) return;
      const next = this.shiftQueue();
      if (at > this.released) this.released = at;
      each(next, at);
    }
    for (;;) {
      const queued = this.count > 0;
      const heaped = this.heap.length > 0;
      let next: T;
      let at: number;
      if (
        heaped &&
        (!queued ||
          (this.heapAts[0] as number) < (this.queueAts[this.head] as number) ||
          ((this.heapAts[0] as number) === (this.queueAts[this.head] as number) &&
            (this.heapOrders[0] as number) < (this.queueOrders[this.head] as number)))
      ) {
        at = this.heapAts[0] as number;
        if (at > upTo) break;
        next = this.heap[0] as T;
        this.popHeap();
      } else if (queued) {
        at = this.queueAts[this.head] as number;
        if (at > upTo) break;
        next = this.shiftQueue();
      } else break;
      if (at > this.released) this.released = at;
      each(next, at);
    }
  }

  /** Takes the queue's first record off the ring. */
  private shiftQueue(): T {
    const item = this.queue[this.head] as T;
    this.queue[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count -= 1;
    // Memory follows what is held: a ring a quarter full, past its first size, is halved.
    if (this.mask >= INITIAL_SLOTS && this.count < (this.mask + 1) >> 2) {
      this.resize((this.mask + 1) >> 1);
    }
    return item;
  }

  /** Doubles the ring. */
  private grow(): void {
    this.resize((this.mask + 1) * 2);
  }

  /** Makes the ring `slots` long (room for every record held), its records kept in order from slot 0. */
  private resize(slots: number): void {
    const queue: (T | undefined)[] = new Array(slots).fill(undefined);
    const ats = new Float64Array(slots);
    const orders = new Float64Array(slots);
    for (let index = 0; index < this.count; index++) {
      const from = (this.head + index) & this.mask;
      queue[index] = this.queue[from];
      ats[index] = this.queueAts[from] as number;
      orders[index] = this.queueOrders[from] as number;
    }
    this.queue = queue;
    this.queueAts = ats;
    this.queueOrders = orders;
    this.mask = slots - 1;
    this.head = 0;
  }

  private popHeap(): void {
    const heap = this.heap;
    const ats = this.heapAts;
    const orders = this.heapOrders;
    const last = heap.pop() as T;
    const lastAt = ats.pop() as number;
    const lastOrder = orders.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      ats[0] = lastAt;
      orders[0] = lastOrder;
      this.siftDown(0);
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.heapAts[a] as number;
    const y = this.heapAts[b] as number;
    return x < y || (x === y && (this.heapOrders[a] as number) < (this.heapOrders[b] as number));
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const ats = this.heapAts;
    const orders = this.heapOrders;
    const item = heap[a] as T;
    heap[a] = heap[b] as T;
    heap[b] = item;
    const at = ats[a] as number;
    ats[a] = ats[b] as number;
    ats[b] = at;
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
