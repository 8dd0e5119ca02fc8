import { tagStatusLapses } from '../machines/chartFacts.js';
import type { TagEvent } from '../machines/types.js';
import { windowEndOf, windowStartOf } from '../machines/windowArithmetic.js';
import type { TrackingWindows } from '../windows.js';
import type { FactChange } from './factChange.js';
import { applyTemplate, type StepTemplate, templateOf } from './stepTemplate.js';
import { stepThroughMachines } from './stepThroughMachines.js';
import { NO_SLOT, TAG_SLOTS } from './TimeRanks.js';
import type { TagFacts } from './tagFacts.js';

/** The slots of a goalless tag's silence (as `TimeRanks` numbers them): the event's `at`, then the tag's times. */
const AT = 0;
const FIRST_DATA_AT = 2;
const LAST_DATA_AT = 3;
const CHANGED_AT = 4;
/**
 * `windowEndOf`, held here: the hot check calls it a dozen times a silence, and a module
 * loader's live binding would be read each time.
 */
const endOf = windowEndOf;
/** `NO_SLOT`, held here for the same reason. */
const NONE = NO_SLOT;
const TAG_TIMES = [FIRST_DATA_AT, LAST_DATA_AT, CHANGED_AT] as const;
/** The most unread times moved together when deriving (their places multiply). */
const MAX_JOINT = 2;

/** A time of a slot and a part (0: the time, 1: plus the activity window, 2: plus the conversion window). */
interface Entry {
  readonly slot: number;
  readonly part: number;
}

/** A tag's own silence, as the machines step it. */
type TagSilence = Extract<TagEvent, { type: 'tag.silenceElapsed' }>;

/**
 * The machines' step of a goalless tag's own silence (`tag.silenceElapsed`), derived once
 * from one tag for the run of tags of its kind that a storm fires: it recognises a tag of
 * the kind by only the times the step reads, and applies the step's template to the
 * tag's facts without allocating.
 *
 * Which times the step reads is found by the machines themselves: the sample tag is
 * stepped in full with each of its times moved, alone and then all the unread ones
 * together, to every place among the other times and their window ends (before, at and
 * after each of them); a time whose every place gives the same template is not read. The
 * kind is then the tag's status and access, which times are set, and the order of the
 * times read and their window ends (ties kept), as `StepMemo`'s kinds but over fewer
 * times. Property tests compare it with full machine steps.
 *
 * @example
 * ```ts
 * const silence = SilenceStep.derive(facts, at, windows); // facts: a goalless Active tag
 * if (silence?.matches(other, otherAt, windows)) silence.apply(other, otherAt); // as a full step
 * ```
 */
export class SilenceStep {
  /** Slot times before the step: the event's `at`, no `now`, the tag's three times. */
  private readonly times = new Float64Array(TAG_SLOTS);
  /** The changes of the step, reused: their effective times are set by each {@link SilenceStep.apply}. */
  private readonly changes: { kind: 'tag'; from: string; to: string; effectiveAt: number }[];
  private readonly effectiveSlots: Int32Array;
  /** The slot and part of each entry read, earliest first. */
  private readonly orderSlots: Int32Array;
  private readonly orderParts: Uint8Array;
  /**
   * The tag's times after {@link SilenceStep.applyToTimes}: the first data time, the latest
   * and the time of the latest change, side by side (NaN for none).
   */
  readonly resultTimes = new Float64Array(3);
  /** Whether the status the step leaves lapses by itself (the machines' `lapses` state tag). */
  private readonly resultLapses: boolean;

  private constructor(
    private readonly template: StepTemplate,
    /** The status of the tags of the step's kind. */
    readonly status: string,
    /** The access of the tags of the step's kind. */
    readonly tagAvailable: boolean,
    /** Bit `slot` set when the tag's time in `slot` is set. */
    private readonly defined: number,
    /** The entries read, earliest first, and 1 by position for a tie with the one before. */
    order: readonly Entry[],
    private readonly ties: Uint8Array,
    private readonly activityWindowMs: number,
    private readonly conversionWindowMs: number,
  ) {
    this.changes = template.changes.map((change) => ({
      kind: 'tag',
      from: change.from,
      to: change.to,
      effectiveAt: 0,
    }));
    this.effectiveSlots = Int32Array.from(template.changes, (change) => change.effectiveAt);
    this.orderSlots = Int32Array.from(order, (entry) => entry.slot);
    this.orderParts = Uint8Array.from(order, (entry) => entry.part);
    this.resultLapses = tagStatusLapses(template.status);
  }

  /** The status the step leaves. */
  get resultStatus(): string {
    return this.template.status;
  }

  /** The access the step leaves. */
  get resultTagAvailable(): boolean {
    return this.template.tagAvailable;
  }

  /**
   * The step of the silence of the goalless tag `facts` due at `at` (not changed), or
   * `undefined` when its template cannot be derived (a tag with goals, or a step whose
   * result is not made of the tag's own times).
   */
  static derive(facts: TagFacts, at: number, windows: TrackingWindows): SilenceStep | undefined {
    if (facts.goals.length > 0) return undefined;
    const sample = slotTimesOf(facts, at);
    const template = stepTemplateOf(facts, sample, windows);
    if (template === undefined) return undefined;
    const probe = (times: Float64Array) => templateHolds(template, facts, times, windows);
    const set = [AT, ...TAG_TIMES].filter((slot) => !Number.isNaN(sample[slot]));
    const unread = set.filter(
      (slot) => slot !== AT && placesOf(sample, slot, set, windows).every((moved) => probe(moved)),
    );
    // Moved together, two unread times are checked at every pair of places; more are read.
    const together =
      unread.length > MAX_JOINT ||
      (unread.length > 1 && !everyJointPlace(sample, unread, set, windows, probe));
    const read = set.filter((slot) => together || !unread.includes(slot));
    const entries = read.flatMap((slot) => [0, 1, 2].map((part) => ({ slot, part })));
    const value = (entry: Entry) => partOf(sample[entry.slot] as number, entry.part, windows);
    const order = entries.sort((a, b) => value(a) - value(b));
    const ties = Uint8Array.from(order, (entry, position) =>
      position > 0 && value(entry) === value(order[position - 1] as Entry) ? 1 : 0,
    );
    let defined = 0;
    for (const slot of set) defined |= 1 << slot;
    return new SilenceStep(
      template,
      facts.status,
      facts.tagAvailable,
      defined,
      order,
      ties,
      windows.activityWindowMs,
      windows.conversionWindowMs,
    );
  }

  /** Whether the silence of `facts` due at `at`, under `windows`, is of this step's kind. */
  matches(facts: TagFacts, at: number, windows: TrackingWindows): boolean {
    return (
      facts.status === this.status &&
      facts.tagAvailable === this.tagAvailable &&
      facts.goals.length === 0 &&
      this.matchesTimes(
        at,
        facts.firstDataAt ?? Number.NaN,
        facts.lastDataAt ?? Number.NaN,
        facts.changedAt ?? Number.NaN,
        windows,
      )
    );
  }

  /**
   * Whether the silence due at `at` of a goalless tag of this step's status and access,
   * with these times (NaN for none), under `windows`, is of this step's kind.
   */
  matchesTimes(
    at: number,
    firstDataAt: number,
    lastDataAt: number,
    changedAt: number,
    windows: TrackingWindows,
  ): boolean {
    if (
      windows.activityWindowMs !== this.activityWindowMs ||
      windows.conversionWindowMs !== this.conversionWindowMs
    ) {
      return false;
    }
    const { times } = this;
    times[AT] = at;
    times[FIRST_DATA_AT] = firstDataAt;
    times[LAST_DATA_AT] = lastDataAt;
    times[CHANGED_AT] = changedAt;
    let defined = 1 << AT;
    for (const slot of TAG_TIMES) if (!Number.isNaN(times[slot])) defined |= 1 << slot;
    if (defined !== this.defined) return false;
    const { orderSlots, orderParts, ties, activityWindowMs, conversionWindowMs } = this;
    let previous = Number.NaN;
    for (let position = 0; position < orderSlots.length; position++) {
      const slotTime = times[orderSlots[position] as number] as number;
      const part = orderParts[position] as number;
      const time =
        part === 0 ? slotTime : endOf(slotTime, part === 1 ? activityWindowMs : conversionWindowMs);
      if (position > 0 && (ties[position] === 1 ? time !== previous : !(time > previous))) {
        return false;
      }
      previous = time;
    }
    return true;
  }

  /**
   * Applies the step to `facts`, which {@link SilenceStep.matches} just accepted, as a full
   * machine step would; returns its changes, records reused by the next call (read them
   * before). Mutates `facts`.
   */
  apply(facts: TagFacts): readonly FactChange[] {
    const { template, times, changes, effectiveSlots } = this;
    for (let index = 0; index < changes.length; index++) {
      (changes[index] as { effectiveAt: number }).effectiveAt = times[
        effectiveSlots[index] as number
      ] as number;
    }
    facts.status = template.status;
    facts.tagAvailable = template.tagAvailable;
    // Each time stored in its own branch: a time returned from a call, or merged with
    // `undefined` in one expression, is boxed first (a million times in a storm).
    const { firstDataAt, lastDataAt, changedAt } = template;
    if (firstDataAt === NONE) facts.firstDataAt = undefined;
    else facts.firstDataAt = times[firstDataAt] as number;
    if (lastDataAt === NONE) facts.lastDataAt = undefined;
    else facts.lastDataAt = times[lastDataAt] as number;
    if (changedAt === NONE) facts.changedAt = undefined;
    else facts.changedAt = times[changedAt] as number;
    return changes as readonly FactChange[];
  }

  /**
   * Applies the step to the times {@link SilenceStep.matchesTimes} just accepted, as a full
   * machine step would: the tag's times after it go to {@link SilenceStep.resultTimes}
   * (its status and access after it are {@link SilenceStep.resultStatus} and
   * {@link SilenceStep.resultTagAvailable}); returns its changes, records reused by the
   * next call (read them before).
   */
  applyToTimes(): readonly FactChange[] {
    const { template, times, changes, effectiveSlots, resultTimes } = this;
    for (let index = 0; index < changes.length; index++) {
      (changes[index] as { effectiveAt: number }).effectiveAt = times[
        effectiveSlots[index] as number
      ] as number;
    }
    const { firstDataAt, lastDataAt, changedAt } = template;
    resultTimes[0] = firstDataAt === NONE ? Number.NaN : (times[firstDataAt] as number);
    resultTimes[1] = lastDataAt === NONE ? Number.NaN : (times[lastDataAt] as number);
    resultTimes[2] = changedAt === NONE ? Number.NaN : (times[changedAt] as number);
    return changes as readonly FactChange[];
  }

  /**
   * The next silence, after {@link SilenceStep.applyToTimes}, of the goalless tag it left:
   * the end of its activity window when its status lapses, else `Infinity` (as
   * `nextSilenceAt` gives it).
   */
  nextSilenceAfter(windows: TrackingWindows): number {
    const lastDataAt = this.resultTimes[1] as number;
    if (!this.resultLapses || Number.isNaN(lastDataAt)) return Number.POSITIVE_INFINITY;
    return endOf(lastDataAt, windows.activityWindowMs);
  }
}

/** The silence's slot times of `facts` due at `at` (NaN for none). */
function slotTimesOf(facts: TagFacts, at: number): Float64Array {
  const times = new Float64Array(TAG_SLOTS).fill(Number.NaN);
  times[AT] = at;
  times[FIRST_DATA_AT] = facts.firstDataAt ?? Number.NaN;
  times[LAST_DATA_AT] = facts.lastDataAt ?? Number.NaN;
  times[CHANGED_AT] = facts.changedAt ?? Number.NaN;
  return times;
}

/** `time` (part 0), or the end of its activity (1) or conversion (2) window. */
function partOf(time: number, part: number, windows: TrackingWindows): number {
  if (part === 0) return time;
  return windowEndOf(time, part === 1 ? windows.activityWindowMs : windows.conversionWindowMs);
}

/** The template of the full machine step of the silence of `facts` with slot times `times`. */
function stepTemplateOf(
  facts: TagFacts,
  times: Float64Array,
  windows: TrackingWindows,
): StepTemplate | undefined {
  const stepped = factsAt(facts, times);
  const event: TagSilence = { type: 'tag.silenceElapsed', at: times[AT] as number };
  const changes = stepThroughMachines(stepped, event, windows);
  return templateOf(stepped, [], changes, Array.from(times));
}

/** A copy of the goalless tag `facts` with its times from slot times `times`. */
function factsAt(facts: TagFacts, times: Float64Array): TagFacts {
  return {
    ...facts,
    goals: [],
    firstDataAt: definedAt(times, FIRST_DATA_AT),
    lastDataAt: definedAt(times, LAST_DATA_AT),
    changedAt: definedAt(times, CHANGED_AT),
  };
}

/** The time in slot `slot` of `times`, or `undefined` when it is NaN. */
function definedAt(times: Float64Array, slot: number): number | undefined {
  const time = times[slot] as number;
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Whether `template` applied to the tag `facts` with slot times `times` gives what the
 * full machine step of its silence gives: the same facts and the same changes.
 */
function templateHolds(
  template: StepTemplate,
  facts: TagFacts,
  times: Float64Array,
  windows: TrackingWindows,
): boolean {
  const stepped = factsAt(facts, times);
  const event: TagSilence = { type: 'tag.silenceElapsed', at: times[AT] as number };
  const changes = stepThroughMachines(stepped, event, windows);
  const applied = factsAt(facts, times);
  const appliedChanges = applyTemplate(template, applied, times);
  return exactly({ stepped, changes }) === exactly({ stepped: applied, changes: appliedChanges });
}

/** A value as text that tells every field apart, `undefined` ones included. */
function exactly(value: unknown): string {
  return JSON.stringify(value, (_key, field) => (field === undefined ? null : field));
}

/**
 * The slot times `times` with slot `slot` moved to each place among the other set slots'
 * times and window ends: at each of them, where its own window ends at each, and between
 * and around those.
 */
function placesOf(
  times: Float64Array,
  slot: number,
  set: readonly number[],
  windows: TrackingWindows,
): Float64Array[] {
  const points = new Set<number>();
  for (const other of set) {
    if (other === slot) continue;
    for (let part = 0; part < 3; part++) {
      const end = partOf(times[other] as number, part, windows);
      points.add(end);
      points.add(windowStartOf(end, windows.activityWindowMs));
      points.add(windowStartOf(end, windows.conversionWindowMs));
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  const places = [(sorted[0] as number) - 1, (sorted[sorted.length - 1] as number) + 1];
  for (let index = 0; index < sorted.length; index++) {
    places.push(sorted[index] as number);
    if (index > 0) places.push(((sorted[index - 1] as number) + (sorted[index] as number)) / 2);
  }
  return places.map((place) => {
    const moved = Float64Array.from(times);
    moved[slot] = place;
    return moved;
  });
}

/** Whether moving the `unread` slots together, each to each of its places, keeps the template. */
function everyJointPlace(
  times: Float64Array,
  unread: readonly number[],
  set: readonly number[],
  windows: TrackingWindows,
  probe: (times: Float64Array) => boolean,
): boolean {
  let moved = [times];
  for (const slot of unread) {
    moved = moved.flatMap((partly) => placesOf(partly, slot, set, windows));
  }
  return moved.every(probe);
}
