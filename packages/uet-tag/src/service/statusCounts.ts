import {
  ConversionGoalTrackingStatus,
  type TagMonitor,
  UetTagTrackingStatus,
} from 'uet-tag-status';

/** How many tags and goals are in each status (a status left out counts 0). */
export interface StatusCounts {
  readonly tags: Readonly<Record<string, number>>;
  readonly goals: Readonly<Record<string, number>>;
}

/**
 * Counts with every status named, in the value sets' order (0 for a status left out), as
 * `GET /summary` answers.
 *
 * @example
 * ```ts
 * everyStatus({ tags: { Active: 2 }, goals: {} }).tags; // { Unverified: 0, Active: 2, Inactive: 0, ... }
 * ```
 */
export function everyStatus(counts: StatusCounts): {
  tags: Record<string, number>;
  goals: Record<string, number>;
} {
  const tags: Record<string, number> = {};
  for (const status of Object.values(UetTagTrackingStatus)) tags[status] = counts.tags[status] ?? 0;
  const goals: Record<string, number> = {};
  for (const status of Object.values(ConversionGoalTrackingStatus))
    goals[status] = counts.goals[status] ?? 0;
  return { tags, goals };
}

/**
 * A monitor's tags and goals per status.
 *
 * @example
 * ```ts
 * monitorStatusCounts(monitor).tags.Active; // 1200
 * ```
 */
export function monitorStatusCounts(monitor: TagMonitor): StatusCounts {
  const tags: Record<string, number> = {};
  for (const status of Object.values(UetTagTrackingStatus))
    tags[status] = monitor.tagsInStatus(status).length;
  const goals: Record<string, number> = {};
  for (const status of Object.values(ConversionGoalTrackingStatus))
    goals[status] = monitor.goalsInStatus(status).length;
  return { tags, goals };
}
