import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRuns } from '../packages/uet-tag/src/cli/formatRuns.js';
import { runsReport } from '../packages/uet-tag/src/cli/jsonReport.js';
import { loadScenario, parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import type { Scenario } from '../packages/uet-tag/src/simulation/scenario.js';
import {
  type RunsResult,
  simulateRuns,
  spreadOf,
} from '../packages/uet-tag/src/simulation/simulateRuns.js';
import {
  simulateScenario,
  simulateTag,
} from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { StatusTally } from '../packages/uet-tag/src/timelines/StatusTally.js';
import { TagProcessor } from '../packages/uet-tag/src/timelines/TagProcessor.js';
import {
  buildTimeline,
  type SubjectTimeline,
  type TrackingStatus,
} from '../packages/uet-tag/src/timelines/timeline.js';
import { scenarioArbitrary, scenarioFile } from './support/randomScenario.js';

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

/** `--runs` as it was computed before summaries streamed: from each run's full timelines. */
function runsFromTimelines(scenario: Scenario, runs: number) {
  const seeds = Array.from({ length: runs }, (_, index) => (scenario.seed + index) >>> 0);
  const perRun = seeds.map((seed) => simulateScenario(scenario, { seed }).timelines);
  return {
    name: scenario.name,
    start: scenario.start,
    end: scenario.end,
    seeds,
    subjects: (perRun[0] ?? []).map((first, index) => {
      const { tagId, goalId, goalType } = first;
      const timelines = perRun.map((timelines) => timelines[index] as SubjectTimeline);
      const statuses = [...new Set(timelines.flatMap((t) => Object.keys(t.timeInStatus)))];
      return {
        ...(goalId === undefined ? { tagId } : { tagId, goalId, goalType }),
        timeInStatus: Object.fromEntries(
          statuses.map((status) => [
            status,
            spreadOf(timelines.map((t) => t.timeInStatus[status as TrackingStatus] ?? 0)),
          ]),
        ),
        changes: spreadOf(timelines.map((t) => t.changes)),
      };
    }),
  };
}

/** The `--runs` report exactly as printed, text and JSON. */
const printed = (runs: RunsResult) => [formatRuns(runs), JSON.stringify(runsReport(runs))];

describe('simulateRuns keeps no status change', () => {
  const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples');
  const files = readdirSync(examples).filter((file) => /\.(ya?ml|json)$/.test(file));

  for (const file of files) {
    it(`examples/${file}: prints exactly the --runs report computed from full timelines`, async () => {
      const scenario = await loadScenario(path.join(examples, file));
      expect(printed(simulateRuns(scenario, 3))).toEqual(
        printed(runsFromTimelines(scenario, 3) as RunsResult),
      );
    });
  }

  it('random scenarios: every run summary is that of the full timelines, key order included', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (shape) => {
        const scenario = parseScenario(JSON.stringify(scenarioFile(shape)), 'json');
        expect(printed(simulateRuns(scenario, 2))).toEqual(
          printed(runsFromTimelines(scenario, 2) as RunsResult),
        );
        scenario.tags.forEach((tag, tagIndex) => {
          const streaming = new TagProcessor(tag.id, scenario.start, scenario.windows, {
            retainChanges: false,
          });
          const keeping = new TagProcessor(tag.id, scenario.start, scenario.windows);
          simulateTag(scenario, tagIndex, scenario.seed, streaming);
          simulateTag(scenario, tagIndex, scenario.seed, keeping);
          expect(streaming.changes).toEqual([]);
          const summaries = keeping
            .timelines(scenario.end)
            .map(({ intervals: _, ...summary }) => summary);
          expect(JSON.stringify(streaming.summaries(scenario.end))).toBe(JSON.stringify(summaries));
        });
      }),
      { numRuns: 15 },
    );
  });
});

describe('StatusTally', () => {
  const statuses = ['Unverified', 'Active', 'Inactive', 'TagInactive'] as const;
  const change = fc.record({
    to: fc.constantFrom(...statuses),
    effective: fc.integer({ min: -50, max: 50 }),
    wait: fc.integer({ min: 0, max: 40 }),
  });

  it('D5: summarises any change sequence exactly as buildTimeline, with effective times after the time noticed and ends before them', () => {
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 12 }),
        fc.integer({ min: 0, max: 60 }),
        (steps, extra) => {
          const subject = { tagId: 't' };
          const tally = new StatusTally(subject, 'Unverified', 100);
          const changes: { from: TrackingStatus; to: TrackingStatus; effectiveAt: number }[] = [];
          let status: TrackingStatus = 'Unverified';
          let now = 100;
          for (const step of steps) {
            now += step.wait;
            const effectiveAt = now + step.effective;
            tally.add(status, step.to, effectiveAt, now);
            changes.push({ from: status, to: step.to, effectiveAt });
            status = step.to;
          }
          const end = now + extra;
          const { intervals: _, ...expected } = buildTimeline(
            subject,
            'Unverified',
            100,
            changes,
            end,
          );
          expect(JSON.stringify(tally.summary(end))).toBe(JSON.stringify(expected));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a change from a status the subject is not in', () => {
    const tally = new StatusTally({ tagId: 'shop', goalId: 'g' }, 'Active', 0);
    expect(() => tally.add('Inactive', 'Active', 5, 5)).toThrow(
      'internal: shop/g changed from Inactive while Active at 5',
    );
  });
});
