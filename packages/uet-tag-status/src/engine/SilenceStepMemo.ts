import type { TagEvent } from '../machines/types.js';
import { windowEndOf } from '../machines/windowArithmetic.js';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { TrackingWindows } from '../windows.js';
import type { FactChange } from './factChange.js';
import { stepThroughMachines } from './stepThroughMachines.js';
import type { GoalFacts, TagFacts } from './tagFacts.js';

/** A silence event: a tag's activity window or a goal's conversion window ran out. */
type SilenceEvent = Extract<
  TagEvent,
  { type: 'tag.silenceElapsed' | 'goal.conversionWindowElapsed' }
>;

/**
 * Tags with more goals are stepped in full: their kinds hardly repeat, and ranking their
 * times costs more than the step.
 */
const MAX_MEMO_GOALS = 8;
/** Slot number of "no time" in a template. */
const NONE = -1;
/** Time slots of the tag: the event's time, then the tag's three times. */
const TAG_SLOTS = 4;
/** Time slots of each goal: its latest conversion, its decision, its latest change. */
const GOAL_SLOTS = 3;

/** What a silence does to a goal, as a template: its status and times by slot. */
interface GoalTemplate {
  readonly status: ConversionGoalTrackingStatus;
  readonly lastConversionAt: number;
  readonly decidedAt: number;
  readonly changedAt: number;
}

/** A change the silence makes, as a template: a goal by index (or -1 for the tag). */
interface ChangeTemplate {
  readonly goal: number;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
}

/** What a silence does to every tag with the same key, derived once from the machines. */
interface StepTemplate {
  readonly status: UetTagTrackingStatus;
  readonly tagAvailable: boolean;
  readonly firstDataAt: number;
  readonly lastDataAt: number;
  readonly changedAt: number;
  readonly goals: readonly GoalTemplate[];
  readonly changes: readonly ChangeTemplate[];
}

/** The kind of the tag stepped last, as compared field by field. */
interface LastKind {
  readonly slots: number;
  readonly target: number;
  readonly status: UetTagTrackingStatus;
  readonly tagAvailable: boolean;
  readonly goalTypes: readonly string[];
  readonly goalStatuses: readonly string[];
  /** The defined slot times' indices, in time order. */
  readonly order: Int32Array;
  /** By position in `order`: 1 where the time equals the one before it. */
  readonly ties: Uint8Array;
  readonly template: StepTemplate | typeof UNTEMPLATED;
}

/** A key whose step could not be written as a template: always stepped in full. */
const UNTEMPLATED = null;

/**
 * The full machine step of a silence (`stepThroughMachines`, exactly what `stepTag` does
 * with `fastPath: false`), derived from the machines once per kind of tag and then applied
 * to every tag of that kind: so a storm of a million silences costs a million table
 * updates and a few dozen machine steps. No rule is written here; the machines decide.
 *
 * A tag's kind (its key) is everything a step reads, with the times replaced by their
 * order: the event, the tag's status and access, its goals' types and statuses (and
 * which goal the event is for), which times are set, and how every time, and every time
 * plus each window, compare with each other (ranks, ties kept). The machines only add a
 * window to a time, compare times, and take minima and maxima, so two tags of one kind
 * take the same transitions, and every time they end with is one of their own times,
 * the same one for both: the template records which. A step whose result is not made of
 * the tag's own times, or that changes the goals' list, gets no template and is always
 * stepped in full. Property tests compare this with full steps on random storms.
 *
 * @example
 * ```ts
 * const memo = new SilenceStepMemo();
 * const due = nextSilence(facts, windows);
 * if (due) memo.step(facts, due.event, windows); // same as stepTag(..., { fastPath: false })
 * ```
 */
export class SilenceStepMemo {
  private readonly templates = new Map<string, StepTemplate | typeof UNTEMPLATED>();
  private activityWindowMs = Number.NaN;
  private conversionWindowMs = Number.NaN;
  /** The slot times of the tag being stepped, then each slot plus each window. */
  private times = new Float64Array(3 * (TAG_SLOTS + 4 * GOAL_SLOTS));
  private order = new Int32Array(this.times.length);
  private ranks = new Int32Array(this.times.length);
  /** The kind stepped last, to skip the key for a run of tags of one kind. */
  private last: LastKind | undefined;
  /** The changes of the full step that {@link SilenceStepMemo.derive} took last. */
  private derivedChanges: FactChange[] = [];
  /** Full machine steps taken, to derive templates or for untemplated kinds. */
  fullSteps = 0;

  /**
   * @param capacity - the most kinds remembered; when full, the memo starts again (a
   *   storm has few kinds, so this only bounds memory against adversarial histories).
   */
  constructor(private readonly capacity = 4_096) {}

  /**
   * Applies a due silence to `facts` as a full machine step would, and returns the same
   * changes. Mutates `facts`.
   */
  step(facts: TagFacts, event: TagEvent, windows: TrackingWindows): readonly FactChange[] {
    if (event.type !== 'tag.silenceElapsed' && event.type !== 'goal.conversionWindowElapsed') {
      return this.fullStep(facts, event, windows);
    }
    if (facts.goals.length > MAX_MEMO_GOALS) return this.fullStep(facts, event, windows);
    this.useWindows(windows);
    const target = event.type === 'tag.silenceElapsed' ? NONE : goalIndexOf(facts, event.goalId);
    const slots = this.fillTimes(facts, event.at);
    let template: StepTemplate | typeof UNTEMPLATED | undefined;
    if (this.last !== undefined && this.isLastKind(facts, target, slots)) {
      template = this.last.template;
    } else {
      const count = this.rankTimes(slots);
      const key = this.keyOf(facts, target, slots);
      template = this.templates.get(key);
      if (template === undefined) {
        // Ranked before the step: remembered as the kind the tag had.
        const kind = this.kindOf(facts, target, slots, count);
        this.last = { ...kind, template: this.derive(key, facts, event, windows) };
        return this.derivedChanges;
      }
      this.last = { ...this.kindOf(facts, target, slots, count), template };
    }
    if (template === UNTEMPLATED) return this.fullStep(facts, event, windows);
    return this.apply(template, facts);
  }

  /**
   * Whether the tag is of the kind stepped last (most storms are runs of one kind): the
   * same fields, and its times (filled in) in the last kind's order with the same ties, so
   * the same ranks, checked in one pass instead of ranking them.
   */
  private isLastKind(facts: TagFacts, target: number, slots: number): boolean {
    const last = this.last as LastKind;
    if (
      last.slots !== slots ||
      last.target !== target ||
      last.status !== facts.status ||
      last.tagAvailable !== facts.tagAvailable
    ) {
      return false;
    }
    for (let index = 0; index < facts.goals.length; index++) {
      const goal = facts.goals[index] as GoalFacts;
      if (last.goalTypes[index] !== goal.goalType || last.goalStatuses[index] !== goal.status) {
        return false;
      }
    }
    const { times } = this;
    // A slot's two window ends are defined exactly when it is.
    let defined = 0;
    for (let slot = 0; slot < slots; slot++) if (!Number.isNaN(times[slot])) defined += 3;
    const { order, ties } = last;
    if (defined !== order.length) return false;
    // Each time of the order is defined and, against the one before, equal or later as
    // recorded: with as many defined, the same times are defined, in the same ranks.
    let previous = times[order[0] as number] as number;
    if (Number.isNaN(previous)) return false;
    for (let position = 1; position < order.length; position++) {
      const time = times[order[position] as number] as number;
      if (ties[position] === 1 ? time !== previous : !(time > previous)) return false;
      previous = time;
    }
    return true;
  }

  /** The tag's kind, field by field, for {@link SilenceStepMemo.isLastKind}. */
  private kindOf(
    facts: TagFacts,
    target: number,
    slots: number,
    count: number,
  ): Omit<LastKind, 'template'> {
    const { times, order } = this;
    const ties = new Uint8Array(count);
    for (let position = 1; position < count; position++) {
      const time = times[order[position] as number];
      if (time === times[order[position - 1] as number]) ties[position] = 1;
    }
    return {
      slots,
      target,
      status: facts.status,
      tagAvailable: facts.tagAvailable,
      goalTypes: facts.goals.map((goal) => goal.goalType),
      goalStatuses: facts.goals.map((goal) => goal.status),
      order: order.slice(0, count),
      ties,
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
    this.templates.clear();
    this.last = undefined;
    this.activityWindowMs = windows.activityWindowMs;
    this.conversionWindowMs = windows.conversionWindowMs;
  }

  /** Fills `times` with the tag's slot times (NaN for none); returns how many slots. */
  private fillSlots(facts: TagFacts, at: number): number {
    const slots = TAG_SLOTS + GOAL_SLOTS * facts.goals.length;
    if (this.times.length < 3 * slots) {
      this.times = new Float64Array(3 * slots);
      this.order = new Int32Array(3 * slots);
      this.ranks = new Int32Array(3 * slots);
    }
    const { times } = this;
    times[0] = at;
    times[1] = facts.firstDataAt ?? Number.NaN;
    times[2] = facts.lastDataAt ?? Number.NaN;
    times[3] = facts.changedAt ?? Number.NaN;
    let slot = TAG_SLOTS;
    for (const goal of facts.goals) {
      times[slot] = goal.lastConversionAt ?? Number.NaN;
      times[slot + 1] = goal.decidedAt;
      times[slot + 2] = goal.changedAt ?? Number.NaN;
      slot += GOAL_SLOTS;
    }
    return slots;
  }

  /**
   * Fills `times` with the tag's slot times and then each plus each window; returns how
   * many slots the tag has.
   */
  private fillTimes(facts: TagFacts, at: number): number {
    const slots = this.fillSlots(facts, at);
    const { times, activityWindowMs, conversionWindowMs } = this;
    for (let slot = 0; slot < slots; slot++) {
      const time = times[slot] as number;
      times[slots + slot] = windowEndOf(time, activityWindowMs);
      times[2 * slots + slot] = windowEndOf(time, conversionWindowMs);
    }
    return slots;
  }

  /**
   * Ranks the times filled in into `ranks` (ties share a rank, -1 for none), their
   * defined indices in time order into `order`; returns how many are defined.
   */
  private rankTimes(slots: number): number {
    const { times, order } = this;
    // The defined values, sorted by insertion (a few dozen at most), then ranked.
    let count = 0;
    for (let index = 0; index < 3 * slots; index++) {
      const time = times[index] as number;
      if (Number.isNaN(time)) continue;
      let position = count;
      while (position > 0 && (times[order[position - 1] as number] as number) > time) {
        order[position] = order[position - 1] as number;
        position -= 1;
      }
      order[position] = index;
      count += 1;
    }
    const { ranks } = this;
    ranks.fill(NONE, 0, 3 * slots);
    let rank = 0;
    for (let position = 0; position < count; position++) {
      const index = order[position] as number;
      if (position > 0 && times[index] !== times[order[position - 1] as number]) rank += 1;
      ranks[index] = rank;
    }
    return count;
  }

  /**
   * The tag's kind as a key: the event's target, statuses, access, goal types, and the
   * ranks of its times (see {@link SilenceStepMemo.rankTimes}).
   */
  private keyOf(facts: TagFacts, target: number, slots: number): string {
    let key = `${target}|${facts.status}|${facts.tagAvailable ? 1 : 0}`;
    for (const goal of facts.goals) key += `|${goal.goalType}:${goal.status}`;
    key += '#';
    const { ranks } = this;
    for (let index = 0; index < 3 * slots; index++) key += `${ranks[index]},`;
    return key;
  }

  /**
   * Steps the tag in full, keeps its changes in {@link SilenceStepMemo.derivedChanges},
   * and remembers (and returns) the step as a template, or {@link UNTEMPLATED}.
   */
  private derive(
    key: string,
    facts: TagFacts,
    event: TagEvent,
    windows: TrackingWindows,
  ): StepTemplate | typeof UNTEMPLATED {
    const slots = this.fillSlots(facts, (event as SilenceEvent).at);
    const before = Array.from(this.times.subarray(0, slots));
    const goalIds = facts.goals.map((goal) => goal.goalId);
    const changes = this.fullStep(facts, event, windows);
    this.derivedChanges = changes;
    if (this.templates.size >= this.capacity) this.templates.clear();
    const template = templateOf(facts, goalIds, changes, before);
    this.templates.set(key, template);
    return template;
  }

  private apply(template: StepTemplate, facts: TagFacts): FactChange[] {
    const { times } = this;
    const changes: FactChange[] = [];
    for (const change of template.changes) {
      const effectiveAt = times[change.effectiveAt] as number;
      if (change.goal === NONE) {
        changes.push({
          kind: 'tag',
          from: change.from as UetTagTrackingStatus,
          to: change.to as UetTagTrackingStatus,
          effectiveAt,
        });
      } else {
        changes.push({
          kind: 'goal',
          goalId: (facts.goals[change.goal] as GoalFacts).goalId,
          from: change.from as ConversionGoalTrackingStatus,
          to: change.to as ConversionGoalTrackingStatus,
          effectiveAt,
        });
      }
    }
    facts.status = template.status;
    facts.tagAvailable = template.tagAvailable;
    facts.firstDataAt = timeAt(times, template.firstDataAt);
    facts.lastDataAt = timeAt(times, template.lastDataAt);
    facts.changedAt = timeAt(times, template.changedAt);
    for (let index = 0; index < template.goals.length; index++) {
      const goalTemplate = template.goals[index] as GoalTemplate;
      const goal = facts.goals[index] as GoalFacts;
      goal.status = goalTemplate.status;
      goal.lastConversionAt = timeAt(times, goalTemplate.lastConversionAt);
      goal.decidedAt = times[goalTemplate.decidedAt] as number;
      goal.changedAt = timeAt(times, goalTemplate.changedAt);
    }
    return changes;
  }
}

/** The index of goal `goalId` among the tag's goals, or -1. */
function goalIndexOf(facts: TagFacts, goalId: string): number {
  for (let index = 0; index < facts.goals.length; index++) {
    if ((facts.goals[index] as GoalFacts).goalId === goalId) return index;
  }
  return NONE;
}

/** The time in slot `slot` of `times`, or `undefined` for {@link NONE}. */
function timeAt(times: Float64Array, slot: number): number | undefined {
  return slot === NONE ? undefined : (times[slot] as number);
}

/**
 * The template of a step that turned slot times `before` into `facts` and `changes`, or
 * {@link UNTEMPLATED} when a result is not one of the slot times or the goals changed.
 */
function templateOf(
  facts: TagFacts,
  goalIds: readonly string[],
  changes: readonly FactChange[],
  before: readonly number[],
): StepTemplate | typeof UNTEMPLATED {
  if (
    facts.goals.length !== goalIds.length ||
    facts.goals.some((goal, index) => goal.goalId !== goalIds[index])
  ) {
    return UNTEMPLATED;
  }
  let representable = true;
  const slotOf = (time: number | undefined): number => {
    if (time === undefined) return NONE;
    const slot = before.indexOf(time);
    if (slot < 0) representable = false;
    return slot;
  };
  const template: StepTemplate = {
    status: facts.status,
    tagAvailable: facts.tagAvailable,
    firstDataAt: slotOf(facts.firstDataAt),
    lastDataAt: slotOf(facts.lastDataAt),
    changedAt: slotOf(facts.changedAt),
    goals: facts.goals.map((goal) => ({
      status: goal.status,
      lastConversionAt: slotOf(goal.lastConversionAt),
      decidedAt: slotOf(goal.decidedAt),
      changedAt: slotOf(goal.changedAt),
    })),
    changes: changes.map((change) => ({
      goal: change.kind === 'goal' ? goalIds.indexOf(change.goalId) : NONE,
      from: change.from,
      to: change.to,
      effectiveAt: slotOf(change.effectiveAt),
    })),
  };
  return representable ? template : UNTEMPLATED;
}
