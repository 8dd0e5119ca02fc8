import { StatusCodes } from './StatusCodes.js';

/** One status change as a monitor keeps it in a tag's history: its seq, goal, statuses and times. */
export interface HistoryEntry {
  readonly seq: number;
  /** The goal's id for a goal's change; `undefined` for the tag's own. */
  readonly goalId: string | undefined;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
  readonly noticedAt: number;
}

/** The fields {@link ChangeHistory} keeps per tag, side by side: its newest entry, its count. */
const TAG_FIELDS = 2;
const HEAD = 0;
const COUNT = 1;

/** Marks a sequence number kept in {@link ChangeHistory}'s map of wide ones. */
const WIDE_SEQ = 0xffff_ffff;
/** Marks a noticing delay kept in {@link ChangeHistory}'s map of wide ones. */
const WIDE_DELAY = -0x8000_0000;

/**
 * The last `limit` status changes of every tag, kept compact: entries live in shared
 * typed arrays linked newest to oldest per tag, and freed entries are reused, so memory
 * follows the number of kept changes, not of tags. An entry takes 22 bytes: its link, its
 * sequence number as an offset from the first one kept (32 bits), its effective time, the
 * delay until it was noticed (32 bits of milliseconds, about 24 days either way), and its
 * two status codes; an offset or delay too wide for 32 bits, and a goal's id, are kept in
 * maps beside them, for the few entries that have one. A tag takes 8 bytes: its newest
 * entry and its count, side by side.
 *
 * @example
 * ```ts
 * const history = new ChangeHistory(2);
 * history.add(0, { seq: 1, goalId: undefined, from: 'Unverified', to: 'Active', effectiveAt: 5, noticedAt: 5 });
 * history.list(0); // [that entry]
 * ```
 */
export class ChangeHistory {
  /**
   * Per tag, side by side (one cache line per tag, which a storm touches once per
   * silence): its newest entry (-1 for none), then how many it has.
   */
  private tagLists = tagListsFor(1024, new Int32Array(0));
  private older = new Int32Array(256);
  private seqOffsets = new Uint32Array(256);
  private effectiveAts = new Float64Array(256);
  private noticedDelays = new Int32Array(256);
  /** The sequence number offsets count from (the first one kept). */
  private seqBase = Number.NaN;
  private readonly wideSeqs = new Map<number, number>();
  private readonly wideDelays = new Map<number, number>();
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
    this.setSeq(slot, seq);
    if (goalId !== undefined) this.goalIds.set(slot, goalId);
    this.fromCodes[slot] = this.codes.codeOf(from);
    this.toCodes[slot] = this.codes.codeOf(to);
    this.effectiveAts[slot] = effectiveAt;
    this.setNoticedAt(slot, effectiveAt, noticedAt);
    const { tagLists } = this;
    const at = no * TAG_FIELDS;
    this.older[slot] = tagLists[at + HEAD] as number;
    tagLists[at + HEAD] = slot;
    const count = (tagLists[at + COUNT] as number) + 1;
    if (count <= this.limit) {
      tagLists[at + COUNT] = count;
      return undefined;
    }
    let last = slot;
    for (let kept = 1; kept < this.limit; kept++) last = this.older[last] as number;
    const dropped = this.older[last] as number;
    this.older[last] = -1;
    const droppedSeq = this.seqOf(dropped);
    this.release(dropped);
    return droppedSeq;
  }

  /** The kept changes of tag `no`, oldest first. */
  list(no: number): HistoryEntry[] {
    const entries: HistoryEntry[] = [];
    if (no >= this.tagCapacity) return entries;
    for (
      let slot = this.tagLists[no * TAG_FIELDS + HEAD] as number;
      slot >= 0;
      slot = this.older[slot] as number
    ) {
      entries.push({
        seq: this.seqOf(slot),
        goalId: this.goalIds.get(slot),
        from: this.codes.statusOf(this.fromCodes[slot] as number),
        to: this.codes.statusOf(this.toCodes[slot] as number),
        effectiveAt: this.effectiveAts[slot] as number,
        noticedAt: this.noticedAtOf(slot),
      });
    }
    return entries.reverse();
  }

  /** Forgets every change of tag `no`. */
  clear(no: number): void {
    if (no >= this.tagCapacity) return;
    let slot = this.tagLists[no * TAG_FIELDS + HEAD] as number;
    while (slot >= 0) {
      const next = this.older[slot] as number;
      this.release(slot);
      slot = next;
    }
    this.tagLists[no * TAG_FIELDS + HEAD] = -1;
    this.tagLists[no * TAG_FIELDS + COUNT] = 0;
  }

  /** How many tags {@link ChangeHistory.tagLists} has room for. */
  private get tagCapacity(): number {
    return this.tagLists.length / TAG_FIELDS;
  }

  /** How many changes are kept over all tags. */
  get size(): number {
    return this.used;
  }

  private setSeq(slot: number, seq: number): void {
    if (Number.isNaN(this.seqBase)) this.seqBase = seq;
    const offset = seq - this.seqBase;
    if (offset >= 0 && offset < WIDE_SEQ) {
      this.seqOffsets[slot] = offset;
    } else {
      this.seqOffsets[slot] = WIDE_SEQ;
      this.wideSeqs.set(slot, seq);
    }
  }

  private seqOf(slot: number): number {
    const offset = this.seqOffsets[slot] as number;
    return offset === WIDE_SEQ ? (this.wideSeqs.get(slot) as number) : this.seqBase + offset;
  }

  private setNoticedAt(slot: number, effectiveAt: number, noticedAt: number): void {
    const delay = noticedAt - effectiveAt;
    if (delay > WIDE_DELAY && delay <= 0x7fff_ffff && Number.isInteger(delay)) {
      this.noticedDelays[slot] = delay;
    } else {
      this.noticedDelays[slot] = WIDE_DELAY;
      this.wideDelays.set(slot, delay);
    }
  }

  private noticedAtOf(slot: number): number {
    const delay = this.noticedDelays[slot] as number;
    const effectiveAt = this.effectiveAts[slot] as number;
    return effectiveAt + (delay === WIDE_DELAY ? (this.wideDelays.get(slot) as number) : delay);
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
    if (this.seqOffsets[slot] === WIDE_SEQ) this.wideSeqs.delete(slot);
    if (this.noticedDelays[slot] === WIDE_DELAY) this.wideDelays.delete(slot);
    this.older[slot] = this.freeHead;
    this.freeHead = slot;
  }

  private ensureEntries(length: number): void {
    // By a quarter: these arrays hold most of a monitor's memory, and a copy now and
    // then costs less than a half-empty doubling.
    const capacity = Math.max(length, Math.ceil(this.older.length * 1.25));
    this.older = grow(this.older, new Int32Array(capacity));
    this.seqOffsets = grow(this.seqOffsets, new Uint32Array(capacity));
    this.effectiveAts = grow(this.effectiveAts, new Float64Array(capacity));
    this.noticedDelays = grow(this.noticedDelays, new Int32Array(capacity));
    this.fromCodes = grow(this.fromCodes, new Uint8Array(capacity));
    this.toCodes = grow(this.toCodes, new Uint8Array(capacity));
  }

  private ensureTags(length: number): void {
    if (length <= this.tagCapacity) return;
    const capacity = Math.max(length, this.tagCapacity * 2);
    this.tagLists = tagListsFor(capacity, this.tagLists);
  }
}

/** Per-tag lists for `capacity` tags: those of `from`, then empty ones (no entry, none counted). */
function tagListsFor(capacity: number, from: Int32Array): Int32Array {
  const tagLists = new Int32Array(capacity * TAG_FIELDS);
  tagLists.set(from);
  for (let at = from.length + HEAD; at < tagLists.length; at += TAG_FIELDS) tagLists[at] = -1;
  return tagLists;
}

function grow<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
