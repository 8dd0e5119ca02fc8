/** Bits of a deadline sorted on per pass. */
const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
/** Digits of a deadline's 64 bits. */
const DIGITS = 64 / DIGIT_BITS;
/** Whether this machine stores a number's low bits first (the digits are read that way). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Sorts a run of (deadline, tag) entries, given in tag order, by deadline, ties in tag
 * order: a stable radix sort on the deadlines' bits, 16 at a time, lowest first,
 * skipping the digits every deadline shares (a storm's deadlines, a day of whole
 * milliseconds, differ in three). Non-negative numbers order as their bits do; any
 * other deadline makes {@link DueSorter.sort} sort by comparing instead. Its columns
 * grow to the largest run sorted, until {@link DueSorter.release}.
 *
 * @example
 * ```ts
 * const sorter = new DueSorter();
 * const { tags, deadlines } = sorter.room(2);
 * tags.set([3, 5]);
 * deadlines.set([2_000, 1_000]);
 * sorter.sort(2); // sorter.tags: [5, 3], sorter.deadlines: [1_000, 2_000]
 * ```
 */
export class DueSorter {
  /** The entries, sorted after {@link DueSorter.sort}. */
  tags = new Int32Array(0);
  deadlines = new Float64Array(0);
  private spareTags = new Int32Array(0);
  private spareDeadlines = new Float64Array(0);
  private readonly counts = new Int32Array(BUCKETS);

  /** Columns with room for `count` entries, to be filled in tag order. */
  room(count: number): { tags: Int32Array; deadlines: Float64Array } {
    if (this.tags.length < count) {
      this.tags = new Int32Array(count);
      this.deadlines = new Float64Array(count);
      this.spareTags = new Int32Array(count);
      this.spareDeadlines = new Float64Array(count);
    }
    return { tags: this.tags, deadlines: this.deadlines };
  }

  /** Sorts the first `count` entries of {@link DueSorter.tags} and {@link DueSorter.deadlines}. */
  sort(count: number): void {
    if (count < 2) return;
    if (!LITTLE_ENDIAN || !allNonNegative(this.deadlines, count)) {
      this.sortByComparing(count);
      return;
    }
    for (let digit = 0; digit < DIGITS; digit++) this.sortByDigit(count, digit);
  }

  /** Lets the columns go (after a storm, they hold megabytes). */
  release(): void {
    this.tags = new Int32Array(0);
    this.deadlines = new Float64Array(0);
    this.spareTags = new Int32Array(0);
    this.spareDeadlines = new Float64Array(0);
  }

  /** One stable counting-sort pass on digit `digit` (0: the lowest bits). */
  private sortByDigit(count: number, digit: number): void {
    const { counts, tags, deadlines, spareTags, spareDeadlines } = this;
    const words = new Uint16Array(deadlines.buffer, 0, count * DIGITS);
    counts.fill(0);
    for (let index = 0; index < count; index++) {
      const bucket = words[index * DIGITS + digit] as number;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    // A digit every deadline shares leaves the order as it is.
    if (counts[words[digit] as number] === count) return;
    let start = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const size = counts[bucket] as number;
      counts[bucket] = start;
      start += size;
    }
    for (let index = 0; index < count; index++) {
      const bucket = words[index * DIGITS + digit] as number;
      const place = counts[bucket] as number;
      counts[bucket] = place + 1;
      spareTags[place] = tags[index] as number;
      spareDeadlines[place] = deadlines[index] as number;
    }
    this.tags = spareTags;
    this.deadlines = spareDeadlines;
    this.spareTags = tags;
    this.spareDeadlines = deadlines;
  }

  private sortByComparing(count: number): void {
    const { tags, deadlines } = this;
    const order = Array.from({ length: count }, (_, index) => index);
    order.sort((a, b) => {
      const first = deadlines[a] as number;
      const second = deadlines[b] as number;
      if (first !== second) return first < second ? -1 : 1;
      return (tags[a] as number) - (tags[b] as number);
    });
    const sortedTags = Int32Array.from(order, (index) => tags[index] as number);
    const sortedDeadlines = Float64Array.from(order, (index) => deadlines[index] as number);
    tags.set(sortedTags);
    deadlines.set(sortedDeadlines);
  }
}

/** Whether the first `count` numbers are all at least 0 (and none is -0 or NaN). */
function allNonNegative(values: Float64Array, count: number): boolean {
  for (let index = 0; index < count; index++) {
    const value = values[index] as number;
    if (!(value > 0) && !(value === 0 && 1 / value > 0)) return false;
  }
  return true;
}
