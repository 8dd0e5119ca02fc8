/**
 * Puts records that arrive slightly out of time order back in order, within a bounded
 * look-behind: a record is released once a record at least `lookBehindMs` later has been
 * seen (or at the end), oldest first, ties in arrival order. A record older than one
 * already released is too late to reorder; {@link ReorderBuffer.push} returns `false`
 * for it and the caller processes it late (SPEC D1). Holds only the records within the
 * look-behind, so memory stays flat however long the file.
 *
 * @example
 * ```ts
 * const buffer = new ReorderBuffer<{ at: number }>(60_000);
 * buffer.push({ at: 30_000 });
 * buffer.push({ at: 10_000 });
 * buffer.push({ at: 100_000 });
 * buffer.release(); // [{ at: 10_000 }, { at: 30_000 }]
 * ```
 */
export class ReorderBuffer<T extends { readonly at: number }> {
  private readonly heap: { item: T; order: number }[] = [];
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
    return this.heap.length;
  }

  /** Adds a record; `false` (and nothing held) when it is older than one already released. */
  push(item: T): boolean {
    if (item.at < this.released) return false;
    this.latestSeen = Math.max(this.latestSeen, item.at);
    this.heap.push({ item, order: this.arrivals++ });
    this.siftUp(this.heap.length - 1);
    return true;
  }

  /** Takes out, in time order, every record the look-behind no longer covers. */
  release(): T[] {
    return this.drain(this.latestSeen - this.lookBehindMs);
  }

  /** Takes out every record held, in time order (at the end of the input). */
  flush(): T[] {
    return this.drain(Number.POSITIVE_INFINITY);
  }

  private drain(upTo: number): T[] {
    const out: T[] = [];
    while (this.heap.length > 0 && (this.heap[0]?.item.at ?? Number.POSITIVE_INFINITY) <= upTo) {
      const top = this.pop();
      this.released = Math.max(this.released, top.at);
      out.push(top);
    }
    return out;
  }

  private pop(): T {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined)
      throw new Error('internal: pop from an empty buffer');
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top.item;
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    if (x === undefined || y === undefined) return false;
    return x.item.at < y.item.at || (x.item.at === y.item.at && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    const x = heap[a];
    const y = heap[b];
    if (x === undefined || y === undefined) return;
    heap[a] = y;
    heap[b] = x;
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
