/**
 * One priority queue of deadlines for every tag of a monitor: an indexed binary min-heap
 * keyed by tag number, so a tag's deadline can be added, moved earlier or later, or
 * removed in O(log n), and the earliest one read in O(1). Equal deadlines come out in
 * tag-number order, so firing order is deterministic.
 *
 * Storage is three typed arrays (16 bytes per tag): the heap's tag numbers and deadlines
 * side by side, and each tag's position in the heap.
 *
 * @example
 * ```ts
 * const heap = new DeadlineHeap();
 * heap.set(7, 1_000);
 * heap.set(3, 500);
 * heap.peekTag(); // 3
 * heap.set(3, 2_000); // later: tag 7 is first now
 * heap.pop(); // 7
 * ```
 */
export class DeadlineHeap {
  private tags = new Int32Array(16);
  private keys = new Float64Array(16);
  private positions = new Int32Array(16).fill(-1);
  private count = 0;

  /** How many tags have a deadline. */
  get size(): number {
    return this.count;
  }

  /** Whether `tag` has a deadline. */
  has(tag: number): boolean {
    return tag < this.positions.length && (this.positions[tag] as number) >= 0;
  }

  /** The deadline of `tag`, or `undefined` when it has none. */
  deadlineOf(tag: number): number | undefined {
    if (!this.has(tag)) return undefined;
    return this.keys[this.positions[tag] as number];
  }

  /** The tag with the earliest deadline, or `-1` when the heap is empty. */
  peekTag(): number {
    return this.count === 0 ? -1 : (this.tags[0] as number);
  }

  /** The earliest deadline, or `Infinity` when the heap is empty. */
  peekDeadline(): number {
    return this.count === 0 ? Number.POSITIVE_INFINITY : (this.keys[0] as number);
  }

  /** Sets (adds or moves, earlier or later) the deadline of `tag`. */
  set(tag: number, deadline: number): void {
    if (!Number.isInteger(tag) || tag < 0) throw new RangeError(`tag number ${tag} is invalid`);
    this.ensurePositions(tag + 1);
    const position = this.positions[tag] as number;
    if (position < 0) {
      this.ensureHeap(this.count + 1);
      this.place(this.count, tag, deadline);
      this.count += 1;
      this.siftUp(this.count - 1);
      return;
    }
    const previous = this.keys[position] as number;
    this.keys[position] = deadline;
    if (deadline < previous) this.siftUp(position);
    else if (deadline > previous) this.siftDown(position);
  }

  /** Removes the deadline of `tag`, if it has one. */
  delete(tag: number): void {
    if (!this.has(tag)) return;
    const position = this.positions[tag] as number;
    this.positions[tag] = -1;
    this.count -= 1;
    if (position === this.count) return;
    this.place(position, this.tags[this.count] as number, this.keys[this.count] as number);
    this.siftDown(position);
    this.siftUp(position);
  }

  /** Removes and returns the tag with the earliest deadline, or `-1` when empty. */
  pop(): number {
    const tag = this.peekTag();
    if (tag >= 0) this.delete(tag);
    return tag;
  }

  private before(a: number, b: number): boolean {
    const keyA = this.keys[a] as number;
    const keyB = this.keys[b] as number;
    return keyA < keyB || (keyA === keyB && (this.tags[a] as number) < (this.tags[b] as number));
  }

  private place(position: number, tag: number, deadline: number): void {
    this.tags[position] = tag;
    this.keys[position] = deadline;
    this.positions[tag] = position;
  }

  private swap(a: number, b: number): void {
    const tagA = this.tags[a] as number;
    const keyA = this.keys[a] as number;
    this.place(a, this.tags[b] as number, this.keys[b] as number);
    this.place(b, tagA, keyA);
  }

  private siftUp(start: number): void {
    let position = start;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      if (!this.before(position, parent)) return;
      this.swap(position, parent);
      position = parent;
    }
  }

  private siftDown(start: number): void {
    let position = start;
    for (;;) {
      const left = 2 * position + 1;
      if (left >= this.count) return;
      const right = left + 1;
      const child = right < this.count && this.before(right, left) ? right : left;
      if (!this.before(child, position)) return;
      this.swap(position, child);
      position = child;
    }
  }

  private ensureHeap(length: number): void {
    if (length <= this.tags.length) return;
    const capacity = Math.max(length, this.tags.length * 2);
    const tags = new Int32Array(capacity);
    tags.set(this.tags);
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    this.tags = tags;
    this.keys = keys;
  }

  private ensurePositions(length: number): void {
    if (length <= this.positions.length) return;
    const positions = new Int32Array(Math.max(length, this.positions.length * 2)).fill(-1);
    positions.set(this.positions);
    this.positions = positions;
  }
}
