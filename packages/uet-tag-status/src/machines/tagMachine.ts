import { and, assign, enqueueActions, setup } from 'xstate';
import { isTagBasedGoalType } from '../valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import { resolveWindows } from '../windows.js';
import { goalMachine } from './goalMachine.js';
import { earliestReceived, latestReceived } from './receivedTimes.js';
import { LAPSES } from './stateTags.js';
import type {
  AttachedGoal,
  GoalEvent,
  TagContext,
  TagEvent,
  TagMachineInput,
  TagStatusChangedEvent,
} from './types.js';
import { isWithinWindow, windowEndOf } from './windowArithmetic.js';

/**
 * The UET tag tracking status as a state machine (SPEC R1–R7). Its state value is the
 * tag's `UetTagTrackingStatus`; each attached conversion goal is a child actor (a
 * {@link goalMachine}) whose id is the goal id.
 *
 * The machine is pure: the 24-hour silence arrives as a `tag.silenceElapsed` event and
 * a goal's 7-day lapse as `goal.conversionWindowElapsed`, sent by whatever owns the
 * timers (see `createTagRuntime`), so `createTestModel` can traverse it.
 *
 * @example
 * ```ts
 * const tag = createActor(tagMachine, { input: {} }).start();
 * tag.send({ type: 'tag.dataReceived', at: 1_000, now: 1_000 });
 * tag.getSnapshot().value; // 'Active'
 * tag.send({ type: 'tag.silenceElapsed', at: 1_000 + 86_400_000 });
 * tag.getSnapshot().value; // 'Inactive'
 * ```
 */
export const tagMachine = setup({
  types: {
    context: {} as TagContext,
    events: {} as TagEvent,
    input: {} as TagMachineInput,
  },
  actors: { goal: goalMachine },
  guards: {
    isActivityWindowElapsed: ({ context, event }) =>
      event.type === 'tag.silenceElapsed' &&
      context.lastDataAt !== undefined &&
      event.at >= windowEndOf(context.lastDataAt, context.activityWindowMs),
    isRecentActivity: ({ context, event }) =>
      'now' in event && isWithinWindow(event.at, event.now, context.activityWindowMs),
    isConversionThroughTag: ({ context, event }) => {
      if (event.type !== 'goal.conversionRecorded') return false;
      const goal = context.goals.find((attached) => attached.goalId === event.goalId);
      return goal !== undefined && isTagBasedGoalType(goal.goalType);
    },
  },
  actions: {
    recordActivity: assign(({ context, event }) => {
      if (event.type !== 'tag.dataReceived' && event.type !== 'goal.conversionRecorded') return {};
      return {
        firstDataAt: earliestReceived(context.firstDataAt, event.at),
        lastDataAt: latestReceived(context.lastDataAt, event.at),
      };
    }),
    forwardToGoal: enqueueActions(({ event, enqueue }) => {
      if (
        event.type !== 'goal.conversionRecorded' &&
        event.type !== 'goal.conversionWindowElapsed'
      ) {
        return;
      }
      enqueue(deliverToGoal(event.goalId, event));
    }),
    notifyGoals: enqueueActions(
      ({ context, event, enqueue }, params: { status: UetTagTrackingStatus }) => {
        if (!('at' in event)) return;
        // A goal decides at the processor's time: an activity stamped ahead of it (within
        // the allowed skew) must not make conversions look older than they are yet.
        const changed: TagStatusChangedEvent = {
          type: 'tag.statusChanged',
          status: params.status,
          at: 'now' in event ? Math.min(event.at, event.now) : event.at,
        };
        for (const goalId of tagBasedGoalIds(context)) {
          enqueue(deliverToGoal(goalId, changed));
        }
      },
    ),
    recordAccess: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'tag.accessLost' && event.type !== 'tag.accessRestored') return;
      enqueue.assign({ tagAvailable: event.type === 'tag.accessRestored' });
      for (const goalId of tagBasedGoalIds(context)) {
        enqueue(deliverToGoal(goalId, event));
      }
    }),
    deliverToGoal: ({ self }, params: { goalId: string; event: GoalEvent }) => {
      self.getSnapshot().children[params.goalId]?.send(params.event);
    },
    attachGoal: enqueueActions(
      ({ context, event, enqueue }, params: { tagStatus: UetTagTrackingStatus }) => {
        if (event.type !== 'goal.attached') return;
        const attached: AttachedGoal = { goalId: event.goalId, goalType: event.goalType };
        enqueue.assign({ goals: [...context.goals, attached] });
        enqueue.spawnChild('goal', {
          id: event.goalId,
          input: {
            goalType: event.goalType,
            at: event.at,
            conversionWindowMs: context.conversionWindowMs,
            tagStatus: params.tagStatus,
            tagAvailable: context.tagAvailable,
          },
        });
      },
    ),
    detachGoal: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'goal.detached') return;
      enqueue.stopChild(event.goalId);
      enqueue.assign({ goals: context.goals.filter((goal) => goal.goalId !== event.goalId) });
    }),
  },
}).createMachine({
  id: 'uetTag',
  // Every input field is optional, and XState's pure `transition()` builds a throwaway
  // actor with no input at all, so the input itself may be missing.
  context: ({ input }) => {
    const { windows: windowOptions, tagAvailable = true } = input ?? {};
    const windows = resolveWindows(windowOptions);
    return {
      activityWindowMs: windows.activityWindowMs,
      conversionWindowMs: windows.conversionWindowMs,
      firstDataAt: undefined,
      lastDataAt: undefined,
      tagAvailable,
      goals: [],
    };
  },
  initial: 'Unverified',
  on: {
    'goal.detached': { actions: 'detachGoal' },
    'goal.conversionWindowElapsed': { actions: 'forwardToGoal' },
    'tag.accessLost': { actions: 'recordAccess' },
    'tag.accessRestored': { actions: 'recordAccess' },
  },
  states: {
    /** No activity has ever been received (R1). */
    Unverified: {
      on: {
        'tag.dataReceived': { target: 'Active', actions: 'recordActivity' },
        'goal.conversionRecorded': [
          {
            guard: 'isConversionThroughTag',
            target: 'Active',
            actions: ['recordActivity', 'forwardToGoal'],
          },
          { actions: 'forwardToGoal' },
        ],
        'goal.attached': { actions: { type: 'attachGoal', params: { tagStatus: 'Unverified' } } },
      },
    },
    /** The latest activity is within the activity window (R2, R3, R5); lapses without data (R4). */
    Active: {
      tags: [LAPSES],
      entry: { type: 'notifyGoals', params: { status: 'Active' } },
      on: {
        'tag.dataReceived': { actions: 'recordActivity' },
        'goal.conversionRecorded': [
          { guard: 'isConversionThroughTag', actions: ['recordActivity', 'forwardToGoal'] },
          { actions: 'forwardToGoal' },
        ],
        'tag.silenceElapsed': { guard: 'isActivityWindowElapsed', target: 'Inactive' },
        'goal.attached': { actions: { type: 'attachGoal', params: { tagStatus: 'Active' } } },
      },
    },
    /** Activity was received, but none within the activity window (R4). */
    Inactive: {
      entry: { type: 'notifyGoals', params: { status: 'Inactive' } },
      on: {
        'tag.dataReceived': [
          { guard: 'isRecentActivity', target: 'Active', actions: 'recordActivity' },
          { actions: 'recordActivity' },
        ],
        'goal.conversionRecorded': [
          {
            guard: and(['isConversionThroughTag', 'isRecentActivity']),
            target: 'Active',
            actions: ['recordActivity', 'forwardToGoal'],
          },
          { guard: 'isConversionThroughTag', actions: ['recordActivity', 'forwardToGoal'] },
          { actions: 'forwardToGoal' },
        ],
        'goal.attached': { actions: { type: 'attachGoal', params: { tagStatus: 'Inactive' } } },
      },
    },
  },
});

/** The ids of the tag-based goals, in attachment order. */
function tagBasedGoalIds(context: TagContext): string[] {
  return context.goals
    .filter((goal) => isTagBasedGoalType(goal.goalType))
    .map((goal) => goal.goalId);
}

/**
 * The named `deliverToGoal` action with its params. `setup()` cannot type a reference to
 * its own actions from inside them, hence the cast. Pure steps (`transition()`) return
 * these action objects, so a caller that keeps goals apart can deliver the same events.
 */
function deliverToGoal(goalId: string, event: GoalEvent): never {
  return { type: 'deliverToGoal', params: { goalId, event } } as never;
}
