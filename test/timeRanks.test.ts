import { describe, expect, it } from 'vitest';
import { createRandom } from '../packages/uet-tag/src/simulation/random.js';
import { TimeRanks } from '../packages/uet-tag-status/src/engine/TimeRanks.js';
import { createTagFacts, type TagFacts } from '../packages/uet-tag-status/src/engine/tagFacts.js';

/*
 * TimeRanks ranks a step's times and each plus each window by sorting only the times and
 * merging the three runs. These tests compare its ranks and order with the plain
 * definition (a time's rank is how many distinct defined times are smaller; the order is a
 * stable sort of the defined indices) on random tags with many ties.
 */

/** A random time on a coarse grid (ties are common), or `undefined`. */
function randomTime(next: () => number): number | undefined {
  return next() < 0.2 ? undefined : 1_000 * Math.floor(next() * 40);
}

function randomFacts(next: () => number): TagFacts {
  const facts = createTagFacts(next() < 0.5);
  facts.firstDataAt = randomTime(next);
  facts.lastDataAt = randomTime(next);
  facts.changedAt = randomTime(next);
  const goals = Math.floor(next() * 12);
  for (let index = 0; index < goals; index++) {
    facts.goals.push({
      goalId: `g${index}`,
      goalType: 'Url',
      status: 'TagUnverified',
      changedAt: randomTime(next),
      lastConversionAt: randomTime(next),
      decidedAt: randomTime(next) ?? 0,
    });
  }
  return facts;
}

describe('TimeRanks', () => {
  it('ranks times and window ends as a full sort of them does, ties and undefined times included', () => {
    const random = createRandom(5);
    const next = () => random.next();
    const ranks = new TimeRanks();
    let mismatches = 0;
    for (let round = 0; round < 5_000; round++) {
      const facts = randomFacts(next);
      const at = randomTime(next) ?? 0;
      const now = randomTime(next) ?? Number.NaN;
      // Windows that are multiples of the grid, so that window ends tie with times.
      const activity = 1_000 * (1 + Math.floor(next() * 10));
      const conversion = activity * (1 + Math.floor(next() * 3));
      const slots = ranks.fillWithWindows(facts, at, now, activity, conversion);
      ranks.rankFilled(slots);
      const values = Array.from(ranks.times.subarray(0, 3 * slots));
      const distinct = [...new Set(values.filter((value) => !Number.isNaN(value)))];
      const expected = values.map((value) =>
        Number.isNaN(value) ? -1 : distinct.filter((other) => other < value).length,
      );
      const order = values
        .map((value, index) => ({ value, index }))
        .filter(({ value }) => !Number.isNaN(value))
        .sort((x, y) => x.value - y.value || x.index - y.index)
        .map(({ index }) => index);
      const got = ranks.orderAndTies();
      const same =
        Array.from(ranks.ranks.subarray(0, 3 * slots)).join() === expected.join() &&
        Array.from(got.order).join() === order.join();
      if (!same) mismatches += 1;
    }
    expect(mismatches).toBe(0);
  });
});
