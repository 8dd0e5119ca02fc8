import { assign, setup } from 'xstate';
import { isTagBasedGoalType } from '../valueSets/conversionGoalType.js';
import { DEFAULT_WINDOWS } from '../windows.js';
import { latestReceived } from './receivedTimes.js';
import { LAPSES } from './stateTags.js';
import type { GoalContext, GoalEvent, GoalMachineInput } from './types.js';
import { isWithinWindow } from './windowArithmetic.js';

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
        decidedAt: event.now,
      };
    }),
    recordTagStatus: assign(({ event }) =>
      event.type === 'tag.statusChanged' ? { tagStatus: event.status, decidedAt: event.at } : {},
    ),
    recordAccessLost: assign(({ event }) => ({ tagAvailable: false, decidedAt: event.at })),
    recordAccessRestored: assign(({ event }) => ({ tagAvailable: true, decidedAt: event.at })),
    recordTime: assign(({ event }) => ({ decidedAt: event.at })),
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
