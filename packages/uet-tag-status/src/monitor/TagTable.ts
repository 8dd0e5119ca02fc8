import type { FactChange } from '../engine/factChange.js';
import type { ActivityFacts } from '../engine/fastPath.js';
import type { SilenceStep } from '../engine/SilenceStep.js';
import { createTagFacts, type GoalFacts, type TagFacts } from '../engine/tagFacts.js';
import { INITIAL_TAG_STATUS } from '../machines/chartFacts.js';
import { windowEndOf } from '../machines/windowArithmetic.js';
import {
  UetTagTrackingStatus,
  type UetTagTrackingStatus as UetTagTrackingStatusValue,
} from '../valueSets/uetTagTrackingStatus.js';
import type { TrackingWindows } from '../windows.js';
import type { StoredTag } from './store/monitorStore.js';

/** Tag statuses by their one-byte code. */
export const TAG_STATUSES: readonly UetTagTrackingStatusValue[] =
  Object.values(UetTagTrackingStatus);

const STATUS_CODES = Object.fromEntries(
  TAG_STATUSES.map((status, code) => [status, code]),
) as Readonly<Record<UetTagTrackingStatusValue, number>>;

const NO_GOALS: GoalFacts[] = [];
/** Each tag's data times, side by side: the first and the latest. */
const DATA_TIMES = 2;
const FIRST_DATA_AT = 0;
const LAST_DATA_AT = 1;
/** A tag's state byte: the status code in the low 2 bits, then the flags. */
const STATUS_MASK = 3;
const LIVE = 4;
const AVAILABLE = 8;
const HAS_GOALS = 16;

/**
 * The facts of every tag of a monitor, compact: one number per tag indexes three typed
 * arrays (times are NaN for "none"): its two data times side by side, which activity
 * moves, apart from the time of its latest change and a state byte (status code and
 * flags), which only status changes touch, so that a run of activity reads and writes
 * a dense array; ids sit in one array, and goals only exist for tags that have some. A
 * tag costs 33 bytes here plus its id and its entry in the id map. The id map holds
 * only numbers and changes only when a tag is added or removed: a status change (a
 * million of them in a storm) writes one byte, not a map entry.
 *
 * The engine works on `TagFacts` records: {@link TagTable.view} fills one shared record
 * for a tag without allocating, and {@link TagTable.write} copies it back;
 * {@link TagTable.activityView} does the same with only the data times.
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
  private dataTimes = new Float64Array(1024 * DATA_TIMES);
  private changedAts = new Float64Array(1024);
  private states = new Uint8Array(1024);
  private idMapVersion = 0;
  /** The silence step {@link TagTable.stepSilence} took last, and its state bytes before and after. */
  private silenceStep: SilenceStep | undefined;
  private silenceStateBefore = 0;
  private silenceStateAfter = 0;
  /**
   * Two shared records for {@link TagTable.view}: `timed` only ever holds tags whose three
   * times are all set, so V8 keeps those fields as unboxed doubles and the hot path
   * allocates nothing; `untimed` holds the rest. Their properties are created in
   * different orders so that they do not share a hidden class.
   */
  private readonly timed: TagFacts = {
    goals: NO_GOALS,
    status: INITIAL_TAG_STATUS,
    changedAt: 0,
    firstDataAt: 0,
    lastDataAt: 0,
    tagAvailable: true,
  };
  private readonly untimed: TagFacts = createTagFacts();
  /** The shared record of {@link TagTable.activityView}: its times are always set. */
  private readonly activity: ActivityFacts = {
    status: INITIAL_TAG_STATUS,
    firstDataAt: 0,
    lastDataAt: 0,
  };

  /**
   * Changes whenever the id map does (a tag added or removed): numbers read earlier are
   * still true while it stays the same.
   */
  get version(): number {
    return this.idMapVersion;
  }

  /**
   * Reads the numbers of the tags of `inputs[from]` to `inputs[to - 1]` into `into` (from
   * index 0; -1 for none, or for an input without a string `tagId`), in one tight loop: the
   * lookups of different tags do not depend on each other, so the processor overlaps their
   * cache misses. Returns the {@link TagTable.version} they hold for.
   */
  numbersOf(inputs: readonly unknown[], from: number, to: number, into: Int32Array): number {
    for (let index = from; index < to; index++) {
      const tagId = (inputs[index] as { tagId?: unknown } | null | undefined)?.tagId;
      into[index - from] = (typeof tagId === 'string' ? this.numbers.get(tagId) : undefined) ?? -1;
    }
    return this.idMapVersion;
  }

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
    return no < this.ids.length && (this.stateOf(no) & LIVE) !== 0;
  }

  /** The status of a live tag. */
  statusOf(no: number): UetTagTrackingStatusValue {
    return TAG_STATUSES[this.stateOf(no) & STATUS_MASK] as UetTagTrackingStatusValue;
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
    this.write(no, facts);
    return no;
  }

  /** Removes a live tag; its number is reused only after {@link TagTable.release}. */
  remove(no: number): void {
    const tagId = this.idOf(no);
    this.numbers.delete(tagId);
    this.idMapVersion += 1;
    this.ids[no] = undefined;
    this.states[no] = 0;
    this.goalsByNo.delete(no);
    this.quarantined.push(no);
  }

  /** Makes the numbers of tags removed so far available again. */
  release(): void {
    if (this.quarantined.length === 0) return;
    for (const no of this.quarantined) this.free.push(no);
    this.quarantined.length = 0;
  }

  /**
   * The tag's facts in a shared record (valid until the next call): the engine may read
   * and change it; {@link TagTable.write} stores the changes. Goals are the table's own
   * records, so changes to them stick.
   */
  view(no: number): TagFacts {
    const { dataTimes } = this;
    const state = this.states[no] as number;
    const changedAt = this.changedAts[no] as number;
    const firstDataAt = dataTimes[no * DATA_TIMES + FIRST_DATA_AT] as number;
    const lastDataAt = dataTimes[no * DATA_TIMES + LAST_DATA_AT] as number;
    let facts: TagFacts;
    if (Number.isNaN(changedAt) || Number.isNaN(firstDataAt) || Number.isNaN(lastDataAt)) {
      facts = this.untimed;
      facts.changedAt = timeOrUndefined(changedAt);
      facts.firstDataAt = timeOrUndefined(firstDataAt);
      facts.lastDataAt = timeOrUndefined(lastDataAt);
    } else {
      facts = this.timed;
      facts.changedAt = changedAt;
      facts.firstDataAt = firstDataAt;
      facts.lastDataAt = lastDataAt;
    }
    facts.status = TAG_STATUSES[state & STATUS_MASK] as UetTagTrackingStatusValue;
    facts.tagAvailable = (state & AVAILABLE) !== 0;
    facts.goals = (state & HAS_GOALS) === 0 ? NO_GOALS : this.goalsOf(no);
    return facts;
  }

  /**
   * A tag's data times and status in a shared record (valid until the next call),
   * without reading anything else of the tag: for activity on the fast path, which needs
   * no more. The tag must have data times.
   * {@link TagTable.writeDataTimes} stores the changes.
   */
  activityView(no: number): ActivityFacts {
    const base = no * DATA_TIMES;
    const firstDataAt = this.dataTimes[base + FIRST_DATA_AT] as number;
    const lastDataAt = this.dataTimes[base + LAST_DATA_AT] as number;
    if (Number.isNaN(firstDataAt) || Number.isNaN(lastDataAt)) {
      throw new Error(`internal: tag ${this.idOf(no)} has no data times`);
    }
    const facts = this.activity;
    facts.status = this.statusOf(no);
    facts.firstDataAt = firstDataAt;
    facts.lastDataAt = lastDataAt;
    return facts;
  }

  /**
   * Reads the columns of the tags `tags[from]` to `tags[to - 1]` in one tight loop and
   * returns a number made of what it read: the loads of different tags do not depend on
   * each other, so the processor overlaps their cache misses, and the work on those tags
   * that follows finds them in cache (a storm's tags are spread over the whole table).
   */
  warm(tags: Int32Array, from: number, to: number): number {
    const { states, changedAts, dataTimes, ids } = this;
    let read = 0;
    for (let index = from; index < to; index++) {
      const no = tags[index] as number;
      read += (states[no] as number) + (changedAts[no] as number);
      read += dataTimes[no * DATA_TIMES + LAST_DATA_AT] as number;
      if (ids[no] === undefined) read += 1;
    }
    return read;
  }

  /**
   * Applies `step` (a `SilenceStep`) to the goalless tag `no` on the table's own columns,
   * without a view: when the tag is of the step's status and access, its own silence is
   * due at `key` (its key in the deadline heap: the re-check) and its times are of the
   * step's kind, the tag's state byte and times are written as the step leaves them and
   * its changes returned (reused by the step's next call); else nothing changes and
   * `undefined` says to take the general path.
   */
  stepSilence(
    no: number,
    key: number,
    step: SilenceStep,
    windows: TrackingWindows,
  ): readonly FactChange[] | undefined {
    if (step !== this.silenceStep) this.bindSilence(step);
    const { states, dataTimes, changedAts } = this;
    if (states[no] !== this.silenceStateBefore) return undefined;
    const base = no * DATA_TIMES;
    const lastDataAt = dataTimes[base + LAST_DATA_AT] as number;
    if (windowEndOf(lastDataAt, windows.activityWindowMs) !== key) return undefined;
    const firstDataAt = dataTimes[base + FIRST_DATA_AT] as number;
    if (!step.matchesTimes(key, firstDataAt, lastDataAt, changedAts[no] as number, windows)) {
      return undefined;
    }
    const changes = step.applyToTimes();
    const { resultTimes } = step;
    dataTimes[base + FIRST_DATA_AT] = resultTimes[0] as number;
    dataTimes[base + LAST_DATA_AT] = resultTimes[1] as number;
    changedAts[no] = resultTimes[2] as number;
    states[no] = this.silenceStateAfter;
    return changes;
  }

  private bindSilence(step: SilenceStep): void {
    this.silenceStep = step;
    const stateOf = (status: UetTagTrackingStatusValue, tagAvailable: boolean) =>
      STATUS_CODES[status] | LIVE | (tagAvailable ? AVAILABLE : 0);
    this.silenceStateBefore = stateOf(step.status as UetTagTrackingStatusValue, step.tagAvailable);
    this.silenceStateAfter = stateOf(
      step.resultStatus as UetTagTrackingStatusValue,
      step.resultTagAvailable,
    );
  }

  /** Stores a tag's facts. */
  write(no: number, facts: TagFacts): void {
    const hasGoals = facts.goals.length > 0;
    const previousState = this.states[no] as number;
    if ((previousState & LIVE) === 0) {
      this.numbers.set(this.idOf(no), no);
      this.idMapVersion += 1;
    }
    this.states[no] =
      STATUS_CODES[facts.status] |
      LIVE |
      (facts.tagAvailable ? AVAILABLE : 0) |
      (hasGoals ? HAS_GOALS : 0);
    const base = no * DATA_TIMES;
    const { timed } = this;
    if (facts === timed) {
      // The shared record's own loads see one hidden class: its times are read unboxed.
      this.changedAts[no] = timed.changedAt ?? Number.NaN;
      this.dataTimes[base + FIRST_DATA_AT] = timed.firstDataAt ?? Number.NaN;
      this.dataTimes[base + LAST_DATA_AT] = timed.lastDataAt ?? Number.NaN;
    } else {
      this.changedAts[no] = facts.changedAt ?? Number.NaN;
      this.writeDataTimes(no, facts);
    }
    if (hasGoals) this.goalsByNo.set(no, facts.goals);
    else if ((previousState & HAS_GOALS) !== 0) this.goalsByNo.delete(no);
  }

  /** Stores only the data times of a tag (after activity that changed no status). */
  writeDataTimes(no: number, facts: ActivityFacts): void {
    const base = no * DATA_TIMES;
    this.dataTimes[base + FIRST_DATA_AT] = facts.firstDataAt ?? Number.NaN;
    this.dataTimes[base + LAST_DATA_AT] = facts.lastDataAt ?? Number.NaN;
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
    const wanted = STATUS_CODES[status] | LIVE;
    const found: number[] = [];
    for (let no = 0; no < this.ids.length; no++) {
      if ((this.stateOf(no) & (STATUS_MASK | LIVE)) === wanted) found.push(no);
    }
    return found;
  }

  private stateOf(no: number): number {
    return this.states[no] as number;
  }

  private ensureCapacity(length: number): void {
    if (length <= this.states.length) return;
    const capacity = Math.max(length, this.states.length * 2);
    const dataTimes = new Float64Array(capacity * DATA_TIMES);
    dataTimes.set(this.dataTimes);
    this.dataTimes = dataTimes;
    const changedAts = new Float64Array(capacity);
    changedAts.set(this.changedAts);
    this.changedAts = changedAts;
    const states = new Uint8Array(capacity);
    states.set(this.states);
    this.states = states;
  }
}

function timeOrUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}
