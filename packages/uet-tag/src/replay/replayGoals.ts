import { type GoalDefinition, TrackingInputError } from 'uet-tag-status';
import { AdvertisingObjectError } from '../advertising/AdvertisingObjectError.js';
import type { ApiConversionGoal, ApiUetTag } from '../advertising/apiObjects.js';
import { goalDefinitionOf } from '../advertising/goalDefinitionOf.js';
import { loadAdvertisingObjectsFile } from '../advertising/loadAdvertisingObjects.js';

/**
 * The tags and goals of Microsoft Advertising files (SPEC A1), as a replay, a scenario or
 * a reconciliation uses them: every tag named (by a `UetTag`, or by a goal's `TagId`), and
 * each tag's goal definitions in document order, with the objects as read.
 */
export interface AccountObjects {
  /** Every tag id, in the order first named. */
  readonly tagIds: readonly string[];
  /** Each tag's goals, as definitions hits are matched against. */
  readonly definitions: ReadonlyMap<string, readonly GoalDefinition[]>;
  /** The `UetTag` objects read. */
  readonly tags: readonly ApiUetTag[];
  /** The `ConversionGoal` objects read, tag-based ones and others. */
  readonly goals: readonly ApiConversionGoal[];
}

/**
 * Loads tags and goals from files of API objects (whole `GetUetTagsByIds` or
 * `GetConversionGoalsByTagIds` responses, arrays or single objects). Goals without a tag
 * (`AppInstall`, `OfflineConversion`, `InStoreTransaction`) are kept in `goals` but get no
 * definition: no hit can convert them.
 *
 * @example
 * ```ts
 * const { tagIds, definitions } = await loadAccountObjects(['tags.json', 'goals.json']);
 * ```
 * @throws {@link AdvertisingObjectError} naming the file, the JSON path (such as
 * `ConversionGoals[3].UrlExpression`), the value and what was expected; a goal id given
 * twice for one tag is refused too.
 */
export async function loadAccountObjects(paths: readonly string[]): Promise<AccountObjects> {
  const tagIds: string[] = [];
  const definitions = new Map<string, GoalDefinition[]>();
  const tags: ApiUetTag[] = [];
  const goals: ApiConversionGoal[] = [];
  const nameTag = (tagId: string) => {
    if (!definitions.has(tagId)) {
      definitions.set(tagId, []);
      tagIds.push(tagId);
    }
    return definitions.get(tagId) as GoalDefinition[];
  };
  for (const path of paths) {
    const read = await loadAdvertisingObjectsFile(path);
    for (const tag of read.tags) {
      tags.push(tag);
      nameTag(tag.Id);
    }
    for (const goal of read.goals) {
      goals.push(goal);
      if (goal.TagId === undefined) continue;
      const tagGoals = nameTag(goal.TagId);
      let definition: GoalDefinition;
      try {
        definition = goalDefinitionOf(goal, goal.path);
      } catch (error) {
        if (!(error instanceof TrackingInputError)) throw error;
        throw new AdvertisingObjectError(path, [
          { path: error.field, value: error.value, expected: error.expected },
        ]);
      }
      if (tagGoals.some((known) => known.goalId === definition.goalId)) {
        throw new AdvertisingObjectError(path, [
          {
            path: `${goal.path}.Id`,
            value: goal.Id,
            expected: `an id no other goal of tag ${goal.TagId} has in the files given`,
          },
        ]);
      }
      tagGoals.push(definition);
    }
  }
  return { tagIds, definitions, tags, goals };
}
