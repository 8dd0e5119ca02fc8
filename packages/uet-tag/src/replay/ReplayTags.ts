import {
  type ConversionGoalType,
  type ConversionMatcherOptions,
  type GoalDefinition,
  MAX_GOALS_PER_TAG,
  type StatusChange,
  type TrackingWindows,
  type UetHit,
} from 'uet-tag-status';
import { assertGoalRoom, GoalMatching, StepMemo } from 'uet-tag-status/engine';
import type { InputRecord } from '../records/inputRecord.js';
import { TagProcessor } from '../timelines/TagProcessor.js';
import type { SubjectTimeline } from '../timelines/timeline.js';
import { HitTally, type TagHitCount } from './HitTally.js';

/** A goal declared up front: attached to every tag when the tag first appears. */
export interface DeclaredGoal {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
}

/**
 * The tags of a replay, each driven by its own {@link TagProcessor}, as the records of the
 * one input vocabulary say: a tag appears at its first record (or its `registerTag`), with
 * the goals declared up front; `attachGoal`, `detachGoal` and `removeTag` change what it
 * has; a conversion of a goal not attached yet attaches it, when its type is known (from the
 * record, a declaration, or an earlier record). A removed tag's timelines end at its
 * removal; a record for it afterwards starts it afresh.
 *
 * @example
 * ```ts
 * const tags = new ReplayTags(windows, [{ goalId: 'buy', goalType: 'Url' }], true);
 * tags.check(record); // a reason when the record cannot apply (malformed)
 * tags.apply(record, clock);
 * tags.finish(end); // { timelines, changes }
 * ```
 */
export class ReplayTags {
  private readonly live = new Map<string, TagProcessor>();
  /** Every processor in the order its tag appeared, removed ones included. */
  private readonly all: { processor: TagProcessor; end: number | undefined }[] = [];
  private readonly goalTypes = new Map<string, Map<string, ConversionGoalType>>();
  private readonly declared: Map<string, ConversionGoalType>;
  private readonly matching: GoalMatching;
  private declaredStarted = false;
  private readonly tally: HitTally;
  /** Steps the machines once per kind of tag and event, shared by every tag of the replay. */
  private readonly memo = new StepMemo();
  /** The live processor {@link ReplayTags.activity} used last. */
  private lastProcessor: TagProcessor | undefined;

  /**
   * @param windows - the windows.
   * @param upFront - goals attached to every tag when it appears.
   * @param fastPath - whether the engine's fast path is used.
   * @param definitions - goals with their definitions by tag id (from `--goals`), attached
   *   to their tag when it appears, hits matched against them (SPEC M1–M7).
   * @param matching - how hits are matched (attribution, visit timeout).
   * @param declaredTags - tags that exist from the replay's start, with or without records.
   * @param isRecentHit - whether a hit at a time counts as recent ({@link HitTally}).
   * @param isRecentConversion - whether a conversion at a time counts as recent.
   */
  constructor(
    private readonly windows: TrackingWindows,
    private readonly upFront: readonly DeclaredGoal[],
    private readonly fastPath: boolean,
    private readonly definitions: ReadonlyMap<string, readonly GoalDefinition[]> = new Map(),
    matching: ConversionMatcherOptions = {},
    private readonly declaredTags: readonly string[] = [],
    isRecentHit?: (at: number) => boolean,
    isRecentConversion?: (at: number) => boolean,
  ) {
    this.tally = new HitTally(isRecentHit, isRecentConversion);
    assertGoalRoom('goals', 0, upFront.length);
    this.declared = new Map(upFront.map((goal) => [goal.goalId, goal.goalType]));
    this.matching = new GoalMatching(matching);
    for (const [tagId, goals] of definitions) {
      for (const goal of goals) this.learn(tagId, goal.goalId, goal.goalType);
    }
  }

  /**
   * Checks a record against what earlier records declared, before it is put in time
   * order; returns why it cannot apply, or `undefined`. A conversion learns its goal's type
   * here, so later records of the goal need not repeat it.
   */
  check(record: InputRecord): string | undefined {
    if (record.kind === 'conversion') {
      const known = this.typeOf(record.tagId, record.goalId);
      if (known === undefined && record.goalType === undefined) {
        return `goalId: ${JSON.stringify(record.goalId)} is not valid: expected a goal whose type is known (give goalType in its first record, or --goal ${record.goalId}=<type>)`;
      }
      if (known !== undefined && record.goalType !== undefined && known !== record.goalType) {
        return `goalType: ${JSON.stringify(record.goalType)} is not valid: expected ${known}, the type goal ${record.goalId} of tag ${record.tagId} already has`;
      }
      if (known === undefined && record.goalType !== undefined) {
        this.learn(record.tagId, record.goalId, record.goalType);
      }
    }
    if (record.kind === 'attachGoal') this.learn(record.tagId, record.goalId, record.goalType);
    if (record.kind === 'registerTag') {
      for (const goal of record.goals ?? []) this.learn(record.tagId, goal.goalId, goal.goalType);
    }
    return undefined;
  }

  /**
   * Applies a record at the replay's time `clock`; returns why it could not apply (a
   * duplicate registration, an unknown goal), or `undefined`.
   */
  apply(record: InputRecord, clock: number): string | undefined {
    this.startDeclared(clock);
    if (record.kind === 'hit') return this.applyHit(record.hit as UetHit, record.at, clock);
    const { tagId } = record;
    if (record.kind === 'registerTag') {
      if (this.live.has(tagId)) {
        return `tagId: ${JSON.stringify(tagId)} is not valid: expected an id not yet registered`;
      }
      const processor = this.start(tagId, clock, record.tagAvailable ?? true);
      for (const goal of record.goals ?? []) this.attach(processor, goal, clock);
      return undefined;
    }
    if (record.kind === 'removeTag') {
      const processor = this.live.get(tagId);
      if (processor === undefined) return unknownTag(tagId);
      processor.advanceTo(clock);
      this.live.delete(tagId);
      if (this.lastProcessor === processor) this.lastProcessor = undefined;
      this.matching.removeTag(tagId);
      const entry = this.all.find((candidate) => candidate.processor === processor);
      if (entry !== undefined) entry.end = processor.now();
      return undefined;
    }
    const processor = this.live.get(tagId) ?? this.start(tagId, clock, true);
    switch (record.kind) {
      case 'activity':
        processor.dataReceived(record.at, clock);
        return undefined;
      case 'accessLost':
      case 'accessRestored':
        processor.accessChanged(record.kind === 'accessRestored', clock);
        return undefined;
      case 'attachGoal':
        if (processor.hasGoal(record.goalId) && record.status !== 'Deleted') {
          return `goalId: ${JSON.stringify(record.goalId)} is not valid: expected an id not yet attached`;
        }
        if (processor.goalCount() >= MAX_GOALS_PER_TAG && record.status !== 'Deleted') {
          return tooManyGoals(record.goalId);
        }
        this.attach(processor, record, clock);
        return undefined;
      case 'detachGoal':
        if (!processor.hasGoal(record.goalId)) return unknownGoal(record.goalId, tagId);
        processor.goalDetached(record.goalId, clock);
        this.matching.detach(tagId, record.goalId);
        return undefined;
      case 'conversion': {
        if (!processor.hasGoal(record.goalId)) {
          const goalType = this.typeOf(tagId, record.goalId);
          if (goalType === undefined) return unknownGoal(record.goalId, tagId);
          if (processor.goalCount() >= MAX_GOALS_PER_TAG) return tooManyGoals(record.goalId);
          processor.goalAttached(record.goalId, goalType, clock);
        }
        processor.conversionRecorded(record.goalId, record.at, clock);
        return undefined;
      }
    }
  }

  /** Applies the activity record `{ kind: 'activity', tagId, at }` at the replay's time `clock` (as {@link ReplayTags.apply}). */
  activity(tagId: string, at: number, clock: number): void {
    if (!this.declaredStarted) this.startDeclared(clock);
    // An access log's records are all of one tag: its processor is the last one used.
    let processor = this.lastProcessor;
    if (processor === undefined || processor.tagId !== tagId) {
      processor = this.live.get(tagId) ?? this.start(tagId, clock, true);
      this.lastProcessor = processor;
    }
    processor.dataReceived(at, clock);
  }

  /** Brings every tag to `end` and collects timelines and changes, tags in order of appearance. */
  finish(end: number, start = end): { timelines: SubjectTimeline[]; changes: StatusChange[] } {
    this.startDeclared(start);
    const timelines: SubjectTimeline[] = [];
    const changes: StatusChange[] = [];
    for (const entry of this.all) {
      const until = entry.end ?? end;
      entry.processor.advanceTo(until);
      for (const timeline of entry.processor.timelines(until)) timelines.push(timeline);
      for (const change of entry.processor.changes) changes.push(change);
    }
    return { timelines, changes };
  }

  /**
   * A hit (SPEC U2, M1–M7): activity of its tag, then a conversion of each goal whose
   * definition it matches, all at the hit's time.
   */
  private applyHit(hit: UetHit, at: number, clock: number): undefined {
    const processor = this.live.get(hit.tagId) ?? this.start(hit.tagId, clock, true);
    const converted = this.matching.match(hit, at);
    processor.hitReceived(at, converted, clock);
    this.tally.hit(hit.tagId, at, converted);
    return undefined;
  }

  /** What the hits replayed so far counted, per tag; goals in the order `--goals` lists them. */
  hitCounts(): TagHitCount[] {
    return this.tally.counts().map((tag) => {
      const order = new Map(
        (this.definitions.get(tag.tagId) ?? []).map((goal, index) => [goal.goalId, index]),
      );
      const rank = (goalId: string) => order.get(goalId) ?? Number.POSITIVE_INFINITY;
      return { ...tag, goals: [...tag.goals].sort((a, b) => rank(a.goalId) - rank(b.goalId)) };
    });
  }

  /**
   * Attaches a goal, with its definition when it has one; a `Deleted` goal is not
   * attached, and detaches the goal of its id (SPEC A2).
   */
  private attach(
    processor: TagProcessor,
    goal: { goalId: string; goalType: ConversionGoalType },
    clock: number,
  ): void {
    const tagId = processor.tagId;
    const definition = this.matching.check('goal', goal);
    if (definition?.status === 'Deleted') {
      if (processor.hasGoal(goal.goalId)) processor.goalDetached(goal.goalId, clock);
      this.matching.detach(tagId, goal.goalId);
      return;
    }
    if (processor.hasGoal(goal.goalId)) return;
    processor.goalAttached(goal.goalId, goal.goalType, clock);
    if (definition !== undefined) this.matching.attach(tagId, definition);
  }

  /** Starts the declared tags, once, at the replay's first time. */
  private startDeclared(clock: number): void {
    if (this.declaredStarted) return;
    this.declaredStarted = true;
    for (const tagId of this.declaredTags) {
      if (!this.live.has(tagId)) this.start(tagId, clock, true);
    }
  }

  private start(tagId: string, clock: number, tagAvailable: boolean): TagProcessor {
    const processor = new TagProcessor(tagId, clock, this.windows, {
      fastPath: this.fastPath,
      tagAvailable,
      memo: this.memo,
    });
    this.live.set(tagId, processor);
    this.all.push({ processor, end: undefined });
    for (const goal of this.upFront) processor.goalAttached(goal.goalId, goal.goalType, clock);
    for (const goal of this.definitions.get(tagId) ?? []) this.attach(processor, goal, clock);
    return processor;
  }

  private typeOf(tagId: string, goalId: string): ConversionGoalType | undefined {
    return this.goalTypes.get(tagId)?.get(goalId) ?? this.declared.get(goalId);
  }

  private learn(tagId: string, goalId: string, goalType: ConversionGoalType): void {
    let goals = this.goalTypes.get(tagId);
    if (goals === undefined) {
      goals = new Map();
      this.goalTypes.set(tagId, goals);
    }
    if (!goals.has(goalId)) goals.set(goalId, goalType);
  }
}

function unknownTag(tagId: string): string {
  return `tagId: ${JSON.stringify(tagId)} is not valid: expected the id of a tag that appeared and was not removed`;
}

function unknownGoal(goalId: string, tagId: string): string {
  return `goalId: ${JSON.stringify(goalId)} is not valid: expected the id of a goal attached to tag ${tagId}`;
}

/** Why a goal cannot be attached to a tag that has the most goals a tag can have. */
function tooManyGoals(goalId: string): string {
  return `goalId: ${JSON.stringify(goalId)} is not valid: expected at most ${MAX_GOALS_PER_TAG} goals on one tag (Microsoft Advertising's limit per account); this would be one more`;
}
