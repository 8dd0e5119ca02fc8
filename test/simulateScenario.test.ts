import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import {
  PROGRESS_PER_TAG,
  simulateScenario,
} from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { simulateWithActors } from '../packages/uet-tag/src/simulation/simulateWithActors.js';
import {
  ConversionGoalType,
  isTagBasedGoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { DAY_MS, HOUR_MS } from '../packages/uet-tag-status/src/windows.js';
import { awkwardGoalId } from './support/awkwardIds.js';
import { oracleTimelines, visibleTimeline } from './support/simulationOracle.js';

const START = Date.parse('2024-01-01T00:00:00Z');
const goalTypes = Object.values(ConversionGoalType);

/** Offsets within a horizon, as fractions so that they scale with it. */
const fraction = fc.double({ min: 0, max: 0.999, noNaN: true });
const interval = fc.tuple(fraction, fc.double({ min: 0.001, max: 0.3, noNaN: true }));

const goalArbitrary = fc.record({
  type: fc.constantFrom(...goalTypes),
  attachedAt: fc.option(fraction, { nil: undefined }),
  conversions: fc.array(fraction, { maxLength: 5 }),
  conversionRate: fc.option(fc.double({ min: 0, max: 0.3, noNaN: true }), { nil: undefined }),
  conversionsPerHour: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }),
  outages: fc.array(interval, { maxLength: 2 }),
});

const tagArbitrary = fc.record({
  installedAt: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }),
  ratePerHour: fc.option(fc.double({ min: 0.2, max: 4, noNaN: true }), { nil: undefined }),
  daily: fc.option(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 24, maxLength: 24 }), {
    nil: undefined,
  }),
  hits: fc.array(fraction, { maxLength: 20 }),
  outages: fc.array(interval, { maxLength: 2 }),
  randomOutages: fc.boolean(),
  accessLost: fc.array(interval, { maxLength: 2 }),
  goals: fc.array(goalArbitrary, { maxLength: 3 }),
});

const scenarioArbitrary = fc.record({
  hours: fc.integer({ min: 12, max: 24 * 20 }),
  activityHours: fc.integer({ min: 1, max: 48 }),
  conversionHours: fc.integer({ min: 1, max: 24 * 10 }),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  tags: fc.array(tagArbitrary, { minLength: 1, maxLength: 2 }),
});

type ScenarioShape = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** A valid scenario file from the random shape: inputs kept inside their constraints. */
function scenarioFile(shape: ScenarioShape) {
  const horizon = shape.hours * HOUR_MS;
  const at = (part: number) => START + Math.floor(part * horizon);
  const within = ([from, length]: [number, number]) => ({
    from: at(from),
    to: Math.min(at(from) + Math.max(1, Math.floor(length * horizon)), START + horizon),
  });
  return {
    name: 'random',
    start: START,
    end: START + horizon,
    seed: shape.seed,
    windows: {
      activity: shape.activityHours * HOUR_MS,
      conversion: shape.conversionHours * HOUR_MS,
    },
    tags: shape.tags.map((tag, tagIndex) => {
      const installedAt = at(tag.installedAt ?? 0);
      const outages = tag.outages.map(within);
      const inOutage = (time: number) => outages.some((o) => time >= o.from && time < o.to);
      const accessLost = [...tag.accessLost]
        .map(within)
        .sort((a, b) => a.from - b.from)
        .filter((lost, index, all) => index === 0 || lost.from > (all[index - 1]?.to ?? 0));
      return {
        id: `tag${tagIndex}`,
        installedAt,
        hits: tag.hits.map(at).filter((time) => time >= installedAt && !inOutage(time)),
        ...(tag.ratePerHour === undefined
          ? {}
          : {
              traffic: {
                ratePerHour: tag.ratePerHour,
                ...(tag.daily?.some((w) => w > 0) ? { daily: tag.daily } : {}),
              },
            }),
        outages,
        ...(tag.randomOutages
          ? { randomOutages: { perWeek: 3, minDuration: '1h', maxDuration: '30h' } }
          : {}),
        accessLost,
        goals: tag.goals.map((goal, goalIndex) => {
          const attachedAt = at(goal.attachedAt ?? 0);
          const earliest = isTagBasedGoalType(goal.type)
            ? Math.max(attachedAt, installedAt)
            : attachedAt;
          return {
            id: awkwardGoalId(goalIndex),
            type: goal.type,
            attachedAt,
            conversions: goal.conversions.map(at).filter((time) => time >= earliest),
            ...(goal.conversionRate === undefined ? {} : { conversionRate: goal.conversionRate }),
            ...(goal.conversionsPerHour === undefined || isTagBasedGoalType(goal.type)
              ? {}
              : { conversionsPerHour: goal.conversionsPerHour }),
            outages: goal.outages.map(within),
          };
        }),
      };
    }),
  };
}

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
