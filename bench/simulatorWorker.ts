/**
 * One side of the simulator benchmark, run in its own process so that its time and peak
 * memory are its own: `node --import tsx bench/simulatorWorker.ts '<json parameters>'`.
 * Prints one JSON object on stdout. See `bench/simulator.ts`.
 */

import { parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import type { Scenario } from '../packages/uet-tag/src/simulation/scenario.js';
import {
  type SimulationResult,
  simulateScenario,
} from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { simulateWithActors } from '../packages/uet-tag/src/simulation/simulateWithActors.js';
import { visitTagInputs } from '../packages/uet-tag/src/simulation/tagInputs.js';
import type { SubjectTimeline } from '../packages/uet-tag/src/timelines/timeline.js';
import type { StatusChange } from '../packages/uet-tag-status/src/runtime/statusChange.js';

/** What the parent asks for. */
export interface WorkerParameters {
  /** `baseline` (load only), `generate` (hits only), `engine` or `actors`. */
  readonly side: 'baseline' | 'generate' | 'engine' | 'actors';
  /** How many tags the scenario has. */
  readonly tags: number;
  /** Simulate only the first `only` tags (all when absent). */
  readonly only?: number;
  /** How many of the first tags' timelines to print, for the equality check. */
  readonly compare: number;
  /** The horizon in days. */
  readonly days: number;
}

/** What a side reports. */
export interface WorkerReport {
  readonly side: WorkerParameters['side'];
  readonly tags: number;
  readonly hits: number;
  readonly changes: number;
  readonly ms: number;
  /** Peak resident set size of the process, MB. */
  readonly maxRssMb: number;
  /** Highest heap in use seen between tags, MB. */
  readonly peakHeapMb: number;
  readonly timelines: readonly SubjectTimeline[];
  readonly effectiveChanges: readonly string[];
}

/** Every hour's relative weight: busy in the day, quiet at night (UTC). */
const DAILY = [2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 9, 9, 9, 9, 8, 7, 6, 5, 4, 3, 3, 2];

/**
 * The benchmark scenario: tags at one hit a minute on average (shaped by hour of day)
 * with random outages (half a week on average, 1 hour to 3 days long), each with a Url
 * goal converting 0.2 % of hits.
 */
export function benchmarkScenario(tags: number, days: number): Scenario {
  return parseScenario(
    JSON.stringify({
      name: 'simulator benchmark',
      start: '2023-01-01T00:00:00Z',
      end: `+${days}d`,
      seed: 2023,
      tags: Array.from({ length: tags }, (_, index) => ({
        id: `tag${index}`,
        traffic: { ratePerHour: 60, daily: DAILY },
        randomOutages: { perWeek: 0.5, minDuration: '1h', maxDuration: '3d' },
        goals: [{ id: 'purchase', type: 'Url', conversionRate: 0.002 }],
      })),
    }),
    'json',
  );
}

function heapMb(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** A change as a line of text without its noticed time (the two sides notice differently). */
function effectiveChange(change: StatusChange): string {
  const goal = change.kind === 'goal' ? `/${change.goalId}` : '';
  return `${change.tagId}${goal} ${change.from} -> ${change.to} at ${change.effectiveAt}`;
}

function run(parameters: WorkerParameters): WorkerReport {
  const full = benchmarkScenario(parameters.tags, parameters.days);
  const scenario =
    parameters.only === undefined ? full : { ...full, tags: full.tags.slice(0, parameters.only) };
  let peakHeapMb = heapMb();
  const onProgress = () => {
    peakHeapMb = Math.max(peakHeapMb, heapMb());
  };
  const started = performance.now();
  let result: SimulationResult | undefined;
  let hits = 0;
  if (parameters.side === 'generate') {
    for (let tagIndex = 0; tagIndex < scenario.tags.length; tagIndex++) {
      hits += visitTagInputs(scenario, tagIndex, scenario.seed, ignoreInputs).hits;
      onProgress();
    }
  } else if (parameters.side === 'engine') {
    result = simulateScenario(scenario, { onProgress });
  } else if (parameters.side === 'actors') {
    result = simulateWithActors(scenario, { onProgress });
  }
  const ms = performance.now() - started;
  const compared = new Set(scenario.tags.slice(0, parameters.compare).map((tag) => tag.id));
  return {
    side: parameters.side,
    tags: scenario.tags.length,
    hits: result?.inputs.hits ?? hits,
    changes: result?.changes.length ?? 0,
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb,
    timelines: (result?.timelines ?? []).filter((timeline) => compared.has(timeline.tagId)),
    effectiveChanges: (result?.changes ?? [])
      .filter((change) => compared.has(change.tagId))
      .map(effectiveChange),
  };
}

const ignoreInputs = {
  goalAttached: () => {},
  accessChanged: () => {},
  hit: () => {},
  conversion: () => {},
};

const argument = process.argv[2];
if (argument !== undefined) {
  process.stdout.write(`${JSON.stringify(run(JSON.parse(argument) as WorkerParameters))}\n`);
}
