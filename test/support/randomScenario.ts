/** Random valid scenarios for property tests of the simulator. */
import fc from 'fast-check';
import {
  ConversionGoalType,
  isTagBasedGoalType,
} from '../../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { HOUR_MS } from '../../packages/uet-tag-status/src/windows.js';
import { awkwardGoalId } from './awkwardIds.js';

/** The start of every random scenario. */
export const START = Date.parse('2024-01-01T00:00:00Z');
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

/** A random scenario's shape: tags, goals, traffic, outages and windows, as fractions of its horizon. */
export const scenarioArbitrary = fc.record({
  hours: fc.integer({ min: 12, max: 24 * 20 }),
  activityHours: fc.integer({ min: 1, max: 48 }),
  conversionHours: fc.integer({ min: 1, max: 24 * 10 }),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  tags: fc.array(tagArbitrary, { minLength: 1, maxLength: 2 }),
});

/** What {@link scenarioArbitrary} generates. */
export type ScenarioShape = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** A valid scenario file from the random shape: inputs kept inside their constraints. */
export function scenarioFile(shape: ScenarioShape) {
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
