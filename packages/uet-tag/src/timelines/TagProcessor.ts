import {
  type ConversionGoalType,
  type StatusChange,
  statusChange,
  type TagEvent,
  type TrackingWindows,
} from 'uet-tag-status';
import type { FactChange } from 'uet-tag-status/engine';
import {
  applyActivityFastPath,
  applyInput,
  collapseInstantChanges,
  createTagFacts,
  INITIAL_TAG_STATUS,
  nextSilenceAt,
  type StepMemo,
  type StepTagOptions,
  silenceEventAt,
  stepTag,
  type TagFacts,
} from 'uet-tag-status/engine';
import { ChangeLimitError } from './ChangeLimitError.js';
import type { ChangeSink, SubjectSpan } from './changeSink.js';
import { StatusTally } from './StatusTally.js';
import { buildTimeline, type SubjectSummary, type SubjectTimeline } from './timeline.js';

/** Options of {@link TagProcessor}. */
export interface TagProcessorOptions {
  /**
   * Whether inputs that cannot change a status skip the machine step (the engine's fast
   * path). `false` steps the machines on every single input.
   * @default true
   */
  readonly fastPath?: boolean;
  /**
   * Whether the account has access to the tag at the start (SPEC G4).
   * @default true
   */
  readonly tagAvailable?: boolean;
  /**
   * The most status changes this processor keeps; one more throws a
   * `ChangeLimitError`, so that a run too large for memory stops with a clear error
   * instead of running out of memory.
   * @default unbounded
   */
  readonly changeLimit?: number;
  /**
   * Whether status changes are kept (for {@link TagProcessor.changes} and
   * {@link TagProcessor.timelines}). `false` keeps none: each change is only counted into
   * its subject's summary ({@link TagProcessor.summaries}), so memory stays O(tags and
   * goals) however many changes a run makes, and no change limit applies.
   * @default true
   */
  readonly retainChanges?: boolean;
  /**
   * Applies inputs and due silences by the steps the machines took for the first tag of
   * each kind (exactly a full machine step's result); share one among the processors of
   * a run, whose tags' steps are of few kinds. Used only with the fast path.
   * @default every step through the machines
   */
  readonly memo?: StepMemo;
  /**
   * Where status changes go as they are noticed, instead of being kept by the processor
   * as records (then {@link TagProcessor.changes} stays empty and
   * {@link TagProcessor.spans} gives the subjects the changes belong to). The change
   * limit still applies. Ignored with `retainChanges: false`.
   * @default the processor keeps each change as a status change record
   */
  readonly changeSink?: ChangeSink;
}

/** A tag's or goal's history as a processor kept it (see {@link TagProcessor.histories}). */
export interface SubjectHistory extends SubjectSpan {
  /** Its changes, in the order noticed (which is effective-time order). */
  readonly changes: readonly StatusChange[];
}

/** One attachment of a goal: from when, in which status, its changes, until when. */
interface GoalAttachment {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
  readonly at: number;
  readonly status: StatusChange['to'];
  readonly changes: StatusChange[];
  /** The summary, when changes are not kept. */
  readonly tally: StatusTally | undefined;
  detachedAt: number | undefined;
}

/**
 * One tag driven through the engine (`src/engine`), jumping from event to event like a
 * `SimulatedClock`: before each input, every silence due by the processor's time is
 * applied at its own time (SPEC R4, G3; the tag's silence first on a tie), then the input
 * is stepped. Status changes are kept with their effective and noticed times (D5).
 *
 * The next deadline is cached: inputs that change no status only move the latest data
 * and conversion times forward, so they can only postpone it.
 *
 * @example
 * ```ts
 * const tag = new TagProcessor('shop', start, DEFAULT_WINDOWS);
 * tag.dataReceived(start + 1_000, start + 1_000);
 * tag.advanceTo(end);
 * tag.timelines(end); // the tag's intervals, then each goal's
 * ```
 */
export class TagProcessor {
  /** The tag's compact facts, as the engine keeps them. */
  readonly facts: TagFacts;
  /** Every status change so far, in the order noticed. */
  readonly changes: StatusChange[] = [];
  private readonly tagChanges: StatusChange[] = [];
  /** Every attachment of a goal, in attachment order; a goal detached and attached again has two. */
  private readonly attachments: GoalAttachment[] = [];
  private readonly stepOptions: StepTagOptions;
  /** Whether activity that keeps the tag's status skips `applyInput` (its fast path, taken directly). */
  private readonly fastPath: boolean;
  private readonly changeLimit: number;
  /** The tag's summary, when changes are not kept. */
  private readonly tagTally: StatusTally | undefined;
  private readonly changeSink: ChangeSink | undefined;
  /** How many changes went to the change sink. */
  private sunkChanges = 0;
  private dueAt = Number.POSITIVE_INFINITY;
  private clock: number;

  constructor(
    readonly tagId: string,
    readonly createdAt: number,
    private readonly windows: TrackingWindows,
    options: TagProcessorOptions = {},
  ) {
    this.facts = createTagFacts(options.tagAvailable ?? true);
    this.clock = createdAt;
    this.fastPath = options.fastPath !== false;
    this.stepOptions = { fastPath: this.fastPath, memo: options.memo };
    this.changeLimit = options.changeLimit ?? Number.POSITIVE_INFINITY;
    this.tagTally =
      options.retainChanges === false
        ? new StatusTally({ tagId }, INITIAL_TAG_STATUS, createdAt)
        : undefined;
    this.changeSink = options.changeSink;
  }

  /** The processor's time: the latest time it was brought to. */
  now(): number {
    return this.clock;
  }

  /** Brings the processor's time to `now`, applying each silence due by then at its own time. */
  advanceTo(now: number): void {
    while (this.dueAt <= now) {
      const at = nextSilenceAt(this.facts, this.windows);
      if (at > now) {
        this.dueAt = at;
        break;
      }
      this.clock = Math.max(this.clock, at);
      if (this.step(silenceEventAt(this.facts, this.windows, at)) === 0) {
        throw new Error(`internal: the silence due at ${at} changed no status`);
      }
    }
    this.clock = Math.max(this.clock, now);
  }

  /** Activity received at `at`, processed at `now` (`now` ≥ `at` unless within the skew). */
  dataReceived(at: number, now: number): void {
    this.advanceTo(now);
    // The engine's fast path for activity, without the event object `applyInput` takes.
    if (this.fastPath && applyActivityFastPath(this.facts, at)) return;
    this.input({ type: 'tag.dataReceived', at, now: this.clock });
  }

  /** A conversion for an attached goal received at `at`, processed at `now`. */
  conversionRecorded(goalId: string, at: number, now: number): void {
    this.advanceTo(now);
    this.input({ type: 'goal.conversionRecorded', goalId, at, now: this.clock });
  }

  /**
   * A UET hit received at `at`, processed at `now`: activity, and a conversion of each of
   * `converted` (attached goals whose definitions it matched), as one input, so that no
   * status that held for no time is reported (SPEC U2, M7, decision 17), as a monitor
   * reports a hit.
   */
  hitReceived(at: number, converted: readonly string[], now: number): void {
    this.advanceTo(now);
    if (converted.length === 0) {
      if (this.fastPath && applyActivityFastPath(this.facts, at)) return;
      this.input({ type: 'tag.dataReceived', at, now: this.clock });
      return;
    }
    const changes = [
      ...applyInput(
        this.facts,
        { type: 'tag.dataReceived', at, now: this.clock },
        this.clock,
        this.windows,
        this.stepOptions,
      ),
    ];
    for (const goalId of converted) {
      const event = { type: 'goal.conversionRecorded' as const, goalId, at, now: this.clock };
      changes.push(...applyInput(this.facts, event, this.clock, this.windows, this.stepOptions));
    }
    this.record(collapseInstantChanges(changes));
  }

  /** Attaches a goal at `now`; its first status comes from the goal machine. */
  goalAttached(goalId: string, goalType: ConversionGoalType, now: number): void {
    this.advanceTo(now);
    this.input({ type: 'goal.attached', goalId, goalType, at: this.clock });
    const goal = this.facts.goals.find((candidate) => candidate.goalId === goalId);
    if (goal === undefined) throw new Error(`internal: goal ${goalId} was not attached`);
    this.attachments.push({
      goalId,
      goalType,
      at: this.clock,
      status: goal.status,
      changes: [],
      tally:
        this.tagTally === undefined
          ? undefined
          : new StatusTally({ tagId: this.tagId, goalId, goalType }, goal.status, this.clock),
      detachedAt: undefined,
    });
  }

  /** Detaches a goal at `now`: its timeline ends there. */
  goalDetached(goalId: string, now: number): void {
    this.advanceTo(now);
    this.input({ type: 'goal.detached', goalId });
    const attachment = this.attachmentOf(goalId);
    if (attachment === undefined) throw new Error(`internal: goal ${goalId} is not attached`);
    attachment.detachedAt = this.clock;
  }

  /** The account lost (`available: false`) or regained access to the tag at `now` (SPEC G4). */
  accessChanged(available: boolean, now: number): void {
    this.advanceTo(now);
    this.input({ type: available ? 'tag.accessRestored' : 'tag.accessLost', at: this.clock });
  }

  /** Whether a goal of this id is attached. */
  hasGoal(goalId: string): boolean {
    return this.attachmentOf(goalId) !== undefined;
  }

  /** How many goals are attached now. */
  goalCount(): number {
    return this.facts.goals.length;
  }

  /**
   * The tag's timeline from its creation, then each goal's from its attachment (in
   * attachment order), up to its detachment or `end` (bring the processor there first
   * with {@link TagProcessor.advanceTo}).
   */
  timelines(end: number): SubjectTimeline[] {
    return this.histories(end).map(({ subject, status, from, changes, to }) =>
      buildTimeline(subject, status, from, changes, to),
    );
  }

  /**
   * What {@link TagProcessor.timelines} builds each timeline from: the tag's, then each
   * goal's (in attachment order) subject, first status and its time, changes in the order
   * noticed, and end (its detachment or `end`).
   */
  histories(end: number): SubjectHistory[] {
    if (this.changeSink !== undefined) {
      throw new Error('histories: this processor gives its changes to a change sink');
    }
    return this.spans(end).map((span, index) => ({
      ...span,
      changes:
        index === 0 ? this.tagChanges : (this.attachments[index - 1] as GoalAttachment).changes,
    }));
  }

  /**
   * The tag's span of history, then each goal's (in attachment order): subject, first
   * status and its time, and end (its detachment or `end`); the subjects a change sink's
   * changes are numbered by.
   */
  spans(end: number): SubjectSpan[] {
    if (this.tagTally !== undefined) {
      throw new Error('timelines: this processor keeps no changes (retainChanges: false)');
    }
    const spans: SubjectSpan[] = [
      { subject: { tagId: this.tagId }, status: INITIAL_TAG_STATUS, from: this.createdAt, to: end },
    ];
    for (const goal of this.attachments) {
      spans.push({
        subject: { tagId: this.tagId, goalId: goal.goalId, goalType: goal.goalType },
        status: goal.status,
        from: goal.at,
        to: goal.detachedAt ?? end,
      });
    }
    return spans;
  }

  /**
   * The change count and time in each status of the tag, then of each goal (in
   * attachment order), up to its detachment or `end` (at or after {@link TagProcessor.now}):
   * what {@link TagProcessor.timelines} summarises, whether changes are kept or not.
   */
  summaries(end: number): SubjectSummary[] {
    if (this.tagTally === undefined) {
      return this.timelines(end).map(({ intervals: _, ...summary }) => summary);
    }
    if (end < this.clock) {
      throw new RangeError(`summaries: end ${end} is before the processor's time ${this.clock}`);
    }
    const summaries = [this.tagTally.summary(end)];
    for (const goal of this.attachments) {
      summaries.push((goal.tally as StatusTally).summary(goal.detachedAt ?? end));
    }
    return summaries;
  }

  /** The current attachment of a goal, if it is attached. */
  private attachmentOf(goalId: string): GoalAttachment | undefined {
    return this.attachments[this.attachmentIndexOf(goalId)];
  }

  /** The index of the current attachment of a goal; -1 if it is not attached. */
  private attachmentIndexOf(goalId: string): number {
    for (let index = this.attachments.length - 1; index >= 0; index--) {
      const attachment = this.attachments[index] as GoalAttachment;
      if (attachment.goalId === goalId) return attachment.detachedAt === undefined ? index : -1;
    }
    return -1;
  }

  /** Applies a due silence; returns how many changes it made. */
  private step(event: TagEvent): number {
    return this.record(stepTag(this.facts, event, this.windows, this.stepOptions));
  }

  /**
   * Applies an input at the processor's time, with the silences it makes due at once and
   * no status that held for no time (the engine's `applyInput`, decision 17).
   */
  private input(event: TagEvent): number {
    return this.record(applyInput(this.facts, event, this.clock, this.windows, this.stepOptions));
  }

  /** Keeps the changes a step found; returns how many. */
  private record(changes: readonly FactChange[]): number {
    if (changes.length === 0) return 0;
    if (this.tagTally !== undefined) {
      this.tally(changes, this.tagTally);
      return changes.length;
    }
    if (this.changes.length + this.sunkChanges + changes.length > this.changeLimit) {
      throw new ChangeLimitError(this.changeLimit);
    }
    if (this.changeSink !== undefined) {
      this.sink(changes, this.changeSink);
      return changes.length;
    }
    for (const change of changes) {
      const recorded = this.toStatusChange(change);
      this.changes.push(recorded);
      if (recorded.kind === 'tag') this.tagChanges.push(recorded);
      else this.attachmentOf(recorded.goalId)?.changes.push(recorded);
    }
    this.dueAt = nextSilenceAt(this.facts, this.windows);
    return changes.length;
  }

  /** Gives changes to the change sink, numbered by their subjects' spans. */
  private sink(changes: readonly FactChange[], sink: ChangeSink): void {
    for (const change of changes) {
      const subject = change.kind === 'tag' ? 0 : 1 + this.attachmentIndexOf(change.goalId);
      if (subject === 0 && change.kind === 'goal') {
        throw new Error(`internal: a change of goal ${change.goalId}, which is not attached`);
      }
      sink.addChange(subject, change.from, change.to, change.effectiveAt, this.clock);
    }
    this.sunkChanges += changes.length;
    this.dueAt = nextSilenceAt(this.facts, this.windows);
  }

  /** Counts changes into their subjects' summaries, keeping none. */
  private tally(changes: readonly FactChange[], tagTally: StatusTally): void {
    for (const change of changes) {
      const tally = change.kind === 'tag' ? tagTally : this.attachmentOf(change.goalId)?.tally;
      tally?.add(change.from, change.to, change.effectiveAt, this.clock);
    }
    this.dueAt = nextSilenceAt(this.facts, this.windows);
  }

  private toStatusChange(change: FactChange): StatusChange {
    return statusChange({ ...change, tagId: this.tagId, noticedAt: this.clock });
  }
}
