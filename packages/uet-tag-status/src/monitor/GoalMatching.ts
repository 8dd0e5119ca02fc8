import {
  type ConversionMatcher,
  type ConversionMatcherOptions,
  createConversionMatcher,
} from '../uet/createConversionMatcher.js';
import { checkGoalDefinition, type GoalDefinition } from '../uet/goalDefinition.js';
import type { UetHit } from '../uet/UetHit.js';
import type { StoredGoal, StoredTag } from './store/monitorStore.js';

/** The fields that make a goal more than its id and type: what matching needs (SPEC A1, M2–M6). */
const DEFINITION_FIELDS = [
  'status',
  'conversionWindowMinutes',
  'url',
  'event',
  'minimumDurationSeconds',
  'minimumPagesViewed',
] as const;

const NONE: readonly string[] = Object.freeze([]);

/**
 * Whether a goal carries a definition to match hits against, beyond its id and type.
 *
 * @example
 * ```ts
 * hasDefinition({ goalId: 'g', goalType: 'Url' }); // false: it converts only when told
 * ```
 */
export function hasDefinition(goal: object): boolean {
  const fields = goal as Record<string, unknown>;
  return DEFINITION_FIELDS.some((field) => fields[field] !== undefined);
}

/**
 * The goal definitions of a monitor's tags and the matcher that turns hits into their
 * conversions (SPEC M1–M7). Only goals attached with a definition are matched; goals
 * attached with their id and type alone convert only when a conversion is recorded for
 * them. A tag's matcher index is compiled again at its first hit after its goals change,
 * so that attaching a thousand goals one by one compiles once.
 *
 * Open visits and remembered ad clicks live in memory: a monitor that restarts begins new
 * visits (definitions are stored with the goals, `StoredGoal.definition`).
 *
 * @example
 * ```ts
 * const matching = new GoalMatching({ attribution: 'none' });
 * matching.attach('5', checked);
 * matching.match(parseBeacon('/action/0?ti=5&p=https%3A%2F%2Fcontoso.com%2Fthanks'), at); // ['thanks']
 * ```
 */
export class GoalMatching {
  private readonly matcher: ConversionMatcher;
  /** Each tag's goals that have a definition, in attachment order. */
  private readonly definitions = new Map<string, GoalDefinition[]>();
  /** Tags whose goals changed since their index was compiled. */
  private readonly stale = new Set<string>();

  constructor(options: ConversionMatcherOptions = {}) {
    this.matcher = createConversionMatcher(options);
  }

  /**
   * Checks a goal given to `registerTag` or `attachGoal`: with a definition, the whole of
   * it (`checkGoalDefinition`, which refuses regular expressions .NET reads differently).
   * @returns the checked definition, or `undefined` for a goal without one.
   * @throws `TrackingInputError` naming the field under `field`.
   */
  check(field: string, goal: unknown): GoalDefinition | undefined {
    if (typeof goal !== 'object' || goal === null || !hasDefinition(goal)) return undefined;
    return checkGoalDefinition(field, goal);
  }

  /** Adds a checked definition to a tag's goals (after the goal was attached). */
  attach(tagId: string, definition: GoalDefinition): void {
    const goals = this.definitions.get(tagId);
    if (goals === undefined) this.definitions.set(tagId, [definition]);
    else goals.push(definition);
    this.stale.add(tagId);
  }

  /** Forgets a detached goal's definition, if it had one. */
  detach(tagId: string, goalId: string): void {
    const goals = this.definitions.get(tagId);
    const index = goals?.findIndex((goal) => goal.goalId === goalId) ?? -1;
    if (goals === undefined || index < 0) return;
    goals.splice(index, 1);
    this.stale.add(tagId);
  }

  /** Forgets a removed tag: its definitions, open visits and clicks. */
  removeTag(tagId: string): void {
    if (!this.definitions.delete(tagId)) return;
    this.stale.delete(tagId);
    this.matcher.removeTag(tagId);
  }

  /** The goals of `hit.tagId` that the hit converts at `at`, in attachment order. */
  match(hit: UetHit, at: number): readonly string[] {
    const goals = this.definitions.get(hit.tagId);
    if (goals === undefined) return NONE;
    if (this.stale.delete(hit.tagId)) this.matcher.setGoals(hit.tagId, goals);
    return this.matcher.match(hit, at);
  }

  /** A stored tag with each goal's definition added (for the store). */
  withDefinitions(tag: StoredTag): StoredTag {
    const goals = this.definitions.get(tag.tagId);
    if (goals === undefined || goals.length === 0) return tag;
    const byId = new Map(goals.map((goal) => [goal.goalId, goal]));
    return {
      ...tag,
      goals: tag.goals.map((goal) => {
        const definition = byId.get(goal.goalId);
        return definition === undefined ? goal : { ...goal, definition };
      }),
    };
  }

  /** Takes the definitions out of a stored tag (read from a store); returns the tag without them. */
  load(tag: StoredTag): StoredTag {
    if (!tag.goals.some((goal) => goal.definition !== undefined)) return tag;
    const goals: StoredGoal[] = [];
    for (const { definition, ...goal } of tag.goals) {
      if (definition !== undefined) this.attach(tag.tagId, definition);
      goals.push(goal);
    }
    return { ...tag, goals };
  }
}
