/** How many hits are held at most before they must be applied. */
const CAPACITY = 1024;

/**
 * Activity a monitor accepted but has not yet written to its tag records: each hit as
 * a tag number, its time and the monitor's time when it arrived. Only activity that
 * changes no status is held, so holding it changes nothing anyone is told; it is applied
 * in one go, before anything reads a tag's data times or changes a tag, or when the
 * buffer is full. Applying many together lets the processor fetch their tag records side
 * by side instead of one after another.
 *
 * @example
 * ```ts
 * const held = new HeldActivity();
 * if (held.add(3, 1_000, 1_000)) applyHeld(); // full: apply now
 * held.length; // 1 until cleared
 * ```
 */
export class HeldActivity {
  /** Tag numbers of the held hits, in arrival order (the first {@link length}). */
  readonly numbers = new Int32Array(CAPACITY);
  /** Times of the held hits. */
  readonly times = new Float64Array(CAPACITY);
  /** The monitor's time when each held hit arrived. */
  readonly arrivals = new Float64Array(CAPACITY);
  private count = 0;

  /** How many hits are held. */
  get length(): number {
    return this.count;
  }

  /** Holds a hit; says whether the buffer is now full and must be applied. */
  add(no: number, at: number, now: number): boolean {
    const index = this.count;
    this.numbers[index] = no;
    this.times[index] = at;
    this.arrivals[index] = now;
    this.count = index + 1;
    return this.count === CAPACITY;
  }

  /** Forgets every held hit (once they are applied). */
  clear(): void {
    this.count = 0;
  }
}
