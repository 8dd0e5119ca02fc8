import type { DueSorter } from './DueSorter.js';

/** Entries {@link DeadlineHeap.isMostlyDue} looks at. */
const SAMPLES = 64;

/**
 * One priority queue of deadlines for every tag of a monitor: each tag's deadline (at
 * most one) can be set, moved earlier or later, or removed, and the earliest read in
 * O(1). Equal deadlines come out in tag-number order, so firing order is deterministic.
 *
 * A binary min-heap of (deadline, tag) entries with lazy removal: each tag's deadline is
 * kept by tag number, and a heap entry counts only while it matches it. Moving the top
 * tag (what a storm does a million times: the tag fired and its next deadline is later,
 * or it has none) sifts in place or pops, exactly as a plain heap pops; moving any other
 * tag adds an entry and leaves the old one to be skipped when it reaches the top. So no
 * heap position is tracked per tag, and a sift writes only the heap's two arrays. When
 * the skipped entries outnumber the live ones the heap is rebuilt from the deadlines.
 *
 * Storage: per tag its deadline (8 bytes), per entry 12 bytes (deadline and tag side by
 * side in two typed arrays).
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
  /** Each tag's deadline, NaN for none. */
  private deadlines = new Float64Array(16).fill(Number.NaN);
  /** Entries in the heap, stale ones included. */
  private count = 0;
  /** Tags with a deadline. */
  private live = 0;

  /** How many tags have a deadline. */
  get size(): number {
    return this.live;
  }

  /** Whether `tag` has a deadline. */
  has(tag: number): boolean {
    return tag < this.deadlines.length && !Number.isNaN(this.deadlines[tag]);
  }

  /** The deadline of `tag`, or `undefined` when it has none. */
  deadlineOf(tag: number): number | undefined {
    return this.has(tag) ? this.deadlines[tag] : undefined;
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
    if (Number.isNaN(deadline)) throw new RangeError(`deadline of tag ${tag} is NaN`);
    this.ensureTags(tag + 1);
    const previous = this.deadlines[tag] as number;
    if (previous === deadline) return;
    this.deadlines[tag] = deadline;
    if (Number.isNaN(previous)) this.live += 1;
    if (this.count > 0 && this.tags[0] === tag && this.keys[0] === previous) {
      // The top entry is the tag's: move it.
      this.keys[0] = deadline;
      if (deadline > previous) {
        this.siftDown(0);
        this.dropStaleTop();
      }
      return;
    }
    if (this.count >= 2 * this.live + 1_024) this.rebuild();
    else this.push(tag, deadline);
  }

  /** Removes the deadline of `tag`, if it has one. */
  delete(tag: number): void {
    if (!this.has(tag)) return;
    this.deadlines[tag] = Number.NaN;
    this.live -= 1;
    this.dropStaleTop();
  }

  /** Removes and returns the tag with the earliest deadline, or `-1` when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const tag = this.tags[0] as number;
    this.deadlines[tag] = Number.NaN;
    this.live -= 1;
    this.removeTop();
    this.dropStaleTop();
    return tag;
  }

  /**
   * Takes up to `max` tags whose deadlines are due by `now` off the heap, earliest first,
   * into `tags` and `deadlines` (from index 0); returns how many.
   */
  popDue(now: number, tags: Int32Array, deadlines: Float64Array, max: number): number {
    let taken = 0;
    while (taken < max && this.count > 0 && (this.keys[0] as number) <= now) {
      tags[taken] = this.tags[0] as number;
      deadlines[taken] = this.keys[0] as number;
      this.pop();
      taken += 1;
    }
    return taken;
  }

  /**
   * Whether about a quarter or more of the heap's entries are due by `now`, judged from
   * 64 entries spread over it (a storm's case, where {@link DeadlineHeap.takeAllDue}
   * beats popping one at a time).
   */
  isMostlyDue(now: number): boolean {
    const { count, keys } = this;
    const step = Math.max(1, Math.floor(count / SAMPLES));
    let due = 0;
    let seen = 0;
    for (let position = 0; position < count; position += step) {
      seen += 1;
      if ((keys[position] as number) <= now) due += 1;
    }
    return due * 4 >= seen;
  }

  /**
   * Takes every deadline due by `now` off the heap into `sorter`, sorted by deadline, ties
   * by tag number (as popping them one at a time gives them), and builds the heap anew
   * from the rest; returns how many. Costs a pass over every tag's deadline and a radix
   * sort of the due ones, instead of a sift through the heap for each.
   */
  takeAllDue(now: number, sorter: DueSorter): number {
    const { deadlines } = this;
    let due = 0;
    for (let tag = 0; tag < deadlines.length; tag++) {
      if ((deadlines[tag] as number) <= now) due += 1;
    }
    const { tags, deadlines: dueDeadlines } = sorter.room(due);
    let taken = 0;
    for (let tag = 0; tag < deadlines.length; tag++) {
      const deadline = deadlines[tag] as number;
      if (!(deadline <= now)) continue;
      tags[taken] = tag;
      dueDeadlines[taken] = deadline;
      taken += 1;
      deadlines[tag] = Number.NaN;
    }
    this.live -= taken;
    this.rebuild();
    sorter.sort(taken);
    return taken;
  }

  /** Whether the first deadline comes before `deadline` of `tag` (ties by tag number). */
  isFirstBefore(deadline: number, tag: number): boolean {
    if (this.count === 0) return false;
    const first = this.keys[0] as number;
    return first < deadline || (first === deadline && (this.tags[0] as number) < tag);
  }

  /** Whether the entry at `position` is its tag's deadline. */
  private isLive(position: number): boolean {
    return this.keys[position] === this.deadlines[this.tags[position] as number];
  }

  /**
   * Removes stale entries from the top, so that the top is always a live one. With no
   * stale entry in the heap (a storm's case: every entry is live) there is nothing to
   * check, and the top tag's deadline is not read.
   */
  private dropStaleTop(): void {
    while (this.count > this.live && !this.isLive(0)) this.removeTop();
  }

  private removeTop(): void {
    this.count -= 1;
    const last = this.count;
    if (last === 0) return;
    this.tags[0] = this.tags[last] as number;
    this.keys[0] = this.keys[last] as number;
    this.siftDown(0);
  }

  private push(tag: number, deadline: number): void {
    this.ensureHeap(this.count + 1);
    const position = this.count;
    this.tags[position] = tag;
    this.keys[position] = deadline;
    this.count += 1;
    this.siftUp(position);
  }

  /** Builds the heap anew from the deadlines: only live entries, one per tag. */
  private rebuild(): void {
    const { deadlines } = this;
    let count = 0;
    for (let tag = 0; tag < deadlines.length; tag++) {
      const deadline = deadlines[tag] as number;
      if (Number.isNaN(deadline)) continue;
      this.tags[count] = tag;
      this.keys[count] = deadline;
      count += 1;
    }
    this.count = count;
    for (let position = (count >> 1) - 1; position >= 0; position--) this.siftDown(position);
  }

  /**
   * Moves the entry at `start` up to where it belongs: parents that come after it move
   * down into the hole it leaves, and it is written once, where the hole ends.
   */
  private siftUp(start: number): void {
    const { tags, keys } = this;
    const tag = tags[start] as number;
    const key = keys[start] as number;
    let position = start;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const parentKey = keys[parent] as number;
      if (parentKey < key || (parentKey === key && (tags[parent] as number) <= tag)) break;
      tags[position] = tags[parent] as number;
      keys[position] = parentKey;
      position = parent;
    }
    tags[position] = tag;
    keys[position] = key;
  }

  /** Moves the entry at `start` down to where it belongs, the same way. */
  private siftDown(start: number): void {
    const { tags, keys, count } = this;
    const tag = tags[start] as number;
    const key = keys[start] as number;
    let position = start;
    for (;;) {
      let child = 2 * position + 1;
      if (child >= count) break;
      let childKey = keys[child] as number;
      const right = child + 1;
      if (right < count) {
        const rightKey = keys[right] as number;
        if (
          rightKey < childKey ||
          (rightKey === childKey && (tags[right] as number) < (tags[child] as number))
        ) {
          child = right;
          childKey = rightKey;
        }
      }
      if (childKey > key || (childKey === key && (tags[child] as number) >= tag)) break;
      tags[position] = tags[child] as number;
      keys[position] = childKey;
      position = child;
    }
    tags[position] = tag;
    keys[position] = key;
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

  private ensureTags(length: number): void {
    if (length <= this.deadlines.length) return;
    const deadlines = new Float64Array(Math.max(length, this.deadlines.length * 2));
    deadlines.fill(Number.NaN, this.deadlines.length);
    deadlines.set(this.deadlines);
    this.deadlines = deadlines;
  }
}
