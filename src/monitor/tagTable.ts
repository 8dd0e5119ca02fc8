import { createTagFacts, type GoalFacts, type TagFacts } from '../engine/tagFacts.js';
import {
  UetTagTrackingStatus,
  type UetTagTrackingStatus as UetTagTrackingStatusValue,
} from '../valueSets/uetTagTrackingStatus.js';
import type { StoredTag } from './store/monitorStore.js';

/** Tag statuses by their one-byte code. */
export const TAG_STATUSES: readonly UetTagTrackingStatusValue[] =
  Object.values(UetTagTrackingStatus);

const STATUS_CODES: Readonly<Record<UetTagTrackingStatusValue, number>> = {
  Unverified: TAG_STATUSES.indexOf('Unverified'),
  Active: TAG_STATUSES.indexOf('Active'),
  Inactive: TAG_STATUSES.indexOf('Inactive'),
};

const NO_GOALS: GoalFacts[] = [];
const LIVE = 1;
const AVAILABLE = 2;
const HAS_GOALS = 4;

/**
 * The facts of every tag of a monitor, compact: one number per tag indexes typed arrays
 * (a status byte, flags, three times as float64 with NaN for "none"), ids sit in one
 * array, and goals only exist for tags that have some. A tag costs about 30 bytes here
 * plus its id and its entry in the id map.
 *
 * The engine works on `TagFacts` records: {@link TagTable.view} fills one shared record
 * for a tag without allocating, and {@link TagTable.write} copies it back.
 *
 * Numbers of removed tags are handed out again only after {@link TagTable.release}, so a
 * number never stands for two tags within one store commit.
 *
 * @example
 * ```ts
 * const table = new TagTable();
 * const no = table.add('tag-1', createTagFacts());
 * table.view(no).status; // 'Unverified'
 * ```
 */
export class TagTable {
  private readonly numbers = new Map<string, number>();
  private readonly ids: (string | undefined)[] = [];
  private readonly goalsByNo = new Map<number, GoalFacts[]>();
  private readonly free: number[] = [];
  private readonly quarantined: number[] = [];
  private statusCodes = new Uint8Array(1024);
  private flags = new Uint8Array(1024);
  private changedAt = new Float64Array(1024);
  private firstDataAt = new Float64Array(1024);
  private lastDataAt = new Float64Array(1024);
  private readonly shared: TagFacts = createTagFacts();

  /** How many tags are live. */
  get size(): number {
    return this.numbers.size;
  }

  /** One more than the highest number ever handed out: numbers are below it. */
  get capacity(): number {
    return this.ids.length;
  }

  /** The tag's number, or `undefined` when no such tag is live. */
  numberOf(tagId: string): number | undefined {
    return this.numbers.get(tagId);
  }

  /** The id of a live tag's number. */
  idOf(no: number): string {
    const tagId = this.ids[no];
    if (tagId === undefined) throw new Error(`internal: tag number ${no} is not live`);
    return tagId;
  }

  /** Whether `no` is a live tag's number. */
  isLive(no: number): boolean {
    return no < this.ids.length && ((this.flags[no] as number) & LIVE) !== 0;
  }

  /** The status of a live tag. */
  statusOf(no: number): UetTagTrackingStatusValue {
    return TAG_STATUSES[this.statusCodes[no] as number] as UetTagTrackingStatusValue;
  }

  /** The goals of a live tag, in attachment order (the table's own records). */
  goalsOf(no: number): GoalFacts[] {
    return this.goalsByNo.get(no) ?? NO_GOALS;
  }

  /** Adds a tag with the given facts under the given number, or the next free one. */
  add(tagId: string, facts: TagFacts, no = this.free.pop() ?? this.ids.length): number {
    this.ensureCapacity(no + 1);
    while (this.ids.length <= no) this.ids.push(undefined);
    this.ids[no] = tagId;
    this.numbers.set(tagId, no);
    this.write(no, facts);
    return no;
  }

  /** Removes a live tag; its number is reused only after {@link TagTable.release}. */
  remove(no: number): void {
    const tagId = this.idOf(no);
    this.numbers.delete(tagId);
    this.ids[no] = undefined;
    this.flags[no] = 0;
    this.goalsByNo.delete(no);
    this.quarantined.push(no);
  }

  /** Makes the numbers of tags removed so far available again. */
  release(): void {
    for (const no of this.quarantined) this.free.push(no);
    this.quarantined.length = 0;
  }

  /**
   * The tag's facts in one shared record (valid until the next call): the engine may
   * read and change it; {@link TagTable.write} stores the changes. Goals are the table's
   * own records, so changes to them stick.
   */
  view(no: number): TagFacts {
    const facts = this.shared;
    facts.status = this.statusOf(no);
    facts.changedAt = timeOrUndefined(this.changedAt[no] as number);
    facts.firstDataAt = timeOrUndefined(this.firstDataAt[no] as number);
    facts.lastDataAt = timeOrUndefined(this.lastDataAt[no] as number);
    facts.tagAvailable = ((this.flags[no] as number) & AVAILABLE) !== 0;
    facts.goals = ((this.flags[no] as number) & HAS_GOALS) === 0 ? NO_GOALS : this.goalsOf(no);
    return facts;
  }

  /** Stores a tag's facts. */
  write(no: number, facts: TagFacts): void {
    this.statusCodes[no] = STATUS_CODES[facts.status];
    const hasGoals = facts.goals.length > 0;
    this.flags[no] = LIVE | (facts.tagAvailable ? AVAILABLE : 0) | (hasGoals ? HAS_GOALS : 0);
    this.changedAt[no] = facts.changedAt ?? Number.NaN;
    this.firstDataAt[no] = facts.firstDataAt ?? Number.NaN;
    this.lastDataAt[no] = facts.lastDataAt ?? Number.NaN;
    if (hasGoals) this.goalsByNo.set(no, facts.goals);
    else this.goalsByNo.delete(no);
  }

  /** Stores only the data times of a tag (after activity that changed no status). */
  writeDataTimes(no: number, facts: TagFacts): void {
    this.firstDataAt[no] = facts.firstDataAt ?? Number.NaN;
    this.lastDataAt[no] = facts.lastDataAt ?? Number.NaN;
  }

  /** A live tag as a store keeps it (a copy). */
  toStored(no: number): StoredTag {
    const facts = this.view(no);
    return {
      no,
      tagId: this.idOf(no),
      status: facts.status,
      changedAt: facts.changedAt,
      firstDataAt: facts.firstDataAt,
      lastDataAt: facts.lastDataAt,
      tagAvailable: facts.tagAvailable,
      goals: facts.goals.map((goal) => ({ ...goal })),
    };
  }

  /** Adds a tag read from a store under its stored number. */
  load(tag: StoredTag): void {
    if (this.isLive(tag.no)) throw new Error(`internal: tag number ${tag.no} loaded twice`);
    this.add(tag.tagId, { ...tag, goals: tag.goals.map((goal) => ({ ...goal })) }, tag.no);
  }

  /** Makes the numbers below {@link TagTable.capacity} that no tag uses free (after loading). */
  collectFree(): void {
    this.free.length = 0;
    for (let no = this.ids.length - 1; no >= 0; no--) {
      if (this.ids[no] === undefined) this.free.push(no);
    }
  }

  /** The numbers of live tags, in increasing order. */
  *liveNumbers(): IterableIterator<number> {
    for (let no = 0; no < this.ids.length; no++) if (this.ids[no] !== undefined) yield no;
  }

  /** The numbers of live tags in a status, in increasing order. */
  numbersInStatus(status: UetTagTrackingStatusValue): number[] {
    const code = STATUS_CODES[status];
    const found: number[] = [];
    const { statusCodes, flags } = this;
    for (let no = 0; no < this.ids.length; no++) {
      if (statusCodes[no] === code && ((flags[no] as number) & LIVE) !== 0) found.push(no);
    }
    return found;
  }

  private ensureCapacity(length: number): void {
    if (length <= this.flags.length) return;
    const capacity = Math.max(length, this.flags.length * 2);
    this.statusCodes = grow(this.statusCodes, new Uint8Array(capacity));
    this.flags = grow(this.flags, new Uint8Array(capacity));
    this.changedAt = grow(this.changedAt, new Float64Array(capacity));
    this.firstDataAt = grow(this.firstDataAt, new Float64Array(capacity));
    this.lastDataAt = grow(this.lastDataAt, new Float64Array(capacity));
  }
}

function grow<T extends Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function timeOrUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}
