import type { TagEvent } from '../machines/types.js';
import type { ConversionGoalType } from '../valueSets/conversionGoalType.js';
import type { TrackingWindows } from '../windows.js';
import type { FactChange } from './factChange.js';
import { followedBy, type Kind } from './memoKind.js';
import { SilenceStep } from './SilenceStep.js';
import { applyTemplate, type StepTemplate, templateOf } from './stepTemplate.js';
import { stepThroughMachines } from './stepThroughMachines.js';
import { NO_SLOT, TimeRanks } from './TimeRanks.js';
import type { GoalFacts, TagFacts } from './tagFacts.js';

/**
 * Tags with more goals are stepped in full: their kinds hardly repeat, and ranking their
 * times costs more than the step.
 */
const MAX_MEMO_GOALS = 8;

/**
 * After this many steps in a row of one kind, a run of goalless tags' silences gets its
 * own derived step (`SilenceStep`, see {@link StepMemo.stepSilence}): deriving it costs a
 * few hundred machine steps, which only a storm's run repays.
 */
const SILENCE_RUN = 256;

/**
 * The events a memo applies by template, by code: those that carry their times in `at`
 * (and `now`) and leave the list of goals as it is or attach the event's goal after the
 * others (its type is then part of the kind); `undefined` for the others. Detaching a
 * goal, and attaching one whose id is attached already, always take a full step. A
 * `switch`, not a table: the event types are many shapes' field, and a table read by one
 * is a slow, megamorphic lookup.
 */
function eventCodeOf(type: TagEvent['type']): number | undefined {
  switch (type) {
    case 'tag.silenceElapsed':
      return 1;
    case 'goal.conversionWindowElapsed':
      return 2;
    case 'tag.dataReceived':
      return 3;
    case 'goal.conversionRecorded':
      return 4;
    case 'tag.accessLost':
      return 5;
    case 'tag.accessRestored':
      return 6;
    case 'goal.attached':
      return 7;
    default:
      return undefined;
  }
}
const SILENCE_CODE = 1;
const WINDOW_CODE = 2;
const DATA_CODE = 3;
const CONVERSION_CODE = 4;
const ATTACH_CODE = 7;

/** An event with a code, as the memo reads it (`now`, `goalId` and `goalType` only where the type has them). */
type MemoEvent = TagEvent & {
  readonly at: number;
  readonly now: number;
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
};

/** A number for each status and goal type, for the kinds' hashes. */
const codes = new Map<string, number>();
function codeOf(text: string): number {
  let code = codes.get(text);
  if (code === undefined) {
    code = codes.size + 1;
    codes.set(text, code);
  }
  return code;
}

/**
 * The full machine step of an input or a silence (`stepThroughMachines`, exactly what
 * `stepTag` does with `fastPath: false`), derived from the machines once per kind of tag
 * and event and then applied to every tag and event of that kind: so a storm of a
 * million silences, or a year of a flapping tag's hits and silences, costs table updates
 * and a few dozen machine steps. No rule is written here; the machines decide.
 *
 * A kind is everything a step reads, with the times replaced by their order: the event's
 * type, the tag's status and access, its goals' types and statuses (and which goal the
 * event is for), which times are set, and how every time (the event's `at` and `now`,
 * the tag's and its goals' times), and every time plus each window, compare with each
 * other (ranks, ties kept). The machines only add a window to a time, compare times, and
 * take minima and maxima, so two tags of one kind take the same transitions, and every
 * time they end with is one of their own times, the same one for both: the template
 * records which. A step whose result is not made of the tag's own times, or that changes
 * the list of goals otherwise than by attaching the event's goal, gets no template and is
 * always stepped in full. Property tests
 * compare this with full steps on random histories, silences and inputs.
 *
 * @example
 * ```ts
 * const memo = new StepMemo();
 * const due = nextSilence(facts, windows);
 * if (due) memo.step(facts, due.event, windows); // same as stepTag(..., { fastPath: false })
 * memo.step(facts, { type: 'tag.dataReceived', at, now }, windows); // likewise
 * ```
 */
export class StepMemo {
  /** The kinds seen, by hash. */
  private readonly kinds = new Map<number, Kind[]>();
  private kindCount = 0;
  private activityWindowMs = Number.NaN;
  private conversionWindowMs = Number.NaN;
  private readonly times = new TimeRanks();
  /** The kind stepped last: most storms and many histories are runs of one kind. */
  private last: Kind | undefined;
  /** The changes of the full step that {@link StepMemo.derive} took last. */
  private derivedChanges: FactChange[] = [];
  /** Full machine steps taken, to derive templates or for kinds without one. */
  fullSteps = 0;
  /**
   * Steps whose kind was looked up by ranking the tag's times: of none of the kinds that
   * followed the kind stepped last.
   */
  rankedSteps = 0;
  /** How many steps in a row were of the last kind. */
  private run = 0;
  /** The step derived for the run of silences being fired (see {@link StepMemo.stepSilence}). */
  private silence: SilenceStep | undefined;
  /** The silence steps derived so far, by the kind whose run they were derived in (`null`: none could be). */
  private readonly silences = new WeakMap<Kind, SilenceStep | null>();

  /**
   * @param capacity - the most kinds remembered; when full, the memo starts again (tags
   *   make few kinds, so this only bounds memory against adversarial histories).
   */
  constructor(private readonly capacity = 4_096) {}

  /**
   * Applies `event` to `facts` as a full machine step would, and returns the same changes.
   * Precondition as `stepTag`'s: every silence due by the event's time was applied first.
   * Mutates `facts`.
   */
  step(facts: TagFacts, event: TagEvent, windows: TrackingWindows): readonly FactChange[] {
    let last = this.last;
    // A run of one kind mostly has one event type: its code is the last kind's.
    const code =
      last !== undefined && event.type === last.eventType ? last.event : eventCodeOf(event.type);
    if (code === undefined || facts.goals.length > MAX_MEMO_GOALS) {
      return this.fullStep(facts, event, windows);
    }
    if (
      windows.activityWindowMs !== this.activityWindowMs ||
      windows.conversionWindowMs !== this.conversionWindowMs
    ) {
      this.useWindows(windows);
      last = undefined;
    }
    // Every event with a code carries its time; activity and conversions the processor's.
    const timed = event as MemoEvent;
    const now = code === DATA_CODE || code === CONVERSION_CODE ? timed.now : Number.NaN;
    const target =
      code === CONVERSION_CODE || code === WINDOW_CODE || code === ATTACH_CODE
        ? goalIndexOf(facts, timed.goalId)
        : NO_SLOT;
    // A goal attached under an id already attached: rare, and a list the templates do not make.
    if (code === ATTACH_CODE && target !== NO_SLOT) return this.fullStep(facts, event, windows);
    const attachedType = code === ATTACH_CODE ? timed.goalType : undefined;
    const slots = this.times.fillWithWindows(
      facts,
      timed.at,
      now,
      this.activityWindowMs,
      this.conversionWindowMs,
    );
    if (last !== undefined) {
      if (this.follows(last, code, target, attachedType, facts)) {
        this.run += 1;
        return this.stepAs(last, facts, event, windows);
      }
      for (const successor of last.successors) {
        if (!this.follows(successor, code, target, attachedType, facts)) continue;
        followedBy(last, successor);
        this.run = 0;
        this.last = successor;
        return this.stepAs(successor, facts, event, windows);
      }
    }
    this.run = 0;
    this.rankedSteps += 1;
    this.times.rankFilled(slots);
    const hash = this.hashOf(code, target, attachedType, facts, slots);
    let bucket = this.kinds.get(hash);
    if (bucket !== undefined) {
      for (const kind of bucket) {
        if (!this.isKind(kind, code, target, attachedType, facts, slots)) continue;
        if (last !== undefined) followedBy(last, kind);
        this.last = kind;
        return this.stepAs(kind, facts, event, windows);
      }
    }
    // A new kind: ranked before the step, remembered as the kind the tag had.
    if (this.kindCount >= this.capacity) {
      this.kinds.clear();
      this.last = undefined;
      this.kindCount = 0;
      bucket = undefined;
    }
    if (bucket === undefined) {
      bucket = [];
      this.kinds.set(hash, bucket);
    }
    const derived = this.kindOf(code, event.type, target, attachedType, facts, slots, () =>
      this.derive(facts, timed, now, windows),
    );
    // Not after a restart: the last kind is then one of the kinds forgotten.
    if (last !== undefined && this.last === last) followedBy(last, derived);
    bucket.push(derived);
    this.last = derived;
    this.kindCount += 1;
    return this.derivedChanges;
  }

  /**
   * The silence step derived last (see {@link StepMemo.stepSilence}), if any, kept across
   * storms: a caller that keeps tags as columns may apply it to them directly, to the
   * tags its `matchesTimes` accepts (which checks every time it reads, and the windows).
   */
  get silenceStep(): SilenceStep | undefined {
    return this.silence;
  }

  /**
   * Applies the tag's own silence `event` to `facts` as {@link StepMemo.step} does, and
   * returns the same changes, but as records reused by the next call: read them before.
   * A long run of goalless tags of one kind (a storm) is stepped by a `SilenceStep`
   * derived from the machines for it, which checks only the times the step reads and
   * allocates nothing. Mutates `facts`.
   */
  stepSilence(
    facts: TagFacts,
    event: Extract<TagEvent, { type: 'tag.silenceElapsed' }>,
    windows: TrackingWindows,
  ): readonly FactChange[] {
    const { silence } = this;
    if (silence?.matches(facts, event.at, windows)) return silence.apply(facts);
    const last = this.last;
    if (this.run >= SILENCE_RUN && last?.event === SILENCE_CODE && last.template !== undefined) {
      let derived = this.silences.get(last);
      if (derived === undefined) {
        derived = SilenceStep.derive(facts, event.at, windows) ?? null;
        this.silences.set(last, derived);
      }
      if (derived !== silence && derived?.matches(facts, event.at, windows)) {
        this.silence = derived;
        return derived.apply(facts);
      }
    }
    return this.step(facts, event, windows);
  }

  /** Steps the tag as `kind` steps: by its template, or in full when it has none. */
  private stepAs(
    kind: Kind,
    facts: TagFacts,
    event: TagEvent,
    windows: TrackingWindows,
  ): readonly FactChange[] {
    if (kind.template === undefined) return this.fullStep(facts, event, windows);
    const attached = kind.event === ATTACH_CODE ? (event as MemoEvent) : undefined;
    return applyTemplate(kind.template, facts, this.times.times, attached);
  }

  /** A hash of the kind of the tag being stepped (its times ranked). */
  private hashOf(
    code: number,
    target: number,
    attachedType: string | undefined,
    facts: TagFacts,
    slots: number,
  ): number {
    let hash = Math.imul(code * 31 + target + 7, 0x9e3779b1);
    if (attachedType !== undefined) hash = Math.imul(hash ^ codeOf(attachedType), 0x27d4eb2f);
    hash = Math.imul(hash ^ codeOf(facts.status), 0x85ebca6b);
    hash = Math.imul(hash ^ (facts.tagAvailable ? 1 : 2), 0xc2b2ae35);
    for (const goal of facts.goals) {
      hash = Math.imul(hash ^ codeOf(goal.goalType), 0x27d4eb2f);
      hash = Math.imul(hash ^ codeOf(goal.status), 0x165667b1);
    }
    const { ranks } = this.times;
    for (let index = 0; index < 3 * slots; index++) {
      hash = Math.imul(hash ^ (ranks[index] as number), 0x9e3779b1);
      hash ^= hash >>> 15;
    }
    return hash;
  }

  /** Whether the tag being stepped, with its times ranked, is of kind `kind`. */
  private isKind(
    kind: Kind,
    code: number,
    target: number,
    attachedType: string | undefined,
    facts: TagFacts,
    slots: number,
  ) {
    if (
      kind.ranks.length !== 3 * slots ||
      !this.isKindOfFields(kind, code, target, attachedType, facts)
    ) {
      return false;
    }
    const { ranks } = this.times;
    for (let index = 0; index < 3 * slots; index++) {
      if (kind.ranks[index] !== ranks[index]) return false;
    }
    return true;
  }

  /**
   * Whether the tag being stepped, its times filled in but not ranked, is of kind `kind`:
   * {@link StepMemo.isKind} in one pass over the times, without sorting them.
   */
  private follows(
    kind: Kind,
    code: number,
    target: number,
    attachedType: string | undefined,
    facts: TagFacts,
  ): boolean {
    return (
      this.isKindOfFields(kind, code, target, attachedType, facts) &&
      this.times.follows(kind.order, kind.ties)
    );
  }

  /** Whether the tag being stepped is of kind `kind` as far as its fields other than times go. */
  private isKindOfFields(
    kind: Kind,
    code: number,
    target: number,
    attachedType: string | undefined,
    facts: TagFacts,
  ): boolean {
    if (
      kind.event !== code ||
      kind.target !== target ||
      kind.attachedType !== attachedType ||
      kind.status !== facts.status ||
      kind.tagAvailable !== facts.tagAvailable ||
      kind.goalTypes.length !== facts.goals.length
    ) {
      return false;
    }
    for (let index = 0; index < facts.goals.length; index++) {
      const goal = facts.goals[index] as GoalFacts;
      if (kind.goalTypes[index] !== goal.goalType || kind.goalStatuses[index] !== goal.status) {
        return false;
      }
    }
    return true;
  }

  /**
   * The kind of the tag being stepped (its times ranked), read before `derive` steps it,
   * with the template `derive` makes. Every kind is made by this one object literal, so
   * that all have one shape: a kind made by spreading another gets a shape of its own,
   * and a shape per kind makes every read of a kind's field a slow, megamorphic one.
   */
  private kindOf(
    code: number,
    eventType: string,
    target: number,
    attachedType: string | undefined,
    facts: TagFacts,
    slots: number,
    derive: () => StepTemplate | undefined,
  ): Kind {
    const { status, tagAvailable } = facts;
    const goalTypes = facts.goals.map((goal) => goal.goalType);
    const goalStatuses = facts.goals.map((goal) => goal.status);
    const ranks = this.times.ranks.slice(0, 3 * slots);
    const { order, ties } = this.times.orderAndTies();
    return {
      event: code,
      eventType,
      target,
      attachedType,
      status,
      tagAvailable,
      goalTypes,
      goalStatuses,
      ranks,
      order,
      ties,
      template: derive(),
      successors: [],
    };
  }

  private fullStep(facts: TagFacts, event: TagEvent, windows: TrackingWindows): FactChange[] {
    this.fullSteps += 1;
    return stepThroughMachines(facts, event, windows);
  }

  private useWindows(windows: TrackingWindows): void {
    if (
      windows.activityWindowMs === this.activityWindowMs &&
      windows.conversionWindowMs === this.conversionWindowMs
    ) {
      return;
    }
    this.kinds.clear();
    this.last = undefined;
    this.kindCount = 0;
    this.activityWindowMs = windows.activityWindowMs;
    this.conversionWindowMs = windows.conversionWindowMs;
  }

  /**
   * Steps the tag in full, keeps its changes in {@link StepMemo.derivedChanges}, and
   * returns the step as a template (`undefined` when it cannot be one).
   */
  private derive(
    facts: TagFacts,
    event: TagEvent & { readonly at: number },
    now: number,
    windows: TrackingWindows,
  ): StepTemplate | undefined {
    const slots = this.times.fill(facts, event.at, now);
    const before = Array.from(this.times.times.subarray(0, slots));
    const goalIds = facts.goals.map((goal) => goal.goalId);
    const changes = this.fullStep(facts, event, windows);
    this.derivedChanges = changes;
    const attached = event.type === 'goal.attached' ? event.goalId : undefined;
    return templateOf(facts, goalIds, changes, before, attached);
  }
}

/** The index of goal `goalId` among the tag's goals, or -1. */
function goalIndexOf(facts: TagFacts, goalId: string): number {
  for (let index = 0; index < facts.goals.length; index++) {
    if ((facts.goals[index] as GoalFacts).goalId === goalId) return index;
  }
  return NO_SLOT;
}
