import { type GoalDefinition, TrackingInputError } from 'uet-tag-status';
import type { z } from 'zod';
import type { conversionGoalSchema } from '../advertising/conversionGoalSchema.js';
import { goalDefinitionOf } from '../advertising/goalDefinitionOf.js';
import type { GoalScenario } from './scenario.js';
import type { VisitModel, WeightedPage } from './visitModel.js';
import type { VisitsFile } from './visitsSchema.js';

/** Where a problem of a scenario file is reported: its path, the value, what was expected. */
export type ScenarioIssueSink = (
  path: (string | number)[],
  value: unknown,
  expected: string,
) => void;

/**
 * A tag's `visits`, resolved: pages with their weights (1 when left out), a mean of 3
 * pages per visit and 60 seconds between hits when left out, no events and no ad clicks
 * when left out.
 *
 * @example
 * ```ts
 * resolveVisits({ landingPages: ['https://shop.example/'] }).pagesPerVisit; // 3
 * ```
 */
export function resolveVisits(visits: VisitsFile): VisitModel {
  const pages = (list: VisitsFile['landingPages'] | undefined): WeightedPage[] =>
    (list ?? []).map((page) =>
      typeof page === 'string'
        ? { url: page, weight: 1 }
        : { url: page.url, weight: page.weight ?? 1 },
    );
  return {
    landingPages: pages(visits.landingPages),
    pages: pages(visits.pages),
    pagesPerVisit: visits.pagesPerVisit ?? 3,
    msPerPage: (visits.secondsPerPage ?? 60) * 1_000,
    events: (visits.events ?? []).map((event) => ({
      action: event.action,
      ...(event.category === undefined ? {} : { category: event.category }),
      ...(event.label === undefined ? {} : { label: event.label }),
      ...(event.value === undefined
        ? {}
        : {
            value:
              typeof event.value === 'number'
                ? { min: event.value, max: event.value }
                : event.value,
          }),
      probability: event.probability,
    })),
    adClickShare: visits.adClickShare ?? 0,
  };
}

/**
 * A tag's `conversionGoals` (the API's JSON shape, SPEC A1), as the tag's goals, attached
 * at the scenario's start, and their definitions: a goal's `TagId`, when given, must be
 * the tag's id; a `Deleted` goal is left out (A2); ids must differ from the tag's other
 * goals.
 *
 * @example
 * ```ts
 * const { goals, definitions } = resolveApiGoals(tag.conversionGoals, tag.id, takenIds, path, start, report);
 * ```
 */
export function resolveApiGoals(
  apiGoals: readonly z.output<typeof conversionGoalSchema>[],
  tagId: string,
  taken: ReadonlySet<string>,
  tagPath: (string | number)[],
  start: number,
  report: ScenarioIssueSink,
): { goals: GoalScenario[]; definitions: GoalDefinition[] } {
  const goals: GoalScenario[] = [];
  const definitions: GoalDefinition[] = [];
  const ids = new Set(taken);
  apiGoals.forEach((apiGoal, index) => {
    const path = [...tagPath, 'conversionGoals', index];
    if (apiGoal.TagId !== undefined && apiGoal.TagId !== tagId) {
      report(
        [...path, 'TagId'],
        apiGoal.TagId,
        `the tag's id, ${JSON.stringify(tagId)}, or nothing`,
      );
      return;
    }
    if (ids.has(apiGoal.Id)) {
      report([...path, 'Id'], apiGoal.Id, 'a goal id not used by another goal of the tag');
      return;
    }
    ids.add(apiGoal.Id);
    let definition: GoalDefinition;
    try {
      definition = goalDefinitionOf(apiGoal, '');
    } catch (error) {
      if (!(error instanceof TrackingInputError)) throw error;
      report([...path, error.field.replace(/^\./, '')], error.value, error.expected);
      return;
    }
    if (definition.status === 'Deleted') return;
    definitions.push(definition);
    goals.push({
      id: definition.goalId,
      type: definition.goalType,
      attachedAt: start,
      conversions: [],
      conversionRate: 0,
      conversionsPerHour: 0,
      outages: [],
    });
  });
  return { goals, definitions };
}
