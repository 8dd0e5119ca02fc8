import { HistoryCodec, MAX_ENTRY_BYTES } from './HistoryCodec.js';
import { HistoryQueue, type QueuedChangeSink } from './HistoryQueue.js';
import { HistorySlots } from './HistorySlots.js';

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

/** Inline room per change a tag's slot gets: a change takes 4 to 9 bytes in a storm. */
const SLOT_BYTES_PER_CHANGE = 6;
/** The largest slot; longer records continue in shared chunks. */
const MAX_SLOT_BYTES = 128;

/**
 * The last `limit` status changes of every tag, kept compact: each tag's changes are one
 * byte record ({@link HistoryCodec}: per change a byte of statuses and flags, then
 * varints of its steps from the change before), oldest first, in a slot of its own in one
 * shared array ({@link HistorySlots}: about 6 bytes per change of the limit, at most 128,
 * and a record that outgrows it continues in shared 64-byte chunks). With the default
 * limit of 10 a tag costs its 64-byte slot whatever its history: ten changes of a storm
 * of a million tags (steps of a million sequence numbers and of a day, noticed at once)
 * take about 60 bytes; changes noticed late take a byte or more each for the delay, and
 * what does not fit continues in chunks. The goal ids of goals' changes are kept beside,
 * for the few tags that have some. Every field reads back exactly: a change whose steps
 * are not whole numbers within 2^48 is kept whole (27 bytes).
 *
 * @example
 * ```ts
 * const history = new ChangeHistory(2);
 * history.add(0, { seq: 1, goalId: undefined, from: 'Unverified', to: 'Active', effectiveAt: 5, noticedAt: 5 });
 * history.list(0); // [that entry]
 * ```
 */
export class ChangeHistory implements QueuedChangeSink {
  private readonly slots: HistorySlots | undefined;
  private readonly codec = new HistoryCodec();
  /** The changes {@link ChangeHistory.addFields} encodes (at most two). */
  private readonly record = new Uint8Array(2 * MAX_ENTRY_BYTES);
  /** A record put together whole, to be stored out of place. */
  private whole = new Uint8Array(256);
  /** The goal ids of a tag's goals' changes, oldest first, for tags that have some. */
  private readonly goalIds = new Map<number, string[]>();
  /** Tags' own changes {@link ChangeHistory.queue}d, to be added in tag order. */
  private readonly queued = new HistoryQueue();
  private used = 0;

  /** @param limit - how many changes to keep per tag (0 keeps none). */
  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 0 || limit > 65_535) {
      throw new RangeError(`history limit ${limit} is not an integer from 0 to 65535`);
    }
    const slotSize = Math.min(
      MAX_SLOT_BYTES,
      Math.ceil((1 + SLOT_BYTES_PER_CHANGE * limit) / 8) * 8,
    );
    this.slots = limit === 0 ? undefined : new HistorySlots(Math.max(16, slotSize));
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
    if (this.slots === undefined) return seq;
    this.addQueued();
    const { codec } = this;
    return this.addCodes(
      no,
      seq,
      goalId,
      codec.codeOf(from),
      codec.codeOf(to),
      effectiveAt,
      noticedAt,
    );
  }

  /**
   * Keeps a tag's own change (no goal's) as its newest, later: changes queued are added
   * in tag order (see {@link HistoryQueue}) before anything else reads or adds to the
   * history, or at {@link ChangeHistory.addQueued}. Nothing is said of what falls out:
   * for a monitor without a store, which keeps nothing else.
   */
  queue(
    no: number,
    seq: number,
    from: string,
    to: string,
    effectiveAt: number,
    noticedAt: number,
  ): void {
    if (this.slots === undefined) return;
    const { queued, codec } = this;
    codec.baseOn(seq, effectiveAt);
    const fromCode = codec.codeOf(from);
    const toCode = codec.codeOf(to);
    if (fromCode > 0xff || toCode > 0xff) {
      // Codes the queue cannot hold: added at once, after the changes queued before it.
      this.addQueued();
      this.addCodes(no, seq, undefined, fromCode, toCode, effectiveAt, noticedAt);
      return;
    }
    if (queued.isFull) this.addQueued();
    queued.push(no, seq, fromCode, toCode, effectiveAt, noticedAt);
  }

  /** Makes room for `count` more changes to be {@link ChangeHistory.queue}d. */
  reserveQueue(count: number): void {
    if (this.slots !== undefined) this.queued.reserve(count);
  }

  /** Adds the changes {@link ChangeHistory.queue}d so far. */
  addQueued(): void {
    if (this.queued.size > 0) this.queued.drain(this);
  }

  /** Adds a change handed back by the queue (see {@link ChangeHistory.addQueued}); for it only. */
  addQueuedChange(
    no: number,
    seq: number,
    fromCode: number,
    toCode: number,
    effectiveAt: number,
    noticedAt: number,
  ): void {
    this.addCodes(no, seq, undefined, fromCode, toCode, effectiveAt, noticedAt);
  }

  /** {@link ChangeHistory.addFields} with the statuses as the codec's codes. */
  private addCodes(
    no: number,
    seq: number,
    goalId: string | undefined,
    from: number,
    to: number,
    effectiveAt: number,
    noticedAt: number,
  ): number | undefined {
    const { slots, codec } = this;
    if (slots === undefined) return seq;
    slots.ensure(no + 1);
    const length = slots.open(no);
    const { bytes, start } = slots;
    const end = start + length;
    const record = this.record;
    // Read to the newest, noting the oldest (which falls out at the limit) and the next.
    codec.readAt = start;
    let count = 0;
    let droppedSeq: number | undefined;
    let droppedGoal = false;
    let nextEnd = end;
    let nextSeq = 0;
    let nextFrom = 0;
    let nextTo = 0;
    let nextGoal = false;
    let nextAt = 0;
    let nextNoticedAt = 0;
    while (codec.readAt < end) {
      codec.read(bytes, count === 0);
      count += 1;
      if (count === 1) {
        droppedSeq = codec.seq;
        droppedGoal = codec.isGoal;
      } else if (count === 2) {
        nextEnd = codec.readAt;
        nextSeq = codec.seq;
        nextFrom = codec.from;
        nextTo = codec.to;
        nextGoal = codec.isGoal;
        nextAt = codec.effectiveAt;
        nextNoticedAt = codec.noticedAt;
      }
    }
    const newestSeq = codec.seq;
    const newestAt = codec.effectiveAt;
    const drops = count === this.limit;
    if (!drops && slots.isInline && length + MAX_ENTRY_BYTES <= slots.room) {
      // Room in the slot: the new change is written after the newest, in place.
      codec.writeAt = end;
      codec.writeCodes(
        bytes,
        count === 0,
        newestSeq,
        newestAt,
        seq,
        from,
        to,
        goalId !== undefined,
        effectiveAt,
        noticedAt,
      );
      slots.setLength(no, codec.writeAt - start);
      if (goalId !== undefined) this.keepGoalId(no, goalId);
      this.used += 1;
      return undefined;
    }
    // The new record: a head (the second oldest as the first, when the oldest falls
    // out: it counts from the base now), the kept middle as it was, the new change.
    codec.writeAt = 0;
    if (drops && count >= 2) {
      codec.writeCodes(
        record,
        true,
        0,
        0,
        nextSeq,
        nextFrom,
        nextTo,
        nextGoal,
        nextAt,
        nextNoticedAt,
      );
    }
    const headLength = codec.writeAt;
    const keptFrom = drops ? nextEnd : start;
    codec.writeCodes(
      record,
      drops ? count < 2 : count === 0,
      newestSeq,
      newestAt,
      seq,
      from,
      to,
      goalId !== undefined,
      effectiveAt,
      noticedAt,
    );
    const newLength = codec.writeAt - headLength;
    const keptLength = end - keptFrom;
    const total = headLength + keptLength + newLength;
    if (slots.isInline && total <= slots.room) {
      // In place: no copy of the whole record.
      if (keptFrom !== start + headLength) bytes.copyWithin(start + headLength, keptFrom, end);
      copyBytes(record, 0, headLength, bytes, start);
      copyBytes(record, headLength, codec.writeAt, bytes, start + headLength + keptLength);
      slots.setLength(no, total);
    } else {
      const whole = this.assembled(total);
      copyBytes(record, 0, headLength, whole, 0);
      copyBytes(bytes, keptFrom, end, whole, headLength);
      copyBytes(record, headLength, codec.writeAt, whole, headLength + keptLength);
      slots.store(no, whole, total);
    }
    if (drops && droppedGoal) this.dropOldestGoal(no);
    if (goalId !== undefined) this.keepGoalId(no, goalId);
    if (!drops) {
      this.used += 1;
      return undefined;
    }
    return droppedSeq;
  }

  /** Reads the slots of tags `tags[from..to)` ahead of adding to them (see `TagTable.warm`). */
  warm(tags: Int32Array, from: number, to: number): number {
    return this.slots === undefined ? 0 : this.slots.warm(tags, from, to);
  }

  /** The kept changes of tag `no`, oldest first. */
  list(no: number): HistoryEntry[] {
    this.addQueued();
    const entries: HistoryEntry[] = [];
    const { slots, codec } = this;
    if (slots === undefined || no >= slots.capacity) return entries;
    const length = slots.open(no);
    const end = slots.start + length;
    const goalIds = this.goalIds.get(no);
    let goals = 0;
    for (codec.readAt = slots.start; codec.readAt < end; ) {
      codec.read(slots.bytes, entries.length === 0);
      entries.push({
        seq: codec.seq,
        goalId: codec.isGoal ? goalIds?.[goals++] : undefined,
        from: codec.statusOf(codec.from),
        to: codec.statusOf(codec.to),
        effectiveAt: codec.effectiveAt,
        noticedAt: codec.noticedAt,
      });
    }
    return entries;
  }

  /** Forgets every change of tag `no`. */
  clear(no: number): void {
    const { slots } = this;
    if (slots === undefined) return;
    this.addQueued();
    if (no >= slots.capacity) return;
    this.used -= this.list(no).length;
    slots.clear(no);
    this.goalIds.delete(no);
  }

  /** How many changes are kept over all tags. */
  get size(): number {
    this.addQueued();
    return this.used;
  }

  private assembled(length: number): Uint8Array {
    if (this.whole.length < length) this.whole = new Uint8Array(2 * length);
    return this.whole;
  }

  /** Keeps the goal id of tag `no`'s newest change, a goal's. */
  private keepGoalId(no: number, goalId: string): void {
    const ids = this.goalIds.get(no);
    if (ids === undefined) this.goalIds.set(no, [goalId]);
    else ids.push(goalId);
  }

  private dropOldestGoal(no: number): void {
    const ids = this.goalIds.get(no);
    if (ids === undefined) return;
    ids.shift();
    if (ids.length === 0) this.goalIds.delete(no);
  }
}

/** Copies `from[start..end)` to `to` at `at`; returns where the copy ends in `to`. */
function copyBytes(
  from: Uint8Array,
  start: number,
  end: number,
  to: Uint8Array,
  at: number,
): number {
  let next = at;
  for (let index = start; index < end; index++) to[next++] = from[index] as number;
  return next;
}
