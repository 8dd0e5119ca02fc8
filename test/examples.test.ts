import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import type { Scenario } from '../packages/uet-tag/src/simulation/scenario.js';
import {
  type SimulationResult,
  simulateScenario,
} from '../packages/uet-tag/src/simulation/simulateScenario.js';
import type { SubjectTimeline } from '../packages/uet-tag/src/timelines/timeline.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';
import { logInputs, oracleTimelines, visibleTimeline } from './support/simulationOracle.js';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples');

function timelineOf(result: SimulationResult, label: string): SubjectTimeline {
  const found = result.timelines.find(
    (timeline) =>
      (timeline.goalId === undefined ? timeline.tagId : `${timeline.tagId}/${timeline.goalId}`) ===
      label,
  );
  if (found === undefined) throw new Error(`no timeline ${label}`);
  return found;
}

const statuses = (timeline: SubjectTimeline) =>
  timeline.intervals.map((interval) => interval.status);
const hitsOf = (scenario: Scenario, tagIndex: number) =>
  logInputs(scenario, tagIndex, scenario.seed)
    .filter((input) => input.kind === 'hit')
    .map((input) => input.at);

const files = [
  'fortnight.yaml',
  'newTag.json',
  'weekendOutage.yaml',
  'lowTrafficFlapping.yaml',
  'goalStopsConverting.yaml',
];

describe('every example agrees with the oracle (R7, G7)', () => {
  for (const file of files) {
    it(`${file}: each tag and goal timeline is what the oracle computes from the same inputs`, async () => {
      const scenario = await loadScenario(path.join(examples, file));
      const result = simulateScenario(scenario);
      const expected = scenario.tags.flatMap((_, index) =>
        oracleTimelines(scenario, index, scenario.seed),
      );
      expect(result.timelines.map(visibleTimeline)).toEqual(expected);
    });
  }
});

describe('examples/newTag.json: a new tag verifying', () => {
  let scenario: Scenario;
  let result: SimulationResult;
  beforeAll(async () => {
    scenario = await loadScenario(path.join(examples, 'newTag.json'));
    result = simulateScenario(scenario);
  });

  it('R1, R2: the shop tag is Unverified until its first hit after installation, then Active', () => {
    const firstHit = hitsOf(scenario, 0)[0] ?? Number.NaN;
    const installedAt = Date.parse('2024-05-06T14:30:00Z');
    expect(firstHit).toBeGreaterThanOrEqual(installedAt);
    expect(timelineOf(result, 'shop').intervals).toEqual([
      { status: 'Unverified', from: scenario.start, to: firstHit },
      { status: 'Active', from: firstHit, to: scenario.end },
    ]);
  });

  it('G2, G3: the contact goal goes TagUnverified, NoRecentConversions, RecordingConversions at its first conversion', () => {
    const firstConversion = logInputs(scenario, 0, scenario.seed).find(
      (input) => input.kind === 'conversion',
    )?.at;
    const goal = timelineOf(result, 'shop/contact');
    expect(statuses(goal)).toEqual([
      'TagUnverified',
      'NoRecentConversions',
      'RecordingConversions',
    ]);
    expect(goal.intervals[2]?.from).toBe(firstConversion);
  });

  it('R1: the landing tag, whose code was never put on the site, stays Unverified, and its goal TagUnverified', () => {
    expect(timelineOf(result, 'landing').intervals).toEqual([
      { status: 'Unverified', from: scenario.start, to: scenario.end },
    ]);
    expect(timelineOf(result, 'landing/download').intervals).toEqual([
      { status: 'TagUnverified', from: scenario.start, to: scenario.end },
    ]);
  });
});

describe('examples/weekendOutage.yaml: a weekend outage', () => {
  it('R4, R5: Inactive 24 h after the last hit before Friday 18:00 CEST, Active at the first hit after Monday 08:00 CEST', async () => {
    const scenario = await loadScenario(path.join(examples, 'weekendOutage.yaml'));
    const result = simulateScenario(scenario);
    const outageFrom = Date.parse('2024-06-07T18:00:00+02:00');
    const outageTo = Date.parse('2024-06-10T08:00:00+02:00');
    const hits = hitsOf(scenario, 0);
    const lastBefore = Math.max(...hits.filter((at) => at < outageFrom));
    const firstAfter = Math.min(...hits.filter((at) => at >= outageTo));
    expect(hits.filter((at) => at >= outageFrom && at < outageTo)).toEqual([]);
    expect(timelineOf(result, 'officeShop').intervals).toEqual([
      { status: 'Unverified', from: scenario.start, to: hits[0] },
      { status: 'Active', from: hits[0], to: lastBefore + DAY_MS },
      { status: 'Inactive', from: lastBefore + DAY_MS, to: firstAfter },
      { status: 'Active', from: firstAfter, to: scenario.end },
    ]);
    expect(statuses(timelineOf(result, 'officeShop/order'))).toEqual([
      'TagUnverified',
      'NoRecentConversions',
      'RecordingConversions',
      'TagInactive',
      'RecordingConversions',
    ]);
  });
});

describe('examples/lowTrafficFlapping.yaml: a low-traffic site that flaps', () => {
  it('R4, R5: about one visit a day flaps many times, six a day a few times, 24 a day never', async () => {
    const scenario = await loadScenario(path.join(examples, 'lowTrafficFlapping.yaml'));
    const result = simulateScenario(scenario);
    const lapses = (label: string) =>
      timelineOf(result, label).intervals.filter((interval) => interval.status === 'Inactive')
        .length;
    // Every gap of 24 h or more between consecutive hits is one lapse (counted from the hits).
    const gaps = (tagIndex: number) => {
      const hits = [...hitsOf(scenario, tagIndex), scenario.end];
      return hits.slice(1).filter((at, index) => at - (hits[index] ?? at) >= DAY_MS).length;
    };
    expect([lapses('tinyBlog'), lapses('smallBlog'), lapses('steadyBlog')]).toEqual([
      gaps(0),
      gaps(1),
      gaps(2),
    ]);
    expect(lapses('tinyBlog')).toBeGreaterThan(10);
    expect(lapses('smallBlog')).toBeLessThan(lapses('tinyBlog'));
    expect(lapses('steadyBlog')).toBe(0);
  });
});

describe('examples/goalStopsConverting.yaml: a goal that stops converting', () => {
  it('G3: purchase turns NoRecentConversions 7 days after its last conversion before the break, Recording again at the first after the fix', async () => {
    const scenario = await loadScenario(path.join(examples, 'goalStopsConverting.yaml'));
    const result = simulateScenario(scenario);
    const breakFrom = Date.parse('2024-04-10T12:00:00Z');
    const fixedAt = Date.parse('2024-04-20T12:00:00Z');
    const purchases = logInputs(scenario, 0, scenario.seed)
      .filter((input) => input.kind === 'conversion' && input.goal.id === 'purchase')
      .map((input) => input.at);
    const lastBefore = Math.max(...purchases.filter((at) => at < breakFrom));
    const firstAfter = Math.min(...purchases.filter((at) => at >= fixedAt));
    expect(purchases.filter((at) => at >= breakFrom && at < fixedAt)).toEqual([]);
    const purchase = timelineOf(result, 'shop/purchase').intervals;
    expect(purchase.slice(2)).toEqual([
      { status: 'RecordingConversions', from: purchase[2]?.from, to: lastBefore + 7 * DAY_MS },
      { status: 'NoRecentConversions', from: lastBefore + 7 * DAY_MS, to: firstAfter },
      { status: 'RecordingConversions', from: firstAfter, to: scenario.end },
    ]);
    expect(statuses(timelineOf(result, 'shop'))).toEqual(['Unverified', 'Active']);
    expect(statuses(timelineOf(result, 'shop/newsletter'))).toEqual([
      'TagUnverified',
      'NoRecentConversions',
      'RecordingConversions',
    ]);
  });
});

describe('examples/fortnight.yaml: one tag and its goals over a fortnight', () => {
  it('walks the tag through Unverified, Active, Inactive, Active and its goals through every goal status', async () => {
    const scenario = await loadScenario(path.join(examples, 'fortnight.yaml'));
    const result = simulateScenario(scenario);
    const hits = hitsOf(scenario, 0);
    const outageFrom = Date.parse('2024-03-08T20:00:00Z');
    const lastBefore = Math.max(...hits.filter((at) => at < outageFrom));
    const firstAfter = Math.min(...hits.filter((at) => at >= Date.parse('2024-03-10T09:00:00Z')));
    expect(timelineOf(result, 'shop').intervals).toEqual([
      { status: 'Unverified', from: scenario.start, to: hits[0] },
      { status: 'Active', from: hits[0], to: lastBefore + DAY_MS },
      { status: 'Inactive', from: lastBefore + DAY_MS, to: firstAfter },
      { status: 'Active', from: firstAfter, to: scenario.end },
    ]);
    const lost = Date.parse('2024-03-13T12:00:00Z');
    expect(timelineOf(result, 'shop/newsletter').intervals).toEqual([
      { status: 'TagUnverified', from: scenario.start, to: hits[0] },
      { status: 'NoRecentConversions', from: hits[0], to: Date.parse('2024-03-04T15:20:00Z') },
      {
        status: 'RecordingConversions',
        from: Date.parse('2024-03-04T15:20:00Z'),
        to: lastBefore + DAY_MS,
      },
      { status: 'TagInactive', from: lastBefore + DAY_MS, to: firstAfter },
      {
        status: 'RecordingConversions',
        from: firstAfter,
        to: Date.parse('2024-03-11T15:20:00Z'),
      },
      { status: 'NoRecentConversions', from: Date.parse('2024-03-11T15:20:00Z'), to: lost },
      { status: 'InactiveDueToTagUnavailable', from: lost, to: lost + DAY_MS },
      { status: 'NoRecentConversions', from: lost + DAY_MS, to: scenario.end },
    ]);
    expect(statuses(timelineOf(result, 'shop/appInstall'))).toEqual([
      'NoRecentConversions',
      'RecordingConversions',
    ]);
    expect(result.inputs.hits).toBe(hits.length);
    expect(scenario.end - scenario.start).toBe(14 * DAY_MS);
  });
});
