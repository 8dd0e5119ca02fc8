import { OutageStream } from './outageStream.js';
import { createRandom, deriveSeed, geometric, type Random } from './random.js';
import { RandomHits } from './randomHits.js';
import type { GoalScenario, Scenario, TagScenario, TimeInterval } from './scenario.js';

/** Receives a tag's inputs in time order (see {@link visitTagInputs}). */
export interface TagInputVisitor {
  /** The goal is attached to the tag. */
  goalAttached(goal: GoalScenario, at: number): void;
  /** The account lost (`false`) or regained (`true`) access to the tag. */
  accessChanged(available: boolean, at: number): void;
  /** The tag sent activity data. */
  hit(at: number): void;
  /** A conversion was recorded for the goal. */
  conversion(goal: GoalScenario, at: number): void;
}

/** How many inputs a tag received. */
export interface TagInputCounts {
  /** Hits, explicit and random. */
  hits: number;
  /** Conversions, all goals together. */
  conversions: number;
}

const RANK_ATTACH = 0;
const RANK_ACCESS = 1;
const RANK_HIT = 2;
const RANK_CONVERSION = 3;

/** Independent random streams per tag, so changing one part keeps the others. */
const STREAM_HITS = 0;
const STREAM_OUTAGES = 1;
const STREAM_CONVERSION_RATE = 2;
const STREAM_CONVERSIONS_PER_HOUR = 3;

/** A flat shape: the same weight for every hour and day. */
const FLAT_DAILY: readonly number[] = new Array<number>(24).fill(1);
const FLAT_WEEKLY: readonly number[] = new Array<number>(7).fill(1);

interface SparseInput {
  readonly at: number;
  readonly rank: number;
  readonly goal?: GoalScenario;
  readonly available?: boolean;
}

interface RateGoal {
  readonly goal: GoalScenario;
  readonly random: Random;
  skip: number;
  outageIndex: number;
}

interface PerHourGoal {
  readonly goal: GoalScenario;
  readonly times: RandomHits;
  at: number;
}

/**
 * Generates one tag's inputs for a seed and hands them to `visitor` in time order,
 * lazily (hits are drawn one at a time, never held). On equal times: goal attached,
 * access change, hit, conversion. A hit converts for each goal with a `conversionRate`
 * with that probability (once the goal is attached and outside the goal's outages).
 * The same scenario, tag and seed always give the same inputs.
 *
 * @example
 * ```ts
 * visitTagInputs(scenario, 0, scenario.seed, {
 *   goalAttached: () => {},
 *   accessChanged: () => {},
 *   hit: (at) => hits.push(at),
 *   conversion: () => {},
 * });
 * ```
 */
export function visitTagInputs(
  scenario: Scenario,
  tagIndex: number,
  seed: number,
  visitor: TagInputVisitor,
): TagInputCounts {
  const tag = scenario.tags[tagIndex];
  if (tag === undefined) throw new RangeError(`no tag at index ${tagIndex}`);
  const stream = (purpose: number, goalIndex = 0) =>
    createRandom(deriveSeed(seed, tagIndex, purpose, goalIndex));
  const counts: TagInputCounts = { hits: 0, conversions: 0 };
  const sparse = sparseInputs(tag);
  const random = randomHitsOf(tag, scenario, stream(STREAM_HITS), stream(STREAM_OUTAGES));
  const rateGoals: RateGoal[] = tag.goals
    .map((goal, goalIndex) => ({ goal, random: stream(STREAM_CONVERSION_RATE, goalIndex) }))
    .filter(({ goal }) => goal.conversionRate > 0)
    .map(({ goal, random: draws }) => ({
      goal,
      random: draws,
      skip: geometric(draws, goal.conversionRate),
      outageIndex: 0,
    }));
  const perHourGoals: PerHourGoal[] = tag.goals.flatMap((goal, goalIndex) => {
    if (goal.conversionsPerHour <= 0) return [];
    const draws = stream(STREAM_CONVERSIONS_PER_HOUR, goalIndex);
    const shape = {
      ratePerHour: goal.conversionsPerHour,
      daily: FLAT_DAILY,
      weekly: FLAT_WEEKLY,
      utcOffsetMs: 0,
    };
    const outages = new OutageStream(goal.outages, undefined, draws, goal.attachedAt, scenario.end);
    const times = new RandomHits(shape, outages, draws, goal.attachedAt, scenario.end);
    return [{ goal, times, at: times.next() }];
  });

  const explicitHits = tag.hits;
  let explicitIndex = 0;
  let randomAt = random?.next() ?? Number.POSITIVE_INFINITY;
  let sparseIndex = 0;
  for (;;) {
    const explicitAt = explicitHits[explicitIndex] ?? Number.POSITIVE_INFINITY;
    let bestAt = Math.min(explicitAt, randomAt);
    let bestRank = RANK_HIT;
    const next = sparse[sparseIndex];
    let chosen: SparseInput | PerHourGoal | undefined;
    if (next !== undefined && (next.at < bestAt || (next.at === bestAt && next.rank < bestRank))) {
      bestAt = next.at;
      bestRank = next.rank;
      chosen = next;
    }
    for (const perHour of perHourGoals) {
      if (perHour.at < bestAt) {
        bestAt = perHour.at;
        bestRank = RANK_CONVERSION;
        chosen = perHour;
      }
    }
    if (bestAt === Number.POSITIVE_INFINITY) return counts;
    if (chosen === undefined) {
      if (explicitAt <= randomAt) explicitIndex++;
      else randomAt = random?.next() ?? Number.POSITIVE_INFINITY;
      counts.hits++;
      visitor.hit(bestAt);
      for (const rateGoal of rateGoals) {
        if (rateGoal.skip > 0) {
          rateGoal.skip--;
          continue;
        }
        rateGoal.skip = geometric(rateGoal.random, rateGoal.goal.conversionRate);
        if (isConverting(rateGoal, bestAt)) {
          counts.conversions++;
          visitor.conversion(rateGoal.goal, bestAt);
        }
      }
    } else if ('times' in chosen) {
      chosen.at = chosen.times.next();
      counts.conversions++;
      visitor.conversion(chosen.goal, bestAt);
    } else {
      sparseIndex++;
      if (chosen.rank === RANK_ATTACH && chosen.goal) visitor.goalAttached(chosen.goal, bestAt);
      else if (chosen.rank === RANK_ACCESS)
        visitor.accessChanged(chosen.available === true, bestAt);
      else if (chosen.goal) {
        counts.conversions++;
        visitor.conversion(chosen.goal, bestAt);
      }
    }
  }
}

function sparseInputs(tag: TagScenario): SparseInput[] {
  const inputs: SparseInput[] = [
    ...tag.goals.map((goal) => ({ at: goal.attachedAt, rank: RANK_ATTACH, goal })),
    ...tag.access.map((change) => ({
      at: change.at,
      rank: RANK_ACCESS,
      available: change.available,
    })),
    ...tag.goals.flatMap((goal) =>
      goal.conversions.map((at) => ({ at, rank: RANK_CONVERSION, goal })),
    ),
  ];
  return inputs.sort((a, b) => a.at - b.at || a.rank - b.rank);
}

function randomHitsOf(
  tag: TagScenario,
  scenario: Scenario,
  hits: Random,
  outages: Random,
): RandomHits | undefined {
  if (tag.traffic === undefined || tag.traffic.ratePerHour === 0) return undefined;
  const start = Math.max(scenario.start, tag.installedAt);
  const stream = new OutageStream(tag.outages, tag.randomOutages, outages, start, scenario.end);
  return new RandomHits(tag.traffic, stream, hits, start, scenario.end);
}

function isConverting(rateGoal: RateGoal, at: number): boolean {
  if (at < rateGoal.goal.attachedAt) return false;
  const outages: readonly TimeInterval[] = rateGoal.goal.outages;
  while ((outages[rateGoal.outageIndex]?.to ?? Number.POSITIVE_INFINITY) <= at) {
    rateGoal.outageIndex++;
  }
  const outage = outages[rateGoal.outageIndex];
  return outage === undefined || at < outage.from;
}
