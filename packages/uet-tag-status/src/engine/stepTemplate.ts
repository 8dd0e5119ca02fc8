import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { ConversionGoalType } from '../valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { FactChange } from './factChange.js';
import { GOAL_SLOTS, NO_SLOT, TAG_SLOTS } from './TimeRanks.js';
import type { GoalFacts, TagFacts } from './tagFacts.js';

/** The slot of a tag's first data time (then its latest, then its latest change), as `TimeRanks` fills them. */
const FIRST_DATA_SLOT = 2;

/** What a step does to a goal, as a template: its status and times by slot. */
interface GoalTemplate {
  readonly status: ConversionGoalTrackingStatus;
  readonly lastConversionAt: number;
  readonly decidedAt: number;
  readonly changedAt: number;
}

/** A change the step makes, as a template: a goal by index (or -1 for the tag). */
interface ChangeTemplate {
  readonly goal: number;
  readonly from: string;
  readonly to: string;
  readonly effectiveAt: number;
}

/**
 * What one machine step does to every tag of one kind (see `StepMemo`): the statuses it
 * ends with, and each time it ends with as the slot of the tag's own time it equals.
 */
export interface StepTemplate {
  readonly status: UetTagTrackingStatus;
  readonly tagAvailable: boolean;
  readonly firstDataAt: number;
  readonly lastDataAt: number;
  readonly changedAt: number;
  /** Each goal's, in order; with {@link StepTemplate.attaches}, the last is the goal attached. */
  readonly goals: readonly GoalTemplate[];
  readonly changes: readonly ChangeTemplate[];
  /** Whether the step attaches the event's goal after the tag's goals. */
  readonly attaches: boolean;
}

/** The goal a step attaches: the event's id and type. */
export interface AttachedGoal {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
}

/**
 * The template of a step that turned slot times `before` into `facts` and `changes`, or
 * `undefined` when a time it ends with is not one of the slot times, or the goals changed
 * otherwise than by attaching goal `attached` (when given) after the others.
 */
export function templateOf(
  facts: TagFacts,
  goalIds: readonly string[],
  changes: readonly FactChange[],
  before: readonly number[],
  attached?: string,
): StepTemplate | undefined {
  const attaches = attached !== undefined && facts.goals.at(-1)?.goalId === attached;
  const goalIdsAfter = attaches ? [...goalIds, attached] : goalIds;
  if (
    facts.goals.length !== goalIdsAfter.length ||
    facts.goals.some((goal, index) => goal.goalId !== goalIdsAfter[index])
  ) {
    return undefined;
  }
  let representable = true;
  // A time equal to the field's own time before the step is that one: the template then
  // holds for tags where the tie is not there (as `SilenceStep` checks).
  const slotOf = (time: number | undefined, own = NO_SLOT): number => {
    if (time === undefined) return NO_SLOT;
    if (own !== NO_SLOT && before[own] === time) return own;
    const slot = before.indexOf(time);
    if (slot < 0) representable = false;
    return slot;
  };
  const template: StepTemplate = {
    status: facts.status,
    tagAvailable: facts.tagAvailable,
    firstDataAt: slotOf(facts.firstDataAt, FIRST_DATA_SLOT),
    lastDataAt: slotOf(facts.lastDataAt, FIRST_DATA_SLOT + 1),
    changedAt: slotOf(facts.changedAt, FIRST_DATA_SLOT + 2),
    goals: facts.goals.map((goal, index) => {
      const own = TAG_SLOTS + GOAL_SLOTS * index;
      return {
        status: goal.status,
        lastConversionAt: slotOf(goal.lastConversionAt, own),
        decidedAt: slotOf(goal.decidedAt, own + 1),
        changedAt: slotOf(goal.changedAt, own + 2),
      };
    }),
    changes: changes.map((change) => ({
      goal: change.kind === 'goal' ? goalIdsAfter.indexOf(change.goalId) : NO_SLOT,
      from: change.from,
      to: change.to,
      effectiveAt: slotOf(change.effectiveAt),
    })),
    attaches,
  };
  return representable ? template : undefined;
}

const NO_CHANGES: readonly FactChange[] = Object.freeze([]);

/**
 * Applies `template` to `facts`, whose slot times are `times` (as before the step), as
 * the step it was made from would; returns the changes. A template that attaches a goal
 * attaches `attached` (the event's). Mutates `facts`.
 */
export function applyTemplate(
  template: StepTemplate,
  facts: TagFacts,
  times: Float64Array,
  attached?: AttachedGoal,
): readonly FactChange[] {
  if (template.attaches) {
    const goal = template.goals.at(-1);
    if (attached === undefined || goal === undefined) {
      throw new Error('internal: a template that attaches a goal, applied with none');
    }
    // A new list, as a full step makes (the tag's may be shared); the fields in the order
    // of a full step's new goal.
    facts.goals = [
      ...facts.goals,
      {
        goalId: attached.goalId,
        goalType: attached.goalType,
        status: goal.status,
        changedAt: timeAt(times, goal.changedAt),
        lastConversionAt: timeAt(times, goal.lastConversionAt),
        decidedAt: times[goal.decidedAt] as number,
      },
    ];
  }
  let changes = NO_CHANGES;
  if (template.changes.length > 0) {
    // Sized at once: grown push by push, most steps' lists were copied on the way.
    const made = new Array<FactChange>(template.changes.length);
    for (let index = 0; index < made.length; index++) {
      const change = template.changes[index] as ChangeTemplate;
      const effectiveAt = times[change.effectiveAt] as number;
      made[index] =
        change.goal === NO_SLOT
          ? {
              kind: 'tag',
              from: change.from as UetTagTrackingStatus,
              to: change.to as UetTagTrackingStatus,
              effectiveAt,
            }
          : {
              kind: 'goal',
              goalId: (facts.goals[change.goal] as GoalFacts).goalId,
              from: change.from as ConversionGoalTrackingStatus,
              to: change.to as ConversionGoalTrackingStatus,
              effectiveAt,
            };
    }
    changes = made;
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

/** The time in slot `slot` of `times`, or `undefined` for no slot. */
function timeAt(times: Float64Array, slot: number): number | undefined {
  return slot === NO_SLOT ? undefined : (times[slot] as number);
}
