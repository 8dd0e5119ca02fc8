import {
  type ConversionGoalType,
  MAX_GOALS_PER_TAG,
  type StatusChange,
  type TrackingWindows,
} from 'uet-tag-status';
import { assertGoalRoom } from 'uet-tag-status/engine';
import type { InputRecord } from '../records/inputRecord.js';
import { TagProcessor } from '../timelines/TagProcessor.js';
import type { SubjectTimeline } from '../timelines/timeline.js';

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

  /**
   * @param windows - the windows.
   * @param upFront - goals attached to every tag when it appears.
   * @param fastPath - whether the engine's fast path is used.
   */
  constructor(
    private readonly windows: TrackingWindows,
    private readonly upFront: readonly DeclaredGoal[],
    private readonly fastPath: boolean,
  ) {
    assertGoalRoom('goals', 0, upFront.length);
    this.declared = new Map(upFront.map((goal) => [goal.goalId, goal.goalType]));
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
    const { tagId } = record;
    if (record.kind === 'registerTag') {
      if (this.live.has(tagId)) {
        return `tagId: ${JSON.stringify(tagId)} is not valid: expected an id not yet registered`;
      }
      const processor = this.start(tagId, clock, record.tagAvailable ?? true);
      for (const goal of record.goals ?? []) {
        if (!processor.hasGoal(goal.goalId)) {
          processor.goalAttached(goal.goalId, goal.goalType, clock);
        }
      }
      return undefined;
    }
    if (record.kind === 'removeTag') {
      const processor = this.live.get(tagId);
      if (processor === undefined) return unknownTag(tagId);
      processor.advanceTo(clock);
      this.live.delete(tagId);
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
        if (processor.hasGoal(record.goalId)) {
          return `goalId: ${JSON.stringify(record.goalId)} is not valid: expected an id not yet attached`;
        }
        if (processor.goalCount() >= MAX_GOALS_PER_TAG) return tooManyGoals(record.goalId);
        processor.goalAttached(record.goalId, record.goalType, clock);
        return undefined;
      case 'detachGoal':
        if (!processor.hasGoal(record.goalId)) return unknownGoal(record.goalId, tagId);
        processor.goalDetached(record.goalId, clock);
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

  /** Brings every tag to `end` and collects timelines and changes, tags in order of appearance. */
  finish(end: number): { timelines: SubjectTimeline[]; changes: StatusChange[] } {
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

  private start(tagId: string, clock: number, tagAvailable: boolean): TagProcessor {
    const processor = new TagProcessor(tagId, clock, this.windows, {
      fastPath: this.fastPath,
      tagAvailable,
    });
    this.live.set(tagId, processor);
    this.all.push({ processor, end: undefined });
    for (const goal of this.upFront) processor.goalAttached(goal.goalId, goal.goalType, clock);
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
