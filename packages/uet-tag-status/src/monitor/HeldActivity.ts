import { applyActivityFastPath } from '../engine/fastPath.js';
import type { PendingCommit } from './PendingCommit.js';
import type { TagTable } from './TagTable.js';

/** How many hits are held at most before they must be applied. */
const CAPACITY = 1024;

/**
 * Activity a monitor accepted but has not yet written to its tags: each hit as its tag's
 * number and its time. Only activity that changes no status is
 * held (the engine's fast path would take it, and nothing is due), so holding it changes
 * nothing anyone is told; it is applied in one go, before anything reads a tag's data
 * times or changes a tag, before every timer, or when the buffer is full. Applying many
 * together lets the processor fetch their tags' data times side by side instead of one
 * after another.
 *
 * @example
 * ```ts
 * const held = new HeldActivity(table, pending);
 * held.hold(no, 1_000); // applies everything held when the buffer fills up
 * held.apply(); // before reading or changing any tag
 * ```
 */
export class HeldActivity {
  private readonly numbers = new Int32Array(CAPACITY);
  private readonly times = new Float64Array(CAPACITY);
  private count = 0;

  /**
   * @param table - the tags.
   * @param pending - the pending store commit, when there is a store: applied hits go there.
   */
  constructor(
    private readonly table: TagTable,
    private readonly pending: PendingCommit | undefined,
  ) {}

  /** How many hits are held. */
  get length(): number {
    return this.count;
  }

  /** Holds a hit of tag `no` at `at`. */
  hold(no: number, at: number): void {
    const index = this.count;
    this.numbers[index] = no;
    this.times[index] = at;
    this.count = index + 1;
    if (this.count === CAPACITY) this.apply();
  }

  /**
   * Applies the held activity through the engine's fast path, in arrival order, reading
   * and writing only the tags' data times; nothing is reported, as no status changes.
   */
  apply(): void {
    const count = this.count;
    if (count === 0) return;
    this.count = 0;
    const { numbers, times, table, pending } = this;
    for (let index = 0; index < count; index++) {
      const no = numbers[index] as number;
      const at = times[index] as number;
      const facts = table.activityView(no);
      if (!applyActivityFastPath(facts, at)) {
        throw new Error(
          `internal: activity held for tag ${table.idOf(no)} would change its status`,
        );
      }
      table.writeDataTimes(no, facts);
      pending?.hit(no, at);
    }
  }
}
