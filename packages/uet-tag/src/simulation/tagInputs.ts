import { type ConversionMatcher, createConversionMatcher, type UetHit } from 'uet-tag-status';
import { OutageStream } from './OutageStream.js';
import { RandomHits } from './RandomHits.js';
import { createRandom, deriveSeed, geometric, type Random } from './random.js';
import type { GoalScenario, Scenario, TagScenario, TimeInterval } from './scenario.js';
import { VisitHits } from './VisitHits.js';

/** Receives a tag's inputs in time order (see {@link visitTagInputs}). */
export interface TagInputVisitor {
  /** The goal is attached to the tag. */
  goalAttached(goal: GoalScenario, at: number): void;
  /** The account lost (`false`) or regained (`true`) access to the tag. */
  accessChanged(available: boolean, at: number): void;
  /** The tag sent activity data; `visitHit` is the hit itself when the tag has `visits`. */
  hit(at: number, visitHit?: UetHit): void;
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

const INFINITY = Number.POSITIVE_INFINITY;
const RANK_ATTACH = 0;
const RANK_ACCESS = 1;
const RANK_HIT = 2;
const RANK_CONVERSION = 3;

/** Independent random streams per tag, so changing one part keeps the others. */
const STREAM_HITS = 0;
const STREAM_OUTAGES = 1;
const STREAM_CONVERSION_RATE = 2;
const STREAM_CONVERSIONS_PER_HOUR = 3;
const STREAM_VISITS = 4;

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
 * with that probability (once the goal is attached and outside the goal's outages). With
 * `visits`, the random traffic's times start visits (`VisitHits`), and each hit of a
 * visit converts every goal of `conversionGoals` whose definition it matches (SPEC M1–M7).
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
  const traffic = randomHitsOf(tag, scenario, stream(STREAM_HITS), stream(STREAM_OUTAGES));
  const visits =
    tag.visits === undefined || traffic === undefined
      ? undefined
      : new VisitHits(tag.id, tag.visits, traffic, stream(STREAM_VISITS), scenario.end);
  const random = visits ?? traffic;
  const matching = visits === undefined ? undefined : matchingOf(tag);
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

  // The hot loop: hits (explicit merged with random) against the other, sparse inputs,
  // whose earliest is cached and only looked for again once it is consumed.
  const explicitHits = tag.hits;
  let explicitIndex = 0;
  let explicitAt = explicitHits.length > 0 ? (explicitHits[0] ?? INFINITY) : INFINITY;
  let randomAt = random === undefined ? INFINITY : random.next();
  let sparseIndex = 0;
  let other = earliestOther(sparse, sparseIndex, perHourGoals);
  for (;;) {
    const hitAt = Math.min(explicitAt, randomAt);
    let visitHit: UetHit | undefined;
    if (hitAt < other.at || (hitAt === other.at && RANK_HIT < other.rank)) {
      if (explicitAt <= randomAt) {
        explicitIndex++;
        explicitAt =
          explicitIndex < explicitHits.length
            ? (explicitHits[explicitIndex] ?? INFINITY)
            : INFINITY;
      } else {
        visitHit = visits?.current;
        randomAt = random === undefined ? INFINITY : random.next();
      }
      counts.hits++;
      visitor.hit(hitAt, visitHit);
      if (matching !== undefined && visitHit !== undefined) {
        for (const goalId of matching.matcher.match(visitHit, hitAt)) {
          const goal = matching.goals.get(goalId) as GoalScenario;
          if (hitAt < goal.attachedAt) continue;
          counts.conversions++;
          visitor.conversion(goal, hitAt);
        }
      }
      for (let index = 0; index < rateGoals.length; index++) {
        const rateGoal = rateGoals[index] as RateGoal;
        if (rateGoal.skip > 0) {
          rateGoal.skip--;
          continue;
        }
        rateGoal.skip = geometric(rateGoal.random, rateGoal.goal.conversionRate);
        if (isConverting(rateGoal, hitAt)) {
          counts.conversions++;
          visitor.conversion(rateGoal.goal, hitAt);
        }
      }
      continue;
    }
    if (other.at === INFINITY) return counts;
    const { input } = other;
    if (input === undefined) throw new Error('internal: no input at a finite time');
    if ('times' in input) {
      input.at = input.times.next();
      counts.conversions++;
      visitor.conversion(input.goal, other.at);
    } else {
      sparseIndex++;
      if (input.rank === RANK_ATTACH && input.goal) visitor.goalAttached(input.goal, input.at);
      else if (input.rank === RANK_ACCESS)
        visitor.accessChanged(input.available === true, input.at);
      else if (input.goal) {
        counts.conversions++;
        visitor.conversion(input.goal, input.at);
      }
    }
    other = earliestOther(sparse, sparseIndex, perHourGoals);
  }
}

interface OtherInput {
  readonly at: number;
  readonly rank: number;
  readonly input: SparseInput | PerHourGoal | undefined;
}

const NO_OTHER: OtherInput = { at: INFINITY, rank: RANK_ATTACH, input: undefined };

/** The earliest input that is not a hit: the next sparse one or a per-hour conversion. */
function earliestOther(
  sparse: readonly SparseInput[],
  sparseIndex: number,
  perHourGoals: readonly PerHourGoal[],
): OtherInput {
  let best = NO_OTHER;
  const next = sparse[sparseIndex];
  if (next !== undefined) best = { at: next.at, rank: next.rank, input: next };
  for (const perHour of perHourGoals) {
    if (perHour.at < best.at || (perHour.at === best.at && RANK_CONVERSION < best.rank)) {
      best = { at: perHour.at, rank: RANK_CONVERSION, input: perHour };
    }
  }
  return best;
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

/** The matcher of a tag with visits, its goals given in the API's shape (SPEC M1–M7). */
function matchingOf(tag: TagScenario): {
  matcher: ConversionMatcher;
  goals: ReadonlyMap<string, GoalScenario>;
} {
  const matcher = createConversionMatcher();
  const definitions = tag.definitions ?? [];
  matcher.setGoals(tag.id, definitions);
  const ids = new Set(definitions.map((definition) => definition.goalId));
  return {
    matcher,
    goals: new Map(tag.goals.filter((goal) => ids.has(goal.id)).map((goal) => [goal.id, goal])),
  };
}
