import type { GoalScenario, Scenario } from '../../packages/uet-tag/src/simulation/scenario.js';
import { visitTagInputs } from '../../packages/uet-tag/src/simulation/tagInputs.js';
import type {
  StatusInterval,
  SubjectTimeline,
} from '../../packages/uet-tag/src/timelines/timeline.js';
import { goalStatusAt, tagStatusAt } from '../../packages/uet-tag-status/src/oracle.js';
import { isTagBasedGoalType } from '../../packages/uet-tag-status/src/valueSets/conversionGoalType.js';

/** One generated input, as the simulator receives it. */
export type LoggedInput =
  | { readonly kind: 'attach'; readonly at: number; readonly goal: GoalScenario }
  | { readonly kind: 'access'; readonly at: number; readonly available: boolean }
  | { readonly kind: 'hit'; readonly at: number }
  | { readonly kind: 'conversion'; readonly at: number; readonly goal: GoalScenario };

/** Every input of one tag for a seed, in the order the simulator receives them. */
export function logInputs(scenario: Scenario, tagIndex: number, seed: number): LoggedInput[] {
  const log: LoggedInput[] = [];
  visitTagInputs(scenario, tagIndex, seed, {
    goalAttached: (goal, at) => log.push({ kind: 'attach', at, goal }),
    accessChanged: (available, at) => log.push({ kind: 'access', at, available }),
    hit: (at) => log.push({ kind: 'hit', at }),
    conversion: (goal, at) => log.push({ kind: 'conversion', at, goal }),
  });
  return log;
}

/** A timeline reduced to what the oracle can see: label and intervals. */
export interface ExpectedTimeline {
  readonly label: string;
  readonly intervals: readonly StatusInterval[];
}

/**
 * The timelines SPEC R7 and G7 imply, computed independently of the machines: the
 * oracle's `tagStatusAt` / `goalStatusAt` evaluated at every time a status can change
 * (each input, each input plus a window), from the inputs received so far.
 */
export function oracleTimelines(
  scenario: Scenario,
  tagIndex: number,
  seed: number,
): ExpectedTimeline[] {
  const tag = scenario.tags[tagIndex];
  if (tag === undefined) throw new Error(`no tag ${tagIndex}`);
  const { windows } = scenario;
  const inputs = logInputs(scenario, tagIndex, seed);
  const candidates = new Set<number>([scenario.start, scenario.end]);
  for (const input of inputs) {
    candidates.add(input.at);
    if (input.kind === 'hit' || input.kind === 'conversion') {
      candidates.add(input.at + windows.activityWindowMs);
    }
    if (input.kind === 'conversion') candidates.add(input.at + windows.conversionWindowMs);
  }
  const times = [...candidates].filter((t) => t >= scenario.start && t <= scenario.end);
  times.sort((a, b) => a - b);

  const tagIntervals = new IntervalBuilder();
  const goalIntervals = new Map<string, IntervalBuilder>();
  const latestConversion = new Map<string, number>();
  let latestActivity: number | undefined;
  let available = true;
  let next = 0;
  for (const t of times) {
    for (let input = inputs[next]; input !== undefined && input.at <= t; input = inputs[++next]) {
      if (input.kind === 'attach') goalIntervals.set(input.goal.id, new IntervalBuilder());
      if (input.kind === 'access') available = input.available;
      if (input.kind === 'hit') latestActivity = Math.max(latestActivity ?? input.at, input.at);
      if (input.kind === 'conversion') {
        const previous = latestConversion.get(input.goal.id) ?? input.at;
        latestConversion.set(input.goal.id, Math.max(previous, input.at));
        if (isTagBasedGoalType(input.goal.type)) {
          latestActivity = Math.max(latestActivity ?? input.at, input.at);
        }
      }
    }
    const tagStatus = tagStatusAt(latestActivity === undefined ? [] : [latestActivity], t, windows);
    tagIntervals.observe(tagStatus, t);
    for (const goal of tag.goals) {
      const builder = goalIntervals.get(goal.id);
      if (builder === undefined) continue;
      const conversion = latestConversion.get(goal.id);
      const status = goalStatusAt(
        {
          goalType: goal.type,
          conversions: conversion === undefined ? [] : [conversion],
          tagStatus,
          tagAvailable: available,
        },
        t,
        windows,
      );
      builder.observe(status, t);
    }
  }
  return [
    { label: tag.id, intervals: tagIntervals.finish(scenario.end) },
    ...[...goalIntervals].map(([goalId, builder]) => ({
      label: `${tag.id}/${goalId}`,
      intervals: builder.finish(scenario.end),
    })),
  ];
}

/**
 * A timeline as the oracle sees it: zero-length intervals dropped and neighbours with
 * the same status joined (a silence and an input at the same instant cancel out).
 */
export function visibleTimeline(timeline: SubjectTimeline): ExpectedTimeline {
  const label =
    timeline.goalId === undefined ? timeline.tagId : `${timeline.tagId}/${timeline.goalId}`;
  return { label, intervals: joinIntervals(timeline.intervals) };
}

function joinIntervals(intervals: readonly StatusInterval[]): StatusInterval[] {
  const joined: StatusInterval[] = [];
  for (const interval of intervals) {
    if (interval.to === interval.from && intervals.length > 1) continue;
    const last = joined.at(-1);
    if (last !== undefined && last.status === interval.status) {
      joined[joined.length - 1] = { ...last, to: interval.to };
    } else {
      joined.push(interval);
    }
  }
  return joined;
}

class IntervalBuilder {
  private readonly intervals: StatusInterval[] = [];
  private status: StatusInterval['status'] | undefined;
  private since = 0;

  observe(status: StatusInterval['status'], at: number): void {
    if (status === this.status) return;
    if (this.status !== undefined)
      this.intervals.push({ status: this.status, from: this.since, to: at });
    this.status = status;
    this.since = at;
  }

  finish(end: number): StatusInterval[] {
    if (this.status === undefined) return [];
    return joinIntervals([...this.intervals, { status: this.status, from: this.since, to: end }]);
  }
}
