import fc from 'fast-check';
import { isoTime } from 'uet-tag-status';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../packages/uet-tag/src/cli/cliIo.js';
import { formatTimelines } from '../packages/uet-tag/src/cli/formatTimelines.js';
import { timelinesJson } from '../packages/uet-tag/src/cli/jsonReport.js';
import {
  writeSimulationJson,
  writeSimulationText,
} from '../packages/uet-tag/src/cli/writeSimulation.js';
import { loadScenario, parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import type { Scenario } from '../packages/uet-tag/src/simulation/scenario.js';
import { simulateTag, simulateToLog } from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { formatDuration, formatTime } from '../packages/uet-tag/src/time.js';
import { TagProcessor } from '../packages/uet-tag/src/timelines/TagProcessor.js';
import { scenarioArbitrary, scenarioFile } from './support/randomScenario.js';

/*
 * `uet-tag simulate` keeps a run in a SimulationLog (typed arrays) and writes its report
 * from it one timeline and one change at a time. These tests check that the log gives
 * back exactly the timelines and change records a TagProcessor keeps per tag, that the
 * reports written from it are exactly the whole reports built at once, and that the log
 * holds a change in at most 44 bytes.
 */

const EXAMPLES = [
  'examples/fortnight.yaml',
  'examples/goalStopsConverting.yaml',
  'examples/lowTrafficFlapping.yaml',
  'examples/newTag.json',
  'examples/shopVisits.yaml',
  'examples/weekendOutage.yaml',
];

/** The timelines and changes of a run as each tag's own processor keeps them. */
function keptByProcessors(scenario: Scenario) {
  const timelines = [];
  const changes = [];
  let hits = 0;
  let conversions = 0;
  for (const [tagIndex, tag] of scenario.tags.entries()) {
    const processor = new TagProcessor(tag.id, scenario.start, scenario.windows);
    const counts = simulateTag(scenario, tagIndex, scenario.seed, processor);
    hits += counts.hits;
    conversions += counts.conversions;
    timelines.push(...processor.timelines(scenario.end));
    changes.push(...processor.changes);
  }
  return { timelines, changes, inputs: { hits, conversions } };
}

/** An io that keeps what is written to stdout (text or UTF-8 bytes), and the length of each write. */
function capture(): { io: CliIo; text: () => string; pieces: () => number[] } {
  const written: (string | Uint8Array)[] = [];
  const io: CliIo = {
    stdout: { write: (chunk: string | Uint8Array) => written.push(chunk) },
    stderr: { write: () => true },
    setExitCode: () => {},
  };
  return {
    io,
    text: () => written.map((chunk) => Buffer.from(chunk).toString('utf8')).join(''),
    pieces: () => written.map((piece) => piece.length),
  };
}

/** The whole text report, built at once from the processors' timelines. */
function wholeText(scenario: Scenario): string {
  const kept = keptByProcessors(scenario);
  const { windows } = scenario;
  return [
    `${scenario.name} (seed ${scenario.seed}): ${formatTime(scenario.start)} to ${formatTime(scenario.end)} (${formatDuration(scenario.end - scenario.start, 3)})`,
    `windows: activity ${formatDuration(windows.activityWindowMs)}, conversion ${formatDuration(windows.conversionWindowMs)}; inputs: ${kept.inputs.hits} hits, ${kept.inputs.conversions} conversions`,
    '',
    formatTimelines(kept.timelines),
  ].join('\n');
}

/** The whole `--json` report, built at once and printed by `JSON.stringify`. */
function wholeJson(scenario: Scenario): string {
  const kept = keptByProcessors(scenario);
  const report = {
    schema: 'simulate-report.v1',
    name: scenario.name,
    seed: scenario.seed,
    start: scenario.start,
    startTime: isoTime(scenario.start),
    end: scenario.end,
    endTime: isoTime(scenario.end),
    windows: scenario.windows,
    inputs: kept.inputs,
    timelines: timelinesJson(kept.timelines),
    changes: kept.changes,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

describe('SimulationLog and the reports written from it', () => {
  for (const example of EXAMPLES) {
    it(`${example}: the log gives back every timeline and change record the processors keep, and the reports written from it are the whole reports`, async () => {
      const scenario = await loadScenario(example);
      const { log } = simulateToLog(scenario);
      const kept = keptByProcessors(scenario);
      expect([...log.timelines()]).toEqual(kept.timelines);
      expect([...log.changes()]).toEqual(kept.changes);
      expect(log.changeCount).toBe(kept.changes.length);
      const text = capture();
      writeSimulationText(text.io, simulateToLog(scenario));
      expect(text.text()).toBe(wholeText(scenario));
      const json = capture();
      writeSimulationJson(json.io, simulateToLog(scenario));
      expect(json.text()).toBe(wholeJson(scenario));
    });
  }

  it('random scenarios: timelines, change records and both reports are exactly those built at once', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (shape) => {
        const scenario = parseScenario(JSON.stringify(scenarioFile(shape)), 'json');
        const { log } = simulateToLog(scenario);
        const kept = keptByProcessors(scenario);
        expect([...log.timelines()]).toEqual(kept.timelines);
        expect(JSON.stringify([...log.changes()])).toBe(JSON.stringify(kept.changes));
        const json = capture();
        writeSimulationJson(json.io, simulateToLog(scenario));
        expect(json.text()).toBe(wholeJson(scenario));
        const text = capture();
        writeSimulationText(text.io, simulateToLog(scenario));
        expect(text.text()).toBe(wholeText(scenario));
      }),
      { numRuns: 60, seed: 14 },
    );
  }, 120_000);

  it('a run of 100,000+ changes is held in at most 44 bytes a change and written in pieces of at most 1 MiB', () => {
    const scenario = parseScenario(
      JSON.stringify({
        name: 'flapping',
        start: '2024-01-01T00:00:00Z',
        end: '+365d',
        seed: 9,
        tags: Array.from({ length: 200 }, (_, index) => ({
          id: `tag${index}`,
          traffic: { ratePerHour: 0.04 },
          goals: [{ id: 'signup', type: 'Url', conversionRate: 0.1 }],
        })),
      }),
      'json',
    );
    const run = simulateToLog(scenario);
    expect(run.log.changeCount).toBeGreaterThan(100_000);
    expect(run.log.changeBytes() / run.log.changeCount).toBeLessThanOrEqual(44);
    const json = capture();
    writeSimulationJson(json.io, run);
    expect(JSON.parse(json.text()).changes).toHaveLength(run.log.changeCount);
    const pieces = json.pieces();
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces.slice(0, -1)) {
      expect(piece).toBeLessThanOrEqual(2 ** 20);
      // A piece ends before the item that might not fit (room for 3 bytes a character):
      // a timeline of a few hundred intervals at most.
      expect(piece).toBeGreaterThan(2 ** 20 - 2 ** 19);
    }
  }, 120_000);
});
