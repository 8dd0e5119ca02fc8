import { EventGoalIndex, type IndexedEventGoal } from './EventGoalIndex.js';
import { ExpressionIndex, type IndexedExpression } from './ExpressionIndex.js';
import { DEFAULT_CONVERSION_WINDOW_MINUTES, type GoalDefinition } from './goalDefinition.js';

const MINUTE_MS = 60_000;

/**
 * The goals of one tag that can convert, compiled for matching. Goals are numbered in
 * attachment order among those kept; the indexes report numbers, `goalIds` turns them
 * back into ids.
 *
 * @example
 * ```ts
 * const compiled: TagGoals = compileTagGoals(goals);
 * const out: number[] = [];
 * compiled.url?.collect(hit.pageUrl ?? '', out);
 * out.map((goal) => compiled.goalIds[goal]);
 * ```
 */
export interface TagGoals {
  /** The ids of the goals that can convert, in attachment order. */
  readonly goalIds: readonly string[];
  /** Each goal's conversion window in ms (SPEC M6). */
  readonly windowsMs: readonly number[];
  /** The longest of those windows: how long this tag's ad clicks are remembered. */
  readonly keepClicksMs: number;
  /** The `Url` goals' expressions on the page URL (SPEC M3). */
  readonly url: ExpressionIndex | undefined;
  /** The `Event` goals (SPEC M4). */
  readonly event: EventGoalIndex | undefined;
  /** The `Duration` goals' thresholds in ms, ascending, and the goals in the same order (SPEC M5). */
  readonly durationThresholdsMs: Float64Array;
  readonly durationGoals: Int32Array;
  /** The `PagesViewedPerVisit` goals by the page count that converts them (SPEC M5). */
  readonly pageGoals: ReadonlyMap<number, readonly number[]>;
  /** Whether any goal needs visits: a `Duration` or `PagesViewedPerVisit` goal. */
  readonly hasVisitGoals: boolean;
}

/**
 * Compiles a tag's checked goals. Only goals that can convert are kept: `Deleted` goals
 * are detached and `Paused` ones record nothing (SPEC A2), and the tagless types
 * (`AppInstall`, `OfflineConversion`, `InStoreTransaction`) never convert from a hit
 * (SPEC G5). A `PagesViewedPerVisit` goal asking for 0 pages converts on a visit's first
 * page, like one asking for 1: **(our decision)** a conversion happens on a page view, and
 * no page view brings the count to 0.
 *
 * @example
 * ```ts
 * const compiled = compileTagGoals([{ goalId: 'g', goalType: 'Duration', minimumDurationSeconds: 60 }]);
 * compiled.durationThresholdsMs; // Float64Array [60000]
 * ```
 */
export function compileTagGoals(goals: readonly GoalDefinition[]): TagGoals {
  const goalIds: string[] = [];
  const windowsMs: number[] = [];
  const urls: IndexedExpression[] = [];
  const events: IndexedEventGoal[] = [];
  const durations: [thresholdMs: number, goal: number][] = [];
  const pageGoals = new Map<number, number[]>();
  for (const definition of goals) {
    if (definition.status === 'Deleted' || definition.status === 'Paused') continue;
    const goal = goalIds.length;
    switch (definition.goalType) {
      case 'Url':
        if (definition.url === undefined) continue;
        urls.push({ goal, expression: definition.url });
        break;
      case 'Event':
        if (definition.event === undefined) continue;
        events.push({ goal, conditions: definition.event });
        break;
      case 'Duration':
        if (definition.minimumDurationSeconds === undefined) continue;
        durations.push([definition.minimumDurationSeconds * 1_000, goal]);
        break;
      case 'PagesViewedPerVisit': {
        if (definition.minimumPagesViewed === undefined) continue;
        const pages = Math.max(1, definition.minimumPagesViewed);
        const list = pageGoals.get(pages);
        if (list === undefined) pageGoals.set(pages, [goal]);
        else list.push(goal);
        break;
      }
      default:
        continue;
    }
    goalIds.push(definition.goalId);
    windowsMs.push(
      (definition.conversionWindowMinutes ?? DEFAULT_CONVERSION_WINDOW_MINUTES) * MINUTE_MS,
    );
  }
  durations.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return {
    goalIds,
    windowsMs,
    keepClicksMs: windowsMs.reduce((max, window) => Math.max(max, window), 0),
    url: urls.length > 0 ? new ExpressionIndex(urls) : undefined,
    event: events.length > 0 ? new EventGoalIndex(events) : undefined,
    durationThresholdsMs: Float64Array.from(durations, ([threshold]) => threshold),
    durationGoals: Int32Array.from(durations, ([, goal]) => goal),
    pageGoals,
    hasVisitGoals: durations.length > 0 || pageGoals.size > 0,
  };
}
