import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import {
  PROGRESS_PER_TAG,
  simulateScenario,
} from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { simulateWithActors } from '../packages/uet-tag/src/simulation/simulateWithActors.js';
import { DAY_MS, HOUR_MS } from '../packages/uet-tag-status/src/windows.js';
import { START, scenarioArbitrary, scenarioFile } from './support/randomScenario.js';
import { oracleTimelines, visibleTimeline } from './support/simulationOracle.js';

describe('simulateScenario on randomized scenarios', () => {
  it('the fast path gives exactly the changes and timelines of a full machine step on every single hit', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (shape) => {
        const scenario = parseScenario(JSON.stringify(scenarioFile(shape)), 'json');
        const fast = simulateScenario(scenario);
        const everyHit = simulateScenario(scenario, { fastPath: false });
        expect(fast.timelines).toEqual(everyHit.timelines);
        expect(fast.changes).toEqual(everyHit.changes);
        expect(fast.inputs).toEqual(everyHit.inputs);
      }),
      { numRuns: 60 },
    );
  });

  it('R7, G7: the timelines are those the oracle computes from the same inputs', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (shape) => {
        const scenario = parseScenario(JSON.stringify(scenarioFile(shape)), 'json');
        const result = simulateScenario(scenario);
        const expected = scenario.tags.flatMap((_, index) =>
          oracleTimelines(scenario, index, scenario.seed),
        );
        expect(result.timelines.map(visibleTimeline)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('the timelines equal those of one createTagRuntime actor per tag on a SimulatedClock, every hit sent', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (shape) => {
        const scenario = parseScenario(JSON.stringify(scenarioFile(shape)), 'json');
        const engine = simulateScenario(scenario);
        const actors = simulateWithActors(scenario);
        expect(engine.timelines).toEqual(actors.timelines);
        const effective = (changes: typeof engine.changes) =>
          changes.map(({ noticedAt: _noticed, ...change }) => change);
        expect(effective(engine.changes)).toEqual(effective(actors.changes));
      }),
      { numRuns: 40 },
    );
  });
});

describe('simulateScenario', () => {
  const scenario = parseScenario(
    JSON.stringify({
      name: 'two tags',
      start: START,
      end: '+10d',
      seed: 9,
      tags: [
        {
          id: 'a',
          traffic: { ratePerHour: 2 },
          goals: [{ id: 'g', type: 'Url', conversionRate: 0.1 }],
        },
        { id: 'b', hits: ['+1h', '+2d'] },
      ],
    }),
    'json',
  );

  it('is deterministic: the same seed gives the same result, another seed other hits', () => {
    expect(simulateScenario(scenario)).toEqual(simulateScenario(scenario));
    expect(simulateScenario(scenario, { seed: 10 }).inputs).not.toEqual(
      simulateScenario(scenario).inputs,
    );
  });

  it('R4 (D5): a silence is noticed at its own time (the simulated clock jumps to each deadline)', () => {
    const inactive = simulateScenario(scenario).changes.filter(
      (change) => change.tagId === 'b' && change.to === 'Inactive',
    );
    expect(inactive).toEqual([
      {
        kind: 'tag',
        tagId: 'b',
        from: 'Active',
        to: 'Inactive',
        effectiveAt: START + HOUR_MS + DAY_MS,
        noticedAt: START + HOUR_MS + DAY_MS,
      },
      {
        kind: 'tag',
        tagId: 'b',
        from: 'Active',
        to: 'Inactive',
        effectiveAt: START + 3 * DAY_MS,
        noticedAt: START + 3 * DAY_MS,
      },
    ]);
  });

  it('reports progress as each tag completes, and within a tag as its simulated time passes', () => {
    const progress: [number, number][] = [];
    simulateScenario(scenario, { onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([
      [PROGRESS_PER_TAG, 2 * PROGRESS_PER_TAG],
      [2 * PROGRESS_PER_TAG, 2 * PROGRESS_PER_TAG],
    ]);
    const busy = parseScenario(
      'name: busy\nstart: 2024-03-01T00:00:00Z\nend: 2024-03-01T01:00:00Z\ntags:\n  - id: one\n    traffic: { ratePerHour: 300000 }\n',
      'yaml',
    );
    const within: number[] = [];
    simulateScenario(busy, { onProgress: (done, total) => within.push(done / total) });
    expect(within.length).toBeGreaterThan(3);
    expect(within.at(-1)).toBe(1);
    expect(within.slice(0, -1).every((fraction) => fraction > 0 && fraction < 1)).toBe(true);
    expect([...within].sort((a, b) => a - b)).toEqual(within);
  });
});
