import type { SnapshotFrom } from 'xstate';
import { goalMachine } from '../machines/goalMachine.js';
import { goalStatusOf } from '../machines/goalStatusOf.js';
import { tagMachine } from '../machines/tagMachine.js';
import type { GoalEvent, GoalMachineInput, TagEvent } from '../machines/types.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { TrackingWindows } from '../windows.js';
import { effectiveTimeOf, type FactChange } from './factChange.js';
import { createPureStepper } from './pureStepper.js';
import type { GoalFacts, TagFacts } from './tagFacts.js';

type GoalSnapshot = SnapshotFrom<typeof goalMachine>;

const tagStepper = createPureStepper(tagMachine, {});
const goalStepper = createPureStepper(goalMachine, { goalType: 'Url', at: 0 });

/**
 * Applies one tag machine event to a tag's facts by a full, pure machine step: the tag
 * machine's snapshot is resolved from the facts and stepped with a pure transition; the
 * `deliverToGoal` actions it returns are stepped through each goal's machine the same
 * way, and goals it spawns start from their initial transition. So every status comes from
 * the machines. Mutates `facts`; returns the changes, tag first, then goals.
 *
 * @example
 * ```ts
 * stepThroughMachines(facts, { type: 'tag.dataReceived', at: 5, now: 5 }, DEFAULT_WINDOWS);
 * // [{ kind: 'tag', from: 'Unverified', to: 'Active', effectiveAt: 5 }]
 * ```
 */
export function stepThroughMachines(
  facts: TagFacts,
  event: TagEvent,
  windows: TrackingWindows,
): FactChange[] {
  const tagBefore = facts.status;
  const [tagAfter, actions] = tagStepper.transition(resolveTagSnapshot(facts, windows), event);
  const working = new Map<string, GoalSnapshot>();
  const spawned = new Map<string, GoalSnapshot>();
  const goalOf = goalFinder(facts.goals);
  for (const action of actions) {
    const params = action.params as Record<string, unknown> | undefined;
    if (action.type === 'deliverToGoal' && params) {
      const goalId = params.goalId as string;
      const goal = goalOf(goalId);
      const current =
        working.get(goalId) ??
        spawned.get(goalId) ??
        (goal && resolveGoalSnapshot(goal, tagBefore, facts.tagAvailable, windows));
      if (current === undefined) continue;
      const [next] = goalStepper.transition(current, params.event as GoalEvent);
      (spawned.has(goalId) ? spawned : working).set(goalId, next);
    } else if (action.type === 'xstate.spawnChild' && params) {
      spawned.set(
        params.id as string,
        goalStepper.initialTransition(params.input as GoalMachineInput),
      );
    }
  }

  const changes: FactChange[] = [];
  const eventAt = 'at' in event ? event.at : undefined;
  const { context } = tagAfter;
  if (tagAfter.value !== tagBefore && eventAt !== undefined) {
    const effectiveAt = effectiveTimeOf(eventAt, facts.changedAt);
    changes.push({ kind: 'tag', from: tagBefore, to: tagAfter.value, effectiveAt });
    facts.status = tagAfter.value;
    facts.changedAt = effectiveAt;
  }
  facts.firstDataAt = context.firstDataAt;
  facts.lastDataAt = context.lastDataAt;
  facts.tagAvailable = context.tagAvailable;

  const goals: GoalFacts[] = [];
  for (const { goalId, goalType } of context.goals) {
    const existing = goalOf(goalId);
    const fresh = spawned.get(goalId);
    if (fresh !== undefined) {
      goals.push(goalFactsFrom(goalId, goalType, fresh));
      continue;
    }
    if (existing === undefined) continue;
    const next = working.get(goalId);
    if (next !== undefined) applyGoalSnapshot(existing, next, changes);
    goals.push(existing);
  }
  facts.goals = goals;
  return changes;
}

/** Up to this many goals, a goal is found by a scan; beyond, through a map built once. */
const GOALS_SCANNED = 8;

/**
 * Finds a tag's goals by id: a scan for a few goals, a map built once per step for many,
 * so that a step of a tag with 1,000 goals is linear in its goals, not quadratic.
 */
function goalFinder(goals: readonly GoalFacts[]): (goalId: string) => GoalFacts | undefined {
  if (goals.length <= GOALS_SCANNED) {
    return (goalId) => goals.find((candidate) => candidate.goalId === goalId);
  }
  const byId = new Map(goals.map((goal) => [goal.goalId, goal]));
  return (goalId) => byId.get(goalId);
}

function resolveTagSnapshot(facts: TagFacts, windows: TrackingWindows) {
  return tagMachine.resolveState({
    value: facts.status,
    context: {
      activityWindowMs: windows.activityWindowMs,
      conversionWindowMs: windows.conversionWindowMs,
      firstDataAt: facts.firstDataAt,
      lastDataAt: facts.lastDataAt,
      tagAvailable: facts.tagAvailable,
      goals: facts.goals.map(({ goalId, goalType }) => ({ goalId, goalType })),
    },
  });
}

/**
 * A goal's snapshot from its facts. Its knowledge of the tag is the tag's status and
 * access before the step: the tag machine delivers every change of either to its goals.
 */
function resolveGoalSnapshot(
  goal: GoalFacts,
  tagStatus: UetTagTrackingStatus,
  tagAvailable: boolean,
  windows: TrackingWindows,
): GoalSnapshot {
  return goalMachine.resolveState({
    value: goal.status,
    context: {
      goalType: goal.goalType,
      conversionWindowMs: windows.conversionWindowMs,
      tagStatus,
      tagAvailable,
      lastConversionAt: goal.lastConversionAt,
      decidedAt: goal.decidedAt,
    },
  });
}

function goalFactsFrom(
  goalId: string,
  goalType: GoalFacts['goalType'],
  snapshot: GoalSnapshot,
): GoalFacts {
  return {
    goalId,
    goalType,
    status: goalStatusOf(snapshot),
    changedAt: undefined,
    lastConversionAt: snapshot.context.lastConversionAt,
    decidedAt: snapshot.context.decidedAt,
  };
}

/**
 * Records a goal's new snapshot in its facts, and its change if its status changed. The
 * change takes effect when the goal decided it (its `decidedAt`): the time of the fact
 * that caused it, but never earlier than the goal's previous decision (so a late fact
 * cannot revive a status that had lapsed by then, nor date a goal's change before it was
 * attached) and never later than the processor's time (decision 7).
 */
function applyGoalSnapshot(goal: GoalFacts, snapshot: GoalSnapshot, changes: FactChange[]): void {
  const status = goalStatusOf(snapshot);
  if (status !== goal.status) {
    const effectiveAt = effectiveTimeOf(snapshot.context.decidedAt, goal.changedAt);
    changes.push({ kind: 'goal', goalId: goal.goalId, from: goal.status, to: status, effectiveAt });
    goal.status = status;
    goal.changedAt = effectiveAt;
  }
  goal.lastConversionAt = snapshot.context.lastConversionAt;
  goal.decidedAt = snapshot.context.decidedAt;
}
