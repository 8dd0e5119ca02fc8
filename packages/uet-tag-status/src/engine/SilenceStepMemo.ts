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
    this.useWindows(windows);
    const key = this.keyOf(facts, event);
    const template = this.templates.get(key);
    if (template === undefined) return this.derive(key, facts, event, windows);
    if (template === UNTEMPLATED) return this.fullStep(facts, event, windows);
    return this.apply(template, facts);
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
   * The tag's kind: the event, statuses, access, goal types, which times are set, and the
   * ranks of all its times and times plus windows.
   */
  private keyOf(facts: TagFacts, event: SilenceEvent): string {
    const slots = this.fillSlots(facts, event.at);
    const { times, order } = this;
    const { activityWindowMs, conversionWindowMs } = this;
    for (let slot = 0; slot < slots; slot++) {
      const time = times[slot] as number;
      times[slots + slot] = windowEndOf(time, activityWindowMs);
      times[2 * slots + slot] = windowEndOf(time, conversionWindowMs);
    }
    let key = `${event.type === 'tag.silenceElapsed' ? NONE : goalIndexOf(facts, event.goalId)}|${facts.status}|${facts.tagAvailable ? 1 : 0}`;
    for (const goal of facts.goals) key += `|${goal.goalType}:${goal.status}`;
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
    key += '#';
    for (let index = 0; index < 3 * slots; index++) key += `${ranks[index]},`;
    return key;
  }

  /** Steps the tag in full and, when it can be written as a template, remembers it. */
  private derive(
    key: string,
    facts: TagFacts,
    event: TagEvent,
    windows: TrackingWindows,
  ): FactChange[] {
    const slots = this.fillSlots(facts, (event as SilenceEvent).at);
    const before = Array.from(this.times.subarray(0, slots));
    const goalIds = facts.goals.map((goal) => goal.goalId);
    const changes = this.fullStep(facts, event, windows);
    if (this.templates.size >= this.capacity) this.templates.clear();
    this.templates.set(key, templateOf(facts, goalIds, changes, before));
    return changes;
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
