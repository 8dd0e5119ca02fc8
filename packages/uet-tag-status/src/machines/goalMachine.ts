import { assign, setup } from 'xstate';
import { isTagBasedGoalType } from '../valueSets/conversionGoalType.js';
import { DEFAULT_WINDOWS } from '../windows.js';
import { latestReceived } from './receivedTimes.js';
import { LAPSES } from './stateTags.js';
import type { GoalContext, GoalEvent, GoalMachineInput } from './types.js';
import { isWithinWindow } from './windowArithmetic.js';

/**
 * The time a goal decides its status for, on learning a fact that took effect `at`: never
 * earlier than its last decision (decision 10). A fact that arrives late (a tag revived by
 * late activity, after the goal already decided a later moment, such as its access being
 * restored) is weighed at the goal's present, so a conversion that had aged out of the
 * window by then does not count as recent again.
 */
function decisionTime(context: GoalContext, at: number): number {
  return Math.max(at, context.decidedAt);
}

/**
 * The conversion goal tracking status as a state machine: the child computation of a
 * tag (SPEC G1–G7). Its state value is the goal's `ConversionGoalTrackingStatus`.
 *
 * Every fact it learns (a conversion, the window's end, the tag's status, access lost or
 * restored) is recorded in context, and the transient `Deciding` state then picks the
 * status in the order of precedence of SPEC G4, G5, G2 and G3. `Deciding` is left in the
 * same step it is entered, so a snapshot's value is always a status.
 *
 * @example
 * ```ts
 * const goal = createActor(goalMachine, { input: { goalType: 'AppInstall', at: 0 } }).start();
 * goal.send({ type: 'goal.conversionRecorded', goalId: 'g', at: 10, now: 10 });
 * goal.getSnapshot().value; // 'RecordingConversions'
 * ```
 */
export const goalMachine = setup({
  types: {
    context: {} as GoalContext,
    events: {} as GoalEvent,
    input: {} as GoalMachineInput,
  },
  guards: {
    isTagUnavailable: ({ context }) =>
      isTagBasedGoalType(context.goalType) && !context.tagAvailable,
    isTagUnverified: ({ context }) =>
      isTagBasedGoalType(context.goalType) && context.tagStatus === 'Unverified',
    isTagInactive: ({ context }) =>
      isTagBasedGoalType(context.goalType) && context.tagStatus === 'Inactive',
    hasRecentConversion: ({ context }) =>
      context.lastConversionAt !== undefined &&
      isWithinWindow(context.lastConversionAt, context.decidedAt, context.conversionWindowMs),
  },
  actions: {
    recordConversion: assign(({ context, event }) => {
      if (event.type !== 'goal.conversionRecorded') return {};
      return {
        lastConversionAt: latestReceived(context.lastConversionAt, event.at),
        // Decided at the conversion's own time (a late one is weighed when it happened, as
        // late activity is, SPEC D1), but never ahead of the processor (the allowed skew).
        decidedAt: decisionTime(context, Math.min(event.at, event.now)),
      };
    }),
    recordTagStatus: assign(({ context, event }) =>
      event.type === 'tag.statusChanged'
        ? { tagStatus: event.status, decidedAt: decisionTime(context, event.at) }
        : {},
    ),
    recordAccessLost: assign(({ context, event }) => ({
      tagAvailable: false,
      decidedAt: decisionTime(context, event.at),
    })),
    recordAccessRestored: assign(({ context, event }) => ({
      tagAvailable: true,
      decidedAt: decisionTime(context, event.at),
    })),
    recordTime: assign(({ context, event }) => ({ decidedAt: decisionTime(context, event.at) })),
  },
}).createMachine({
  id: 'conversionGoal',
  context: ({ input }) => ({
    goalType: input.goalType,
    conversionWindowMs: input.conversionWindowMs ?? DEFAULT_WINDOWS.conversionWindowMs,
    tagStatus: input.tagStatus ?? 'Unverified',
    tagAvailable: input.tagAvailable ?? true,
    lastConversionAt: undefined,
    decidedAt: input.at,
  }),
  initial: 'Deciding',
  on: {
    'goal.conversionRecorded': { target: '.Deciding', actions: 'recordConversion' },
    'goal.conversionWindowElapsed': { target: '.Deciding', actions: 'recordTime' },
    'tag.statusChanged': { target: '.Deciding', actions: 'recordTagStatus' },
    'tag.accessLost': { target: '.Deciding', actions: 'recordAccessLost' },
    'tag.accessRestored': { target: '.Deciding', actions: 'recordAccessRestored' },
  },
  states: {
    /** Transient: picks the status from the facts, by SPEC precedence. */
    Deciding: {
      always: [
        { guard: 'isTagUnavailable', target: 'InactiveDueToTagUnavailable' },
        { guard: 'isTagUnverified', target: 'TagUnverified' },
        { guard: 'isTagInactive', target: 'TagInactive' },
        { guard: 'hasRecentConversion', target: 'RecordingConversions' },
        { target: 'NoRecentConversions' },
      ],
    },
    /** The goal's tag is Unverified (G2). */
    TagUnverified: {},
    /** The goal's tag is Inactive (G2). */
    TagInactive: {},
    /** Active tag (or tagless goal), no conversion in the window (G3, G5). */
    NoRecentConversions: {},
    /** Active tag (or tagless goal), a conversion in the window (G3, G5); lapses without one. */
    RecordingConversions: { tags: [LAPSES] },
    /** The account has no access to the goal's tag (G4). */
    InactiveDueToTagUnavailable: {},
  },
});
