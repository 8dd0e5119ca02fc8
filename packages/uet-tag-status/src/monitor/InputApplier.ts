import { applyInput } from '../engine/applyInput.js';
import { collapseInstantChanges } from '../engine/collapseInstantChanges.js';
import type { FactChange } from '../engine/factChange.js';
import { applyFastPath } from '../engine/fastPath.js';
import { StepMemo } from '../engine/StepMemo.js';
import { createTagFacts } from '../engine/tagFacts.js';
import { activityKeepsStatus } from '../machines/chartFacts.js';
import type { TagEvent } from '../machines/types.js';
import { TrackingInputError } from '../TrackingInputError.js';
import { hitOf } from '../uet/checkUetHit.js';
import type { GoalDefinition } from '../uet/goalDefinition.js';
import {
  assertEpochMs,
  assertGoalRoom,
  assertId,
  assertNotInFuture,
  checkNewGoal,
  isValidTime,
} from '../validation.js';
import { MONITOR_INPUT_KINDS, type MonitorInput, type RejectedInput } from './monitorInput.js';
import type { MonitorParts } from './monitorParts.js';
import { SilenceApplier } from './SilenceApplier.js';

/** How many inputs of a batch have their tags looked up ahead, together. */
const LOOKAHEAD = 256;

/**
 * Applies a monitor's inputs to its tags: validation (SPEC D3, D4), the engine's steps
 * (the fast path for activity that keeps a status, else a full machine step), the
 * silences they make due at once (D1a), and what they leave to commit and report.
 * Precondition of every method (the engine's): every silence due by `now` was applied.
 *
 * @example
 * ```ts
 * const inputs = new InputApplier(parts);
 * inputs.apply({ kind: 'activity', tagId: 'shop', at: now }, now);
 * ```
 */
export class InputApplier {
  /** The tag numbers of the next inputs of a batch, read ahead. */
  private readonly numbers = new Int32Array(LOOKAHEAD);
  /** Reused for every activity, so the hot path allocates nothing; full steps get a copy. */
  private readonly activityEvent = { type: 'tag.dataReceived' as const, at: 0, now: 0 };

  /** Inputs and silences stepped by the machines once per kind of tag, then applied to many. */
  private readonly steps = new StepMemo();
  private readonly silences: SilenceApplier;

  constructor(private readonly parts: MonitorParts) {
    this.silences = new SilenceApplier(parts, this.steps);
  }

  /**
   * Holds activity that the engine's fast path would take, when nothing is due, reading
   * nothing of the tag but its number and status byte. Says whether it held the
   * activity; when not, nothing changed and the general path must run.
   */
  holdSteadyActivity(tagId: unknown, at: unknown, now: number, knownNumber?: number): boolean {
    const { table, scheduler, held } = this.parts;
    if (typeof tagId !== 'string' || scheduler.earliest <= now) return false;
    const no = knownNumber ?? table.numberOf(tagId) ?? -1;
    if (no < 0 || !activityKeepsStatus(table.statusOf(no))) return false;
    held.hold(no, this.checkTime(at, now));
    return true;
  }

  /** Applies one input; `no` is its tag's number when read beforehand and still true. */
  apply(input: MonitorInput, now: number, no?: number): void {
    if (typeof input !== 'object' || input === null) {
      throw new TrackingInputError('invalidInput', 'input', input, 'an object with a kind');
    }
    if (input.kind === 'activity') {
      if (this.holdSteadyActivity(input.tagId, input.at, now, no)) return;
      this.parts.held.apply();
      this.recordActivity(input.tagId, input.at, now);
      return;
    }
    this.parts.held.apply();
    if (input.kind !== 'conversion' && 'at' in input && input.at !== undefined) {
      this.checkTime(input.at, now);
    }
    switch (input.kind) {
      case 'conversion':
        this.recordConversion(input.tagId, input.goalId, input.at, now, input.goalType);
        break;
      case 'hit':
        this.recordHit(input.hit, input.at, now);
        break;
      case 'registerTag':
        this.registerTag(input.tagId, input.goals, input.tagAvailable, now);
        break;
      case 'removeTag':
        this.removeTag(input.tagId);
        break;
      case 'attachGoal':
        this.attachGoal(input.tagId, input, now);
        break;
      case 'detachGoal':
        this.detachGoal(input.tagId, input.goalId, now);
        break;
      case 'accessLost':
        this.changeAccess(input.tagId, 'tag.accessLost', now);
        break;
      case 'accessRestored':
        this.changeAccess(input.tagId, 'tag.accessRestored', now);
        break;
      default:
        throw new TrackingInputError(
          'invalidInput',
          'kind',
          (input as { kind?: unknown }).kind,
          `one of ${MONITOR_INPUT_KINDS.join(', ')}`,
        );
    }
  }

  /**
   * Applies a batch: good inputs are applied, each bad one is returned with its index
   * (SPEC D4). The tags of {@link LOOKAHEAD} inputs are looked up at a time in one tight
   * loop, so that the processor overlaps those lookups; they are trusted while the id map
   * is unchanged. Inputs are processed at `start`, or, when `until` is later, each at its
   * own time up to `until`; returns the rejected inputs and the time reached.
   */
  applyBatch(
    inputs: readonly MonitorInput[],
    start: number,
    until = start,
  ): { rejected: RejectedInput[]; now: number } {
    const { table } = this.parts;
    const { numbers } = this;
    const rejected: RejectedInput[] = [];
    let now = start;
    for (let from = 0; from < inputs.length; from += LOOKAHEAD) {
      const to = Math.min(inputs.length, from + LOOKAHEAD);
      const version = table.numbersOf(inputs, from, to, numbers);
      for (let index = from; index < to; index++) {
        const input = inputs[index] as MonitorInput;
        if (until > now) now = this.moveToInputTime(input, now, until);
        const no = table.version === version ? numbers[index - from] : undefined;
        try {
          this.apply(input, now, no);
        } catch (error) {
          if (!(error instanceof TrackingInputError)) throw error;
          rejected.push({ index, error });
        }
      }
    }
    this.parts.held.apply();
    return { rejected, now };
  }

  /**
   * The time to process `input` at, when inputs are processed at their own times: its
   * `at` (no later than `until`, the clock's time) when that is a valid time later than
   * `now`, and then every silence due by it is applied first, as a live processor would
   * have; else `now`.
   */
  private moveToInputTime(input: MonitorInput, now: number, until: number): number {
    const at =
      typeof input === 'object' && input !== null ? (input as { at?: unknown }).at : undefined;
    if (typeof at !== 'number' || at <= now || !isValidTime(at)) return now;
    const to = Math.min(at, until);
    this.parts.held.apply();
    this.settle(to);
    return to;
  }

  registerTag(tagId: unknown, goals: unknown, tagAvailable: unknown, now: number): void {
    const { table, pending } = this.parts;
    assertId('tagId', tagId);
    if (table.numberOf(tagId) !== undefined) {
      throw new TrackingInputError('duplicateTag', 'tagId', tagId, 'an id not yet registered');
    }
    if (tagAvailable !== undefined && typeof tagAvailable !== 'boolean') {
      throw new TrackingInputError('invalidOption', 'tagAvailable', tagAvailable, 'true or false');
    }
    if (goals !== undefined && !Array.isArray(goals)) {
      throw new TrackingInputError('invalidOption', 'goals', goals, 'an array of goals');
    }
    const given = (goals ?? []) as unknown[];
    assertGoalRoom('goals', 0, given.length);
    const taken = new Set<string>();
    const attached: {
      goalId: string;
      goalType: GoalDefinition['goalType'];
      definition?: GoalDefinition;
    }[] = [];
    given.forEach((goal, index) => {
      const definition = this.parts.matching.check(`goals[${index}]`, goal);
      if (definition?.status === 'Deleted') return;
      const { goalId, goalType } = checkNewGoal(goal, (candidate) => taken.has(candidate));
      taken.add(goalId);
      attached.push({ goalId, goalType, definition });
    });
    const no = table.add(tagId, createTagFacts(tagAvailable ?? true));
    pending?.touch(no);
    for (const { goalId, goalType, definition } of attached) {
      this.step(no, { type: 'goal.attached', goalId, goalType, at: now }, now);
      if (definition !== undefined) this.parts.matching.attach(tagId, definition);
    }
  }

  removeTag(tagId: unknown): void {
    const { table, scheduler, reporter, pending } = this.parts;
    const no = this.requireTag(tagId);
    scheduler.remove(no);
    reporter.forget(no);
    this.parts.matching.removeTag(table.idOf(no));
    table.remove(no);
    pending?.remove(no);
  }

  attachGoal(tagId: unknown, goal: unknown, now: number): void {
    const no = this.requireTag(tagId);
    const { table, matching } = this.parts;
    const definition = matching.check('goal', goal);
    const isAttached = (candidate: string) =>
      table.goalsOf(no).some((attached) => attached.goalId === candidate);
    if (definition?.status === 'Deleted') {
      if (isAttached(definition.goalId)) this.detachGoal(tagId, definition.goalId, now);
      return;
    }
    const { goalId, goalType } = checkNewGoal(goal, isAttached);
    assertGoalRoom('goalId', table.goalsOf(no).length, 1);
    this.step(no, { type: 'goal.attached', goalId, goalType, at: now }, now);
    if (definition !== undefined) matching.attach(table.idOf(no), definition);
  }

  detachGoal(tagId: unknown, goalId: unknown, now: number): void {
    const no = this.requireTag(tagId);
    const detached = this.requireGoal(no, goalId);
    this.step(no, { type: 'goal.detached', goalId: detached }, now);
    this.parts.matching.detach(this.parts.table.idOf(no), detached);
  }

  recordActivity(tagId: unknown, at: unknown, now: number): void {
    const no = this.tagOfInput(tagId, at, now);
    const event = this.activityEvent;
    event.at = this.checkTime(at, now);
    event.now = now;
    this.step(no, event, now);
  }

  /**
   * Records a hit (SPEC U2, M1–M7): activity of its tag, and a conversion of each goal
   * whose definition it matches, as one step; returns those goals' ids.
   */
  recordHit(hit: unknown, at: unknown, now: number): readonly string[] {
    const read = hitOf('hit', hit);
    const no = this.tagOfInput(read.tagId, at, now);
    const time = this.checkTime(at, now);
    const converted = this.parts.matching.match(read, time);
    if (converted.length === 0) {
      this.recordActivity(read.tagId, time, now);
      return converted;
    }
    const changes: FactChange[] = [];
    this.step(no, { type: 'tag.dataReceived', at: time, now }, now, changes);
    for (const goalId of converted) {
      this.step(no, { type: 'goal.conversionRecorded', goalId, at: time, now }, now, changes);
    }
    this.parts.reporter.record(no, this.parts.table.idOf(no), collapseInstantChanges(changes), now);
    return converted;
  }

  recordConversion(
    tagId: unknown,
    goalId: unknown,
    at: unknown,
    now: number,
    goalType?: unknown,
  ): void {
    const no = this.tagOfInput(tagId, at, now);
    const goal = this.goalOfConversion(no, goalId, goalType, at, now);
    const time = this.checkTime(at, now);
    this.step(no, { type: 'goal.conversionRecorded', goalId: goal, at: time, now }, now);
  }

  changeAccess(tagId: unknown, type: 'tag.accessLost' | 'tag.accessRestored', now: number): void {
    this.step(this.requireTag(tagId), { type, at: now }, now);
  }

  /** Applies every silence due by `now` (or the first `limit`), in effective-time order. */
  settle(now: number, limit = Number.POSITIVE_INFINITY): void {
    this.silences.settle(now, limit);
  }

  /**
   * Applies one machine event to a tag: the engine's fast path, else its step (the one the
   * machines took for the first tag of its kind, `StepMemo`) that settles the tag again
   * after itself (`applyInput`), since it may make one of its silences due at once (SPEC
   * D1a); the fast path only moves deadlines later. With
   * `collected`, the changes are added to it for the caller to report, instead of reported.
   */
  private step(no: number, event: TagEvent, now: number, collected?: FactChange[]): void {
    const { table, pending, reporter, scheduler } = this.parts;
    const windows = this.parts.windows;
    const facts = table.view(no);
    if (applyFastPath(facts, event)) {
      table.writeDataTimes(no, facts);
      if (event.type === 'tag.dataReceived') pending?.hit(no, event.at);
      else pending?.touch(no);
      return;
    }
    // The fast path said no above; with a memo, stepTag asks it once more, then the memo.
    const changes = applyInput(facts, { ...event }, now, windows, { memo: this.steps });
    table.write(no, facts);
    pending?.touch(no);
    if (collected === undefined) reporter.record(no, table.idOf(no), changes, now);
    else collected.push(...changes);
    scheduler.rekey(no, windows);
  }

  /** A live tag's number. @throws {@link TrackingInputError} `invalidId` or `unknownTag`. */
  requireTag(tagId: unknown): number {
    const no = typeof tagId === 'string' ? this.parts.table.numberOf(tagId) : undefined;
    if (no !== undefined) return no;
    assertId('tagId', tagId);
    throw new TrackingInputError('unknownTag', 'tagId', tagId, 'the id of a registered tag');
  }

  /**
   * The tag an activity or conversion is for: registered, or, with `autoRegister`,
   * registered now (after its time is checked, so that a bad input registers nothing).
   */
  private tagOfInput(tagId: unknown, at: unknown, now: number): number {
    const known = typeof tagId === 'string' ? this.parts.table.numberOf(tagId) : undefined;
    if (known !== undefined || !this.parts.autoRegister) return known ?? this.requireTag(tagId);
    assertId('tagId', tagId);
    this.checkTime(at, now);
    this.registerTag(tagId, undefined, undefined, now);
    return this.requireTag(tagId);
  }

  /**
   * The goal a conversion is for: attached, or, with `autoRegister` and its type, attached
   * now (after the conversion's time is checked, so that a bad input attaches nothing).
   */
  private goalOfConversion(
    no: number,
    goalId: unknown,
    goalType: unknown,
    at: unknown,
    now: number,
  ): string {
    const { table } = this.parts;
    const attached = table.goalsOf(no).some((goal) => goal.goalId === goalId);
    if (attached || !this.parts.autoRegister || goalType === undefined) {
      return this.requireGoal(no, goalId);
    }
    this.checkTime(at, now);
    this.attachGoal(table.idOf(no), { goalId, goalType }, now);
    return this.requireGoal(no, goalId);
  }

  private requireGoal(no: number, goalId: unknown): string {
    assertId('goalId', goalId);
    const { table } = this.parts;
    if (!table.goalsOf(no).some((goal) => goal.goalId === goalId)) {
      throw new TrackingInputError(
        'unknownGoal',
        'goalId',
        goalId,
        `the id of a goal attached to tag ${table.idOf(no)}`,
      );
    }
    return goalId;
  }

  private checkTime(at: unknown, now: number): number {
    assertEpochMs('at', at);
    assertNotInFuture('at', at, now, this.parts.allowedSkewMs);
    return at;
  }
}
