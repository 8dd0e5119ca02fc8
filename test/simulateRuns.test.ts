import { describe, expect, it } from 'vitest';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import { simulateRuns, spreadOf } from '../packages/uet-tag/src/simulation/simulateRuns.js';
import { simulateScenario } from '../packages/uet-tag/src/simulation/simulateScenario.js';

describe('spreadOf', () => {
  const cases = [
    { values: [5], spread: { mean: 5, min: 5, p5: 5, p50: 5, p95: 5, max: 5 } },
    { values: [4, 1, 3, 2], spread: { mean: 2.5, min: 1, p5: 1.15, p50: 2.5, p95: 3.85, max: 4 } },
    { values: [0, 0, 0, 10], spread: { mean: 2.5, min: 0, p5: 0, p50: 0, p95: 8.5, max: 10 } },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.values)}: mean, extremes and interpolated percentiles`, () => {
      const spread = spreadOf(c.values);
      for (const [key, value] of Object.entries(c.spread)) {
        expect(spread[key as keyof typeof spread]).toBeCloseTo(value, 10);
      }
    });
  }
});

describe('simulateRuns', () => {
  const scenario = parseScenario(
    JSON.stringify({
      name: 'flaky',
      start: 0,
      end: '+20d',
      seed: 40,
      tags: [{ id: 'blog', traffic: { ratePerHour: 0.06 } }],
    }),
    'json',
  );

  it('runs consecutive seeds and summarises each run exactly as simulateScenario reports it', () => {
    const runs = simulateRuns(scenario, 5);
    expect(runs.seeds).toEqual([40, 41, 42, 43, 44]);
    const results = runs.seeds.map((seed) => simulateScenario(scenario, { seed }).timelines[0]);
    const changes = results.map((timeline) => timeline?.changes ?? Number.NaN);
    const inactive = results.map((timeline) => timeline?.timeInStatus.Inactive ?? 0);
    expect(runs.subjects[0]?.changes).toEqual(spreadOf(changes));
    expect(runs.subjects[0]?.timeInStatus.Inactive).toEqual(spreadOf(inactive));
    expect(new Set(changes).size).toBeGreaterThan(1);
  });

  it('counts 0 for a status in the runs where it did not occur', () => {
    const rare = parseScenario(
      JSON.stringify({
        name: 'x',
        start: 0,
        end: '+4d',
        seed: 1,
        tags: [{ id: 't', traffic: { ratePerHour: 0.2 } }],
      }),
      'json',
    );
    const runs = simulateRuns(rare, 8);
    const inactive = runs.seeds.map(
      (seed) => simulateScenario(rare, { seed }).timelines[0]?.timeInStatus.Inactive ?? 0,
    );
    expect(inactive.filter((ms) => ms === 0).length).toBeGreaterThan(0);
    expect(inactive.filter((ms) => ms > 0).length).toBeGreaterThan(0);
    expect(runs.subjects[0]?.timeInStatus.Inactive).toEqual(spreadOf(inactive));
    expect(() => simulateRuns(rare, 0)).toThrow('runs: 0 is not valid: expected an integer >= 1');
  });
});
