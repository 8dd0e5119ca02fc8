import { StatusCodes } from './StatusCodes.js';

/** One change as {@link ChangeHistory} keeps it. */
export interface HistoryEntry {
  readonly seq: number;
  /** The goal's id for a goal's change; `undefined` for the tag's own. */
  readonly goalId: string | undefined;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
  readonly noticedAt: number;
}

/**
 * The last `limit` status changes of every tag, kept compact: entries live in shared
 * typed arrays (30 bytes each, plus the goal's id for a goal's change) linked newest to oldest per tag, and freed entries
 * are reused, so memory follows the number of kept changes, not of tags.
 *
 * @example
 * ```ts
 * const history = new ChangeHistory(2);
 * history.add(0, { seq: 1, goalId: undefined, from: 'Unverified', to: 'Active', effectiveAt: 5, noticedAt: 5 });
 * history.list(0); // [that entry]
 * ```
 */
export class ChangeHistory {
  private heads = new Int32Array(1024).fill(-1);
  private counts = new Uint16Array(1024);
  private older = new Int32Array(256);
  private seqs = new Float64Array(256);
  private effectiveAts = new Float64Array(256);
  private noticedAts = new Float64Array(256);
  private fromCodes = new Uint8Array(256);
  private toCodes = new Uint8Array(256);
  /** Goal ids of goal changes only, by entry: most changes are a tag's own. */
  private readonly goalIds = new Map<number, string>();
  private readonly codes = new StatusCodes();
  private freeHead = -1;
  private used = 0;

  /** @param limit - how many changes to keep per tag (0 keeps none). */
  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 0 || limit > 65_535) {
      throw new RangeError(`history limit ${limit} is not an integer from 0 to 65535`);
    }
  }

  /**
   * Keeps a change of tag `no` as its newest; returns the sequence number of the entry
   * that fell out (beyond the limit), if any.
   */
  add(no: number, entry: HistoryEntry): number | undefined {
    const { seq, goalId, from, to, effectiveAt, noticedAt } = entry;
    return this.addFields(no, seq, goalId, from, to, effectiveAt, noticedAt);
  }

  /** {@link ChangeHistory.add} with the entry's fields as arguments (no entry object). */
  addFields(
    no: number,
    seq: number,
    goalId: string | undefined,
    from: string,
    to: string,
    effectiveAt: number,
    noticedAt: number,
  ): number | undefined {
    if (this.limit === 0) return seq;
    this.ensureTags(no + 1);
    const slot = this.allocate();
    this.seqs[slot] = seq;
    if (goalId !== undefined) this.goalIds.set(slot, goalId);
    this.fromCodes[slot] = this.codes.codeOf(from);
    this.toCodes[slot] = this.codes.codeOf(to);
    this.effectiveAts[slot] = effectiveAt;
    this.noticedAts[slot] = noticedAt;
    this.older[slot] = this.heads[no] as number;
    this.heads[no] = slot;
    const count = (this.counts[no] as number) + 1;
    if (count <= this.limit) {
      this.counts[no] = count;
      return undefined;
    }
    let last = slot;
    for (let kept = 1; kept < this.limit; kept++) last = this.older[last] as number;
    const dropped = this.older[last] as number;
    this.older[last] = -1;
    const droppedSeq = this.seqs[dropped] as number;
    this.release(dropped);
    return droppedSeq;
  }

  /** The kept changes of tag `no`, oldest first. */
  list(no: number): HistoryEntry[] {
    const entries: HistoryEntry[] = [];
    if (no >= this.heads.length) return entries;
    for (let slot = this.heads[no] as number; slot >= 0; slot = this.older[slot] as number) {
      entries.push({
        seq: this.seqs[slot] as number,
        goalId: this.goalIds.get(slot),
        from: this.codes.statusOf(this.fromCodes[slot] as number),
        to: this.codes.statusOf(this.toCodes[slot] as number),
        effectiveAt: this.effectiveAts[slot] as number,
        noticedAt: this.noticedAts[slot] as number,
      });
    }
    return entries.reverse();
  }

  /** Forgets every change of tag `no`. */
  clear(no: number): void {
    if (no >= this.heads.length) return;
    let slot = this.heads[no] as number;
    while (slot >= 0) {
      const next = this.older[slot] as number;
      this.release(slot);
      slot = next;
    }
    this.heads[no] = -1;
    this.counts[no] = 0;
  }

  /** How many changes are kept over all tags. */
  get size(): number {
    return this.used;
  }

  private allocate(): number {
    this.used += 1;
    if (this.freeHead >= 0) {
      const slot = this.freeHead;
      this.freeHead = this.older[slot] as number;
      return slot;
    }
    const slot = this.used - 1;
    if (slot >= this.older.length) this.ensureEntries(slot + 1);
    return slot;
  }

  private release(slot: number): void {
    this.used -= 1;
    this.goalIds.delete(slot);
    this.older[slot] = this.freeHead;
    this.freeHead = slot;
  }

  private ensureEntries(length: number): void {
    const capacity = Math.max(length, this.older.length * 2);
    this.older = grow(this.older, new Int32Array(capacity));
    this.seqs = grow(this.seqs, new Float64Array(capacity));
    this.effectiveAts = grow(this.effectiveAts, new Float64Array(capacity));
    this.noticedAts = grow(this.noticedAts, new Float64Array(capacity));
    this.fromCodes = grow(this.fromCodes, new Uint8Array(capacity));
    this.toCodes = grow(this.toCodes, new Uint8Array(capacity));
  }

  private ensureTags(length: number): void {
    if (length <= this.heads.length) return;
    const capacity = Math.max(length, this.heads.length * 2);
    const heads = new Int32Array(capacity).fill(-1);
    heads.set(this.heads);
    this.heads = heads;
    this.counts = grow(this.counts, new Uint16Array(capacity));
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
