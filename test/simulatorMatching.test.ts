import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import { simulateScenario } from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { visitTagInputs } from '../packages/uet-tag/src/simulation/tagInputs.js';
import { createTagMonitor, type UetHit } from '../packages/uet-tag-status/src/index.js';
import { createReferenceMatcher } from './support/referenceMatcher.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * M1–M7 and A2 through the simulator: random conversion goals in the API's shape and random
 * visits make a scenario; every hit the simulator generates is matched again by the plain
 * reference of the rules, which must convert exactly the goals the simulator converted, hit
 * by hit; and a monitor fed the same hits ends in the statuses the simulation ends in.
 */

const TAG = '26012345';
const START = Date.UTC(2025, 3, 7);
const PAGES = [
  'https://shop.example/',
  'https://shop.example/product/1',
  'https://www.shop.example/product/2',
  'http://shop.example/thanks?order=1',
  'https://shop.example/blog/care',
];

const status = fc.constantFrom('Active', 'Active', 'Active', 'Paused');
const goal = fc.oneof(
  fc.record({
    Type: fc.constant('UrlGoal'),
    UrlExpression: fc.constantFrom('shop.example/thanks', 'product', '/blog/', 'shop.example/'),
    UrlOperator: fc.constantFrom('BeginsWith', 'Contains', 'Equals'),
    Status: status,
  }),
  fc.record({
    Type: fc.constant('EventGoal'),
    ActionExpression: fc.constantFrom('add_to_cart', 'add'),
    ActionOperator: fc.constantFrom('Equals', 'Contains', 'BeginsWith'),
    Value: fc.integer({ min: 0, max: 100 }),
    ValueOperator: fc.constantFrom('Equals', 'LessThan', 'GreaterThan'),
    Status: status,
  }),
  fc.record({
    Type: fc.constant('DurationGoal'),
    MinimumDurationInSeconds: fc.integer({ min: 0, max: 600 }),
    Status: status,
  }),
  fc.record({
    Type: fc.constant('PagesViewedPerVisitGoal'),
    MinimumPagesViewed: fc.integer({ min: 1, max: 6 }),
    Status: status,
  }),
);
const pages = fc.uniqueArray(fc.constantFrom(...PAGES), { minLength: 1, maxLength: PAGES.length });
const visits = fc.record({
  landingPages: pages,
  pages: pages.chain((urls) =>
    fc.tuple(
      ...urls.map((url) =>
        fc.double({ min: 0.1, max: 3, noNaN: true }).map((weight) => ({ url, weight })),
      ),
    ),
  ),
  pagesPerVisit: fc.integer({ min: 1, max: 5 }),
  secondsPerPage: fc.integer({ min: 5, max: 400 }),
  events: fc.array(
    fc.record({
      action: fc.constantFrom('add_to_cart', 'add_to_wishlist'),
      category: fc.constant('ecommerce'),
      value: fc.constant({ min: 0, max: 100 }),
      probability: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    { maxLength: 2 },
  ),
  adClickShare: fc.double({ min: 0, max: 1, noNaN: true }),
});
const scenarios = fc
  .record({
    goals: fc.array(goal, { minLength: 1, maxLength: 5 }),
    visits,
    ratePerHour: fc.integer({ min: 2, max: 30 }),
    seed: fc.nat(1_000_000),
  })
  .map(({ goals, visits: shape, ratePerHour, seed }) =>
    JSON.stringify({
      name: 'random visits',
      start: new Date(START).toISOString(),
      end: '+1d',
      seed,
      tags: [
        {
          id: TAG,
          traffic: { ratePerHour },
          conversionGoals: goals.map((fields, index) => ({
            Id: 46_000_001 + index,
            TagId: Number(TAG),
            Name: `goal ${index}`,
            ...fields,
          })),
          visits: shape,
        },
      ],
    }),
  );

describe('goal matching through the simulator, against the plain reference', () => {
  it('M1 M2 M3 M4 M5 M6 M7 A2 the simulator converts what the reference converts from the same visits, and a monitor fed them ends in the same statuses', () => {
    let conversions = 0;
    fc.assert(
      fc.property(scenarios, (text) => {
        const scenario = parseScenario(text, 'json');
        const tag = scenario.tags[0];
        if (tag === undefined) throw new Error('no tag');
        const reference = createReferenceMatcher();
        reference.setGoals(TAG, tag.definitions ?? []);
        const hits: { at: number; hit: UetHit; converted: string[] }[] = [];
        visitTagInputs(scenario, 0, scenario.seed, {
          goalAttached: () => {},
          accessChanged: () => {},
          hit: (at, hit) => {
            if (hit === undefined) throw new Error('a visit hit without its fields');
            hits.push({ at, hit, converted: [] });
          },
          conversion: (converted, at) => {
            const last = hits.at(-1);
            expect(last?.at).toBe(at);
            last?.converted.push(converted.id);
          },
        });
        for (const { at, hit, converted } of hits) {
          expect(converted, `hit at ${at}`).toEqual(reference.match(hit, at));
          conversions += converted.length;
        }

        const clock = simulatedClockAt(START);
        const monitor = createTagMonitor({ clock });
        monitor.registerTag(TAG, { goals: tag.definitions ?? [] });
        for (const { at, hit } of hits) {
          clock.increment(at - clock.now());
          monitor.recordHit(hit, at);
        }
        clock.increment(scenario.end - clock.now());
        const simulated = simulateScenario(scenario).timelines.map((timeline) => [
          timeline.goalId ?? TAG,
          timeline.intervals.at(-1)?.status,
        ]);
        const report = monitor.status(TAG);
        expect(Object.fromEntries(simulated)).toEqual({
          [TAG]: report.status,
          ...Object.fromEntries(report.goals.map((entry) => [entry.goalId, entry.status])),
        });
        monitor.close();
      }),
      { numRuns: 60 },
    );
    expect(conversions).toBeGreaterThan(100);
  });
});
