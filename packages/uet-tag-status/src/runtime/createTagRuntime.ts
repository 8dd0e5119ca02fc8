import { type Actor, createActor } from 'xstate';
import { collapseInstantChanges } from '../engine/collapseInstantChanges.js';
import { effectiveTimeOf, type FactChange } from '../engine/factChange.js';
import { type DueSilence, nextSilence } from '../engine/nextSilence.js';
import type { goalMachine } from '../machines/goalMachine.js';
import { goalStatusOf } from '../machines/goalStatusOf.js';
import { tagMachine } from '../machines/tagMachine.js';
import type { TagEvent } from '../machines/types.js';
import { TrackingInputError } from '../TrackingInputError.js';
import type { GoalDefinition } from '../uet/goalDefinition.js';
import {
  assertEpochMs,
  assertGoalRoom,
  assertId,
  assertNotInFuture,
  assertSkew,
  checkNewGoal,
} from '../validation.js';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import { resolveWindows, type TrackingWindows } from '../windows.js';
import { MAX_TIMER_DELAY_MS, type RuntimeClock, realClock } from './clock.js';
import { type ErrorHandler, notifyListeners } from './listeners.js';
import { type StatusChange, type StatusChangeListener, statusChange } from './statusChange.js';

export type { GoalDefinition } from '../uet/goalDefinition.js';

/** Options of {@link createTagRuntime}. */
export interface TagRuntimeOptions {
  /** The tag's id, reported with every change. */
  readonly tagId: string;
  /** Goals attached from the start. */
  readonly goals?: readonly GoalDefinition[];
  /** The windows; SPEC T2 defaults for any left out. */
  readonly windows?: Partial<TrackingWindows>;
  /**
   * Where time comes from and timers run.
   * @default realClock
   */
  readonly clock?: RuntimeClock;
  /**
   * How far after the processor's time an input may be stamped (SPEC D3).
   * @default 300_000 (5 minutes)
   */
  readonly allowedSkewMs?: number;
  /**
   * Whether the account has access to the tag at the start (SPEC G4).
   * @default true
   */
  readonly tagAvailable?: boolean;
  /** Called with every status change; the same as `onStatusChange` right after creation. */
  readonly onStatusChange?: StatusChangeListener;
  /**
   * Called with an error a listener threw (the runtime and the other listeners go on).
   * Without it such an error is thrown asynchronously, from a microtask.
   */
  readonly onError?: ErrorHandler;
}

/** A running tag with its goals, its timers armed from event time. */
export interface TagRuntime {
  /** The tag's id. */
  readonly tagId: string;
  /** The underlying XState actor of {@link tagMachine}; goals are its children. */
  readonly actor: Actor<typeof tagMachine>;
  /** The processor's current time: the clock's, but never going backwards (SPEC D6). */
  now(): number;
  /** The tag's current status. */
  status(): UetTagTrackingStatus;
  /**
   * A goal's current status.
   * @throws {@link TrackingInputError} `unknownGoal` when no such goal is attached.
   */
  goalStatus(goalId: string): ConversionGoalTrackingStatus;
  /**
   * Every attached goal's current status by goal id, in attachment order (a `Map`, since
   * an object would put integer-like ids such as `'10'` first).
   */
  goalStatuses(): ReadonlyMap<string, ConversionGoalTrackingStatus>;
  /**
   * Records activity from the tag received at `at` (SPEC R2, R3, R5, D1–D4).
   * @throws {@link TrackingInputError} for a bad or too-future time; nothing changes then.
   */
  recordActivity(at: number): void;
  /**
   * Records a conversion for a goal at `at`; through the tag it is activity too (SPEC G6).
   * @throws {@link TrackingInputError} for a bad time or an unknown goal; nothing changes then.
   */
  recordConversion(goalId: string, at: number): void;
  /**
   * Attaches a goal now; it starts with the status the tag's state gives it.
   * @throws {@link TrackingInputError} for a bad id or type, or an id already attached.
   */
  attachGoal(goal: GoalDefinition): void;
  /**
   * Detaches a goal; its child actor stops.
   * @throws {@link TrackingInputError} `unknownGoal` when no such goal is attached.
   */
  detachGoal(goalId: string): void;
  /** The account lost access to the tag now (SPEC G4). */
  loseTagAccess(): void;
  /** The account has access to the tag again now (SPEC G4). */
  restoreTagAccess(): void;
  /**
   * Subscribes to status changes; returns the function that unsubscribes. A listener that
   * throws stops neither the others nor the runtime: its error goes to the `onError`
   * option, or is thrown asynchronously (the same policy as the monitor's).
   */
  onStatusChange(listener: StatusChangeListener): () => void;
  /** Clears the timer and stops the actor. */
  stop(): void;
}

/** The clock skew allowed by default (SPEC D3): 5 minutes. */
export const DEFAULT_ALLOWED_SKEW_MS = 300_000;

/**
 * Creates a running tag (and its goals) that arms and re-arms the activity and
 * conversion timers from event time through the given clock, and reports every status
 * change with its effective and noticed times (SPEC D5).
 *
 * @example
 * ```ts
 * import { SimulatedClock } from 'xstate';
 * const clock = new SimulatedClock();
 * const tag = createTagRuntime({ tagId: '42', clock, goals: [{ goalId: 'buy', goalType: 'Url' }] });
 * tag.onStatusChange((change) => console.log(change));
 * tag.recordActivity(clock.now()); // Unverified -> Active
 * clock.increment(86_400_000); // Active -> Inactive, effective 24 h after the activity
 * ```
 */
export function createTagRuntime(options: TagRuntimeOptions): TagRuntime {
  assertId('tagId', options.tagId);
  const allowedSkewMs = options.allowedSkewMs ?? DEFAULT_ALLOWED_SKEW_MS;
  assertSkew('allowedSkewMs', allowedSkewMs);
  const tagAvailable = options.tagAvailable ?? true;
  if (typeof tagAvailable !== 'boolean') {
    throw new TrackingInputError('invalidOption', 'tagAvailable', tagAvailable, 'true or false');
  }
  const windows = resolveWindows(options.windows);
  const clock = options.clock ?? realClock;
  const { tagId } = options;
  const actor = createActor(tagMachine, {
    input: { windows, tagAvailable },
    clock,
  });
  const listeners = new Set<StatusChangeListener>();
  const lastEffectiveAt = new Map<string, number>();
  let processorNow = clock.now();
  let timer: unknown;
  let stopped = false;

  const children = () => actor.getSnapshot().children;
  /** Goal ids in attachment order, as the tag machine keeps its goals. */
  const goalIds = (): readonly string[] =>
    actor.getSnapshot().context.goals.map((goal) => goal.goalId);
  const goalSnapshot = (goalId: string) => {
    const child = Object.hasOwn(children(), goalId) ? children()[goalId] : undefined;
    if (child === undefined) {
      throw new TrackingInputError('unknownGoal', 'goalId', goalId, 'the id of an attached goal');
    }
    return (child as Actor<typeof goalMachine>).getSnapshot();
  };
  const readGoalStatusMap = (): Map<string, ConversionGoalTrackingStatus> =>
    new Map(goalIds().map((goalId) => [goalId, goalStatusOf(goalSnapshot(goalId))]));

  function advanceNow(): number {
    processorNow = Math.max(processorNow, clock.now());
    return processorNow;
  }

  /** Tells every listener; one that throws neither stops the others nor the runtime. */
  function emit(change: StatusChange): void {
    notifyListeners(listeners, change, options.onError);
  }

  function effectiveFor(subject: string, at: number): number {
    const effectiveAt = effectiveTimeOf(at, lastEffectiveAt.get(subject));
    lastEffectiveAt.set(subject, effectiveAt);
    return effectiveAt;
  }

  /** Sends one event and returns what it changed, tag first, then goals. */
  function step(event: TagEvent, at: number): FactChange[] {
    const tagBefore = actor.getSnapshot().value;
    const goalsBefore = readGoalStatusMap();
    actor.send(event);
    const tagAfter = actor.getSnapshot().value;
    const changes: FactChange[] = [];
    if (tagBefore !== tagAfter) {
      const effectiveAt = effectiveFor('', at);
      changes.push({ kind: 'tag', from: tagBefore, to: tagAfter, effectiveAt });
    }
    for (const [goalId, to] of readGoalStatusMap()) {
      const from = goalsBefore.get(goalId);
      if (from === undefined || from === to) continue;
      // A goal's change takes effect when the goal decided it (see stepThroughMachines).
      const effectiveAt = effectiveFor(`goal:${goalId}`, goalSnapshot(goalId).context.decidedAt);
      changes.push({ kind: 'goal', goalId, from, to, effectiveAt });
    }
    return changes;
  }

  /** Tells the listeners of `changes`, noticed now. */
  function report(changes: readonly FactChange[]): void {
    for (const change of changes) {
      emit(statusChange({ ...change, tagId, noticedAt: processorNow }));
    }
  }

  /** The earliest silence that could change a status; the tag's wins a tie. */
  function nextDeadline(): DueSilence | undefined {
    const { value, context } = actor.getSnapshot();
    const goals = goalIds().map((goalId) => {
      const goal = goalSnapshot(goalId);
      return {
        goalId,
        status: goalStatusOf(goal),
        lastConversionAt: goal.context.lastConversionAt,
      };
    });
    return nextSilence({ status: value, lastDataAt: context.lastDataAt, goals }, windows);
  }

  /** The earliest silence due by the processor's time, if any. */
  function dueSilence(): DueSilence | undefined {
    const due = nextDeadline();
    return due !== undefined && due.at <= processorNow ? due : undefined;
  }

  /** Applies one due silence; returns what it changed. */
  function fireSilence(due: DueSilence): FactChange[] {
    const found = step(due.event, due.at);
    if (found.length === 0) {
      throw new Error(`internal: the silence due at ${due.at} changed no status`);
    }
    return found;
  }

  /** Fires every silence due, in effective-time order, reporting each as its own step. */
  function catchUp(): void {
    for (let due = dueSilence(); due !== undefined; due = dueSilence()) report(fireSilence(due));
  }

  /** Fires every silence due, then arms the timer for the next one. */
  function settle(): void {
    catchUp();
    arm();
  }

  /**
   * Applies one input's event after catching up: its step and the silences that step made
   * due at once (SPEC D1) are reported together, without a status that held for no time
   * (`collapseInstantChanges`).
   */
  function applyInput(event: TagEvent, at: number): void {
    catchUp();
    const changes = step(event, at);
    for (let due = dueSilence(); due !== undefined; due = dueSilence()) {
      changes.push(...fireSilence(due));
    }
    report(collapseInstantChanges(changes));
    arm();
  }

  function arm(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const next = nextDeadline();
    if (next === undefined || stopped) return;
    const delay = Math.min(Math.max(next.at - clock.now(), 0), MAX_TIMER_DELAY_MS);
    timer = clock.setTimeout(() => {
      timer = undefined;
      advanceNow();
      settle();
    }, delay);
  }

  /** Validates a time input against the processor's time, catches up, then applies it. */
  function input(field: string, at: number, makeEvent: (now: number) => TagEvent): void {
    assertEpochMs(field, at);
    const now = advanceNow();
    assertNotInFuture(field, at, now, allowedSkewMs);
    applyInput(makeEvent(now), at);
  }

  function attachGoal(goal: GoalDefinition): void {
    const attached = actor.getSnapshot().context.goals;
    const { goalId, goalType } = checkNewGoal(goal, (id) =>
      attached.some((candidate) => candidate.goalId === id),
    );
    assertGoalRoom('goalId', attached.length, 1);
    const now = advanceNow();
    catchUp();
    actor.send({ type: 'goal.attached', goalId, goalType, at: now });
    settle();
  }

  function detachGoal(goalId: string): void {
    assertId('goalId', goalId);
    goalSnapshot(goalId);
    advanceNow();
    catchUp();
    actor.send({ type: 'goal.detached', goalId });
    lastEffectiveAt.delete(`goal:${goalId}`);
    arm();
  }

  function changeAccess(type: 'tag.accessLost' | 'tag.accessRestored'): void {
    const now = advanceNow();
    applyInput({ type, at: now }, now);
  }

  actor.start();
  try {
    for (const goal of options.goals ?? []) attachGoal(goal);
  } catch (error) {
    actor.stop();
    throw error;
  }
  if (options.onStatusChange) listeners.add(options.onStatusChange);

  return {
    tagId,
    actor,
    now: advanceNow,
    status: () => actor.getSnapshot().value,
    goalStatus: (goalId) => goalStatusOf(goalSnapshot(goalId)),
    goalStatuses: readGoalStatusMap,
    recordActivity(at) {
      input('at', at, (now) => ({ type: 'tag.dataReceived', at, now }));
    },
    recordConversion(goalId, at) {
      assertId('goalId', goalId);
      goalSnapshot(goalId);
      input('at', at, (now) => ({ type: 'goal.conversionRecorded', goalId, at, now }));
    },
    attachGoal,
    detachGoal,
    loseTagAccess: () => changeAccess('tag.accessLost'),
    restoreTagAccess: () => changeAccess('tag.accessRestored'),
    onStatusChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      actor.stop();
    },
  };
}
