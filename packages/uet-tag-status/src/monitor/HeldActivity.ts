/** How many hits are held at most before they must be applied. */
const CAPACITY = 1024;

/**
 * Activity a monitor accepted but has not yet written to its tags: each hit as its tag's
 * id map entry (number and status) and its time. Only activity that changes no status is
 * held, so holding it changes nothing anyone is told; it is applied in one go, before
 * anything reads a tag's data times or changes a tag, or when the buffer is full.
 * Applying many together lets the processor fetch their tags' data times side by side
 * instead of one after another.
 *
 * @example
 * ```ts
 * const held = new HeldActivity();
 * if (held.add(entry, 1_000)) applyHeld(); // full: apply now
 * held.length; // 1 until cleared
 * ```
 */
export class HeldActivity {
  /** The id map entries of the held hits' tags, in arrival order (the first {@link length}). */
  readonly entries = new Int32Array(CAPACITY);
  /** Times of the held hits. */
  readonly times = new Float64Array(CAPACITY);
  private count = 0;

  /** How many hits are held. */
  get length(): number {
    return this.count;
  }

  /** Holds a hit; says whether the buffer is now full and must be applied. */
  add(entry: number, at: number): boolean {
    const index = this.count;
    this.entries[index] = entry;
    this.times[index] = at;
    this.count = index + 1;
    return this.count === CAPACITY;
  }

  /** Forgets every held hit (once they are applied). */
  clear(): void {
    this.count = 0;
  }
}
