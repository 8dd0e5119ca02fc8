import { statusChange } from '../runtime/statusChange.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import { changeRecordOf } from './changeRecordOf.js';
import type { MonitorStatusChange } from './monitorInput.js';
import { StatusCodes } from './StatusCodes.js';

/** Room for changes a new buffer starts with. */
const INITIAL_ROOM = 256;
/** The most room for changes kept between operations. */
const KEPT_ROOM = 65_536;

/**
 * The changes a monitor found and has not told yet, kept as their fields side by side
 * (the tag ids by reference, statuses as codes, times and numbers in typed arrays,
 * goal ids only for goals' changes) rather than as a
 * record each: a storm finds a million changes before its one commit, and a million
 * records held that long are copied by every garbage collection in between. Each
 * change's record is made when it is told, and is garbage at once unless a listener
 * keeps it.
 *
 * @example
 * ```ts
 * const found = new FoundChanges();
 * found.add('shop', undefined, 'Active', 'Inactive', 5, 9, 1);
 * found.recordAt(0).to; // 'Inactive'
 * ```
 */
export class FoundChanges {
  private readonly tagIds: string[] = [];
  /** Goal ids of goal changes only, by index: most changes are a tag's own. */
  private readonly goalIds = new Map<number, string>();
  private readonly codes = new StatusCodes();
  private fromCodes: Uint8Array<ArrayBuffer> = new Uint8Array(INITIAL_ROOM);
  private toCodes: Uint8Array<ArrayBuffer> = new Uint8Array(INITIAL_ROOM);
  private effectiveAts: Float64Array<ArrayBuffer> = new Float64Array(INITIAL_ROOM);
  private noticedAts: Float64Array<ArrayBuffer> = new Float64Array(INITIAL_ROOM);
  private seqs: Float64Array<ArrayBuffer> = new Float64Array(INITIAL_ROOM);
  private count = 0;

  /** How many changes are kept. */
  get size(): number {
    return this.count;
  }

  /** Keeps a change (of goal `goalId` of the tag, or of the tag itself when `undefined`). */
  add(
    tagId: string,
    goalId: string | undefined,
    from: string,
    to: string,
    effectiveAt: number,
    noticedAt: number,
    seq: number,
  ): void {
    const index = this.count;
    if (index === this.seqs.length) this.grow();
    this.tagIds[index] = tagId;
    if (goalId !== undefined) this.goalIds.set(index, goalId);
    this.fromCodes[index] = this.codes.codeOf(from);
    this.toCodes[index] = this.codes.codeOf(to);
    this.effectiveAts[index] = effectiveAt;
    this.noticedAts[index] = noticedAt;
    this.seqs[index] = seq;
    this.count = index + 1;
  }

  /** The record of the change at `index` (a new one each call). */
  recordAt(index: number): MonitorStatusChange {
    const tagId = this.tagIds[index] as string;
    const from = this.codes.statusOf(this.fromCodes[index] as number);
    const to = this.codes.statusOf(this.toCodes[index] as number);
    const effectiveAt = this.effectiveAts[index] as number;
    const noticedAt = this.noticedAts[index] as number;
    const seq = this.seqs[index] as number;
    // Most changes are a tag's own, and then the goal map is not read.
    const goalId = this.goalIds.size === 0 ? undefined : this.goalIds.get(index);
    if (goalId === undefined) {
      return statusChange({
        kind: 'tag',
        tagId,
        from: from as UetTagTrackingStatus,
        to: to as UetTagTrackingStatus,
        effectiveAt,
        noticedAt,
        seq,
      }) as MonitorStatusChange;
    }
    return changeRecordOf(tagId, { seq, goalId, from, to, effectiveAt, noticedAt });
  }

  /**
   * Forgets every change kept. The arrays keep their room for the next ones, up to
   * {@link KEPT_ROOM} changes: a storm's million do not stay allocated after it.
   */
  clear(): void {
    if (this.seqs.length > KEPT_ROOM) {
      this.tagIds.length = 0;
      this.effectiveAts = new Float64Array(INITIAL_ROOM);
      this.noticedAts = new Float64Array(INITIAL_ROOM);
      this.seqs = new Float64Array(INITIAL_ROOM);
      this.fromCodes = new Uint8Array(INITIAL_ROOM);
      this.toCodes = new Uint8Array(INITIAL_ROOM);
    } else {
      this.tagIds.fill('', 0, this.count);
    }
    this.goalIds.clear();
    this.count = 0;
  }

  /**
   * Makes room for `count` more changes at once (a storm's, known ahead), so that the
   * columns are not grown by doubling, each doubling a copy and more memory to collect.
   */
  reserve(count: number): void {
    if (this.count + count > this.seqs.length) this.grow(this.count + count);
  }

  private grow(atLeast = 0): void {
    const capacity = Math.max(2 * this.seqs.length, atLeast);
    this.effectiveAts = grown(this.effectiveAts, new Float64Array(capacity));
    this.noticedAts = grown(this.noticedAts, new Float64Array(capacity));
    this.seqs = grown(this.seqs, new Float64Array(capacity));
    this.fromCodes = grown(this.fromCodes, new Uint8Array(capacity));
    this.toCodes = grown(this.toCodes, new Uint8Array(capacity));
  }
}

function grown<T extends Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(from: T, to: T): T {
  to.set(from);
  return to;
}
