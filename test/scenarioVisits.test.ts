import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import { ScenarioError } from '../packages/uet-tag/src/simulation/ScenarioError.js';
import { simulateScenario } from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { logInputs, oracleTimelines, visibleTimeline } from './support/simulationOracle.js';

/*
 * Scenarios whose goals are given in the API's shape and whose traffic is made of visits
 * (SPEC A1, A2, M1–M7): goals convert by their definitions, deterministically from the seed.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shopVisits = fs.readFileSync(path.join(repoRoot, 'examples/shopVisits.yaml'), 'utf8');

/** A one-day scenario of tag 5 with the given goals and visits. */
function scenarioWith(conversionGoals: object[], visits: object, seed = 3) {
  return JSON.stringify({
    name: 'visits',
    start: '2025-04-07T00:00:00Z',
    end: '+1d',
    seed,
    tags: [{ id: '5', traffic: { ratePerHour: 20 }, conversionGoals, visits }],
  });
}

const conversionsByGoal = (text: string) => {
  const scenario = parseScenario(text, 'json');
  const counts: Record<string, number> = {};
  for (const input of logInputs(scenario, 0, scenario.seed)) {
    if (input.kind === 'conversion') counts[input.goal.id] = (counts[input.goal.id] ?? 0) + 1;
  }
  return counts;
};

describe('scenarios with goals in the API shape and visits', () => {
  it('R7 G7 examples/shopVisits.yaml: every timeline is what the oracle computes from the same inputs', () => {
    const scenario = parseScenario(shopVisits, 'yaml');
    const result = simulateScenario(scenario);
    expect(result.timelines.map(visibleTimeline)).toEqual(
      oracleTimelines(scenario, 0, scenario.seed),
    );
    expect(result.timelines.map((timeline) => timeline.goalId)).toEqual([
      undefined,
      '46001001',
      '46001002',
      '46001003',
      '46001004',
      '46001005',
    ]);
  });

  it('the same seed gives the same visits and conversions; another seed others', () => {
    const scenario = parseScenario(shopVisits, 'yaml');
    const first = logInputs(scenario, 0, scenario.seed);
    expect(logInputs(scenario, 0, scenario.seed)).toEqual(first);
    expect(first.filter((input) => input.kind === 'conversion').length).toBeGreaterThan(100);
    expect(logInputs(scenario, 0, scenario.seed + 1)).not.toEqual(first);
  });

  it('M3 M4 A2 goals convert by their definitions: a page never viewed, a value never reached and a paused goal never convert', () => {
    const counts = conversionsByGoal(
      scenarioWith(
        [
          {
            Id: 1,
            TagId: 5,
            Type: 'Url',
            UrlExpression: 'shop.example/thanks',
            UrlOperator: 'BeginsWith',
          },
          { Id: 2, TagId: 5, Type: 'Url', UrlExpression: '/checkout', UrlOperator: 'Contains' },
          {
            Id: 3,
            TagId: 5,
            Type: 'Event',
            ActionExpression: 'add',
            ActionOperator: 'Equals',
            Value: 50,
            ValueOperator: 'GreaterThan',
          },
          {
            Id: 4,
            TagId: 5,
            Type: 'Event',
            ActionExpression: 'add',
            ActionOperator: 'Equals',
            Value: 20,
            ValueOperator: 'LessThan',
          },
          {
            Id: 5,
            TagId: 5,
            Type: 'Url',
            UrlExpression: 'thanks',
            UrlOperator: 'Contains',
            Status: 'Paused',
          },
          {
            Id: 6,
            TagId: 5,
            Type: 'Url',
            UrlExpression: 'thanks',
            UrlOperator: 'Contains',
            Status: 'Deleted',
          },
        ],
        {
          landingPages: ['https://shop.example/'],
          pages: ['https://shop.example/thanks', 'https://shop.example/p'],
          events: [{ action: 'add', value: { min: 30, max: 90 }, probability: 0.5 }],
        },
      ),
    );
    expect(Object.keys(counts).sort()).toEqual(['1', '3']);
    expect(counts['1']).toBeGreaterThan(20);
    expect(counts['3']).toBeGreaterThan(20);
  });

  it('M5 M6 visit goals and attribution follow the visits: one page never makes three, and ad clicks bring msclkid', () => {
    const onePage = conversionsByGoal(
      scenarioWith(
        [
          { Id: 1, TagId: 5, Type: 'PagesViewedPerVisit', MinimumPagesViewed: 2 },
          { Id: 2, TagId: 5, Type: 'Url', UrlExpression: 'msclkid=', UrlOperator: 'Contains' },
        ],
        { landingPages: ['https://shop.example/'], adClickShare: 0 },
      ),
    );
    expect(onePage).toEqual({});
    const clicked = conversionsByGoal(
      scenarioWith(
        [
          { Id: 1, TagId: 5, Type: 'PagesViewedPerVisit', MinimumPagesViewed: 2 },
          { Id: 2, TagId: 5, Type: 'Url', UrlExpression: 'msclkid=', UrlOperator: 'Contains' },
        ],
        {
          landingPages: ['https://shop.example/'],
          pages: ['https://shop.example/p'],
          pagesPerVisit: 4,
          adClickShare: 1,
        },
      ),
    );
    expect(clicked['1']).toBeGreaterThan(100);
    expect(clicked['2']).toBeGreaterThan(200);
  });

  it('A1 M2 D4 bad goals and visits are refused naming their path', () => {
    const parse = (text: string) => {
      try {
        parseScenario(text, 'json');
      } catch (error) {
        return error;
      }
      throw new Error('accepted');
    };
    const failure = parse(
      scenarioWith(
        [
          { Id: 1, TagId: 6, Type: 'Url', UrlExpression: 'a', UrlOperator: 'Contains' },
          {
            Id: 2,
            TagId: 5,
            Type: 'Url',
            UrlExpression: '(?<n>a)\\k<n>',
            UrlOperator: 'RegularExpression',
          },
        ],
        { landingPages: [], adClickShare: 2 },
      ),
    );
    expect(failure).toBeInstanceOf(ScenarioError);
    expect((failure as ScenarioError).issues.map((issue) => issue.path)).toEqual([
      'tags[0].visits.landingPages',
      'tags[0].visits.adClickShare',
    ]);
    const goalsRefused = parse(
      scenarioWith(
        [
          { Id: 1, TagId: 6, Type: 'Url', UrlExpression: 'a', UrlOperator: 'Contains' },
          {
            Id: 2,
            TagId: 5,
            Type: 'Url',
            UrlExpression: '(?<n>a)\\k<n>',
            UrlOperator: 'RegularExpression',
          },
        ],
        { landingPages: ['https://a.example/'] },
      ),
    ) as ScenarioError;
    expect(goalsRefused.issues.map((issue) => issue.path)).toEqual([
      'tags[0].conversionGoals[0].TagId',
      'tags[0].conversionGoals[1].UrlExpression',
    ]);
    expect(goalsRefused.message).toMatch(/goal "2" uses/);
    const noTraffic = parse(
      JSON.stringify({
        name: 'x',
        start: '2025-04-07T00:00:00Z',
        end: '+1d',
        tags: [{ id: '5', visits: { landingPages: ['https://a.example/'] } }],
      }),
    ) as ScenarioError;
    expect(noTraffic.issues.map((issue) => issue.path)).toEqual(['tags[0].traffic']);
  });
});
