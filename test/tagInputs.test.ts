import { describe, expect, it } from 'vitest';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import { OutageStream } from '../packages/uet-tag/src/simulation/OutageStream.js';
import { createRandom } from '../packages/uet-tag/src/simulation/random.js';
import type { Scenario } from '../packages/uet-tag/src/simulation/scenario.js';
import { DAY_MS, HOUR_MS } from '../packages/uet-tag-status/src/windows.js';
import { type LoggedInput, logInputs } from './support/simulationOracle.js';

const START = Date.parse('2024-01-01T00:00:00Z'); // a Monday

function scenarioOf(tag: object, days = 30, seed = 1): Scenario {
  return parseScenario(
    JSON.stringify({
      name: 't',
      start: START,
      end: `+${days}d`,
      seed,
      tags: [{ id: 't', ...tag }],
    }),
    'json',
  );
}

const hitsOf = (inputs: readonly LoggedInput[]) =>
  inputs.filter((input) => input.kind === 'hit').map((input) => input.at);
const conversionsOf = (inputs: readonly LoggedInput[], goalId: string) =>
  inputs
    .filter((input) => input.kind === 'conversion' && input.goal.id === goalId)
    .map((input) => input.at);

/** Within four standard deviations of a Poisson count's mean. */
function expectPoissonCount(count: number, mean: number): void {
  expect(Math.abs(count - mean)).toBeLessThan(4 * Math.sqrt(mean));
}

describe('visitTagInputs: random traffic', () => {
  it('is deterministic per seed, differs between seeds, and a goal added does not change the hits', () => {
    const plain = scenarioOf({ traffic: { ratePerHour: 10 } });
    const withGoal = scenarioOf({
      traffic: { ratePerHour: 10 },
      goals: [{ id: 'g', type: 'Url', conversionRate: 0.5 }],
    });
    expect(hitsOf(logInputs(plain, 0, 1))).toEqual(hitsOf(logInputs(plain, 0, 1)));
    expect(hitsOf(logInputs(plain, 0, 2))).not.toEqual(hitsOf(logInputs(plain, 0, 1)));
    expect(hitsOf(logInputs(withGoal, 0, 1))).toEqual(hitsOf(logInputs(plain, 0, 1)));
  });

  it('draws hits at the mean rate, in time order, integer ms within the horizon', () => {
    const scenario = scenarioOf({ traffic: { ratePerHour: 60 } });
    const hits = hitsOf(logInputs(scenario, 0, 1));
    expectPoissonCount(hits.length, 60 * 24 * 30);
    expect(
      hits.every((at, index) => Number.isInteger(at) && at >= (hits[index - 1] ?? START)),
    ).toBe(true);
    expect(hits.every((at) => at >= scenario.start && at < scenario.end)).toBe(true);
  });

  it('shapes the rate by local hour of day: none in hours of weight 0, with the UTC offset applied', () => {
    const daily = [...new Array(12).fill(0), ...new Array(12).fill(1)];
    const hits = hitsOf(
      logInputs(scenarioOf({ traffic: { ratePerHour: 20, daily, utcOffset: '+02:00' } }), 0, 1),
    );
    const localHours = new Set(hits.map((at) => new Date(at + 2 * HOUR_MS).getUTCHours()));
    expect([...localHours].sort((a, b) => a - b)).toEqual([
      12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
    ]);
    expectPoissonCount(hits.length, 20 * 24 * 30);
  });

  it('shapes the rate by local day of week (Monday first): only Mondays with weights [1, 0, ...]', () => {
    const hits = hitsOf(
      logInputs(scenarioOf({ traffic: { ratePerHour: 20, weekly: [1, 0, 0, 0, 0, 0, 0] } }), 0, 1),
    );
    expect(new Set(hits.map((at) => new Date(at).getUTCDay()))).toEqual(new Set([1]));
    // The weekly mean stays 20 an hour, so Mondays get 7 × 20; 30 days from a Monday hold 5 Mondays.
    expectPoissonCount(hits.length, 7 * 20 * 24 * 5);
  });

  it('has no hit before installation nor during outages, explicit hits included in order', () => {
    const scenario = scenarioOf({
      installedAt: '+2d',
      hits: ['+2d1h', '+9d'],
      traffic: { ratePerHour: 30 },
      outages: [
        { from: '+5d', to: '+8d' },
        { from: '+7d', to: '+9d' },
      ],
    });
    const hits = hitsOf(logInputs(scenario, 0, 1));
    expect(hits[0]).toBeGreaterThanOrEqual(START + 2 * DAY_MS);
    expect(hits.filter((at) => at >= START + 5 * DAY_MS && at < START + 9 * DAY_MS)).toEqual([]);
    expect(hits).toContain(START + 2 * DAY_MS + HOUR_MS);
    expect(hits).toContain(START + 9 * DAY_MS);
    expect(hits).toEqual([...hits].sort((a, b) => a - b));
  });
});

describe('visitTagInputs: conversions and other inputs', () => {
  it('conversionRate is the probability a hit converts: 1 converts every hit after attachment and outside goal outages', () => {
    const scenario = scenarioOf({
      traffic: { ratePerHour: 5 },
      goals: [
        {
          id: 'all',
          type: 'Url',
          conversionRate: 1,
          attachedAt: '+1d',
          outages: [{ from: '+3d', to: '+4d' }],
        },
        { id: 'some', type: 'Event', conversionRate: 0.1 },
      ],
    });
    const inputs = logInputs(scenario, 0, 1);
    const hits = hitsOf(inputs);
    const inOutage = (at: number) => at >= START + 3 * DAY_MS && at < START + 4 * DAY_MS;
    expect(conversionsOf(inputs, 'all')).toEqual(
      hits.filter((at) => at >= START + DAY_MS && !inOutage(at)),
    );
    expectPoissonCount(conversionsOf(inputs, 'some').length, hits.length * 0.1);
  });

  it('conversionsPerHour (tagless goals) is its own process, unaffected by the tag having no traffic', () => {
    const scenario = scenarioOf({
      goals: [
        {
          id: 'app',
          type: 'AppInstall',
          conversionsPerHour: 2,
          outages: [{ from: '+10d', to: '+20d' }],
        },
      ],
    });
    const inputs = logInputs(scenario, 0, 1);
    const installs = conversionsOf(inputs, 'app');
    expect(hitsOf(inputs)).toEqual([]);
    expect(installs.filter((at) => at >= START + 10 * DAY_MS && at < START + 20 * DAY_MS)).toEqual(
      [],
    );
    expectPoissonCount(installs.length, 2 * 24 * 20);
  });

  it('orders inputs at the same time: goal attached, access change, hit, conversion', () => {
    const scenario = scenarioOf({
      hits: ['+1h'],
      accessLost: [{ from: '+1h', to: '+2h' }],
      goals: [{ id: 'g', type: 'Url', attachedAt: '+1h', conversions: ['+1h'] }],
    });
    expect(logInputs(scenario, 0, 1).map((input) => [input.kind, input.at - START])).toEqual([
      ['attach', HOUR_MS],
      ['access', HOUR_MS],
      ['hit', HOUR_MS],
      ['conversion', HOUR_MS],
      ['access', 2 * HOUR_MS],
    ]);
  });
});

describe('OutageStream', () => {
  it('joins overlapping explicit and random outages, in time order, each random one 1 h to 1 d long', () => {
    const end = START + 365 * DAY_MS;
    const stream = new OutageStream(
      [{ from: START + DAY_MS, to: START + 3 * DAY_MS }],
      { perWeek: 2, minDurationMs: HOUR_MS, maxDurationMs: DAY_MS },
      createRandom(3),
      START,
      end,
    );
    const outages: { from: number; to: number }[] = [];
    for (; stream.from !== Number.POSITIVE_INFINITY; stream.advance()) {
      outages.push({ from: stream.from, to: stream.to });
    }
    expect(
      outages.every((outage, index) => index === 0 || outage.from > (outages[index - 1]?.to ?? 0)),
    ).toBe(true);
    expect(outages.some((o) => o.from <= START + DAY_MS && o.to >= START + 3 * DAY_MS)).toBe(true);
    expect(outages.every((o) => o.to - o.from >= HOUR_MS && o.from < end)).toBe(true);
    expectPoissonCount(outages.length, 2 * 52);
  });
});
