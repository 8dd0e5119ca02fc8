import { and, assign, enqueueActions, setup } from 'xstate';
import { isTagBasedGoalType } from '../valueSets/conversionGoalType.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import { resolveWindows } from '../windows.js';
import { goalMachine } from './goalMachine.js';
import type {
  GoalEvent,
  TagContext,
  TagEvent,
  TagMachineInput,
  TagStatusChangedEvent,
} from './types.js';

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
      event.at >= context.lastDataAt + context.activityWindowMs,
    isRecentActivity: ({ context, event }) =>
      'now' in event && event.at + context.activityWindowMs > event.now,
    isConversionThroughTag: ({ context, event }) => {
      if (event.type !== 'goal.conversionRecorded') return false;
      const goalType = context.goalTypes[event.goalId];
      return goalType !== undefined && isTagBasedGoalType(goalType);
    },
  },
  actions: {
    recordActivity: assign(({ context, event }) => {
      if (event.type !== 'tag.dataReceived' && event.type !== 'goal.conversionRecorded') return {};
      return {
        firstDataAt: Math.min(context.firstDataAt ?? event.at, event.at),
        lastDataAt: Math.max(context.lastDataAt ?? event.at, event.at),
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
        enqueue.assign({ goalTypes: { ...context.goalTypes, [event.goalId]: event.goalType } });
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
      const { [event.goalId]: _detached, ...goalTypes } = context.goalTypes;
      enqueue.stopChild(event.goalId);
      enqueue.assign({ goalTypes });
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
      goalTypes: {},
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
    /** The latest activity is within the activity window (R2, R3, R5). */
    Active: {
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

function tagBasedGoalIds(context: TagContext): string[] {
  return Object.entries(context.goalTypes)
    .filter(([, goalType]) => isTagBasedGoalType(goalType))
    .map(([goalId]) => goalId);
}

/**
 * The named `deliverToGoal` action with its params. `setup()` cannot type a reference to
 * its own actions from inside them, hence the cast. Pure steps (`transition()`) return
 * these action objects, so a caller that keeps goals apart can deliver the same events.
 */
function deliverToGoal(goalId: string, event: GoalEvent): never {
  return { type: 'deliverToGoal', params: { goalId, event } } as never;
}
