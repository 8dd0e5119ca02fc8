/**
 * The monitor against the floor and against what an app would write instead, on the same
 * hits: a raw loop updating a `Map` of last-seen times, the monitor in memory (one call
 * per hit, and batches), the monitor on SQLite (batches), and one XState actor per tag
 * with a real timer each, at 10,000, 100,000 and 1,000,000 tags. Also bytes kept per tag at
 * 100,000 and 1,000,000 tags, and the time to process 1,000,000 silences falling due at once. Each measurement runs in its
 * own Node process (with `--expose-gc` for the memory ones). Run: `npm run bench -- monitor`.
 */
import { execFile } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_HISTORY_LIMIT } from '../packages/uet-tag-status/src/monitor/monitorOptions.js';
import type { MemoryWay, MonitorWorkerParameters, RateSide } from './monitorWorker.js';
import { median } from './statistics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const worker = path.join(here, 'monitorWorker.ts');
const run$ = promisify(execFile);

/** The sizes measured. */
export const SIZES = {
  /**
   * The rate comparisons: how many tags, and in how many rounds the raw loop, the
   * in-memory monitor and the actors each run once (fewer at a million tags, where setting
   * up the actors alone takes about a minute).
   */
  rateRuns: [
    { tags: 10_000, rounds: 5 },
    { tags: 100_000, rounds: 7 },
    { tags: 1_000_000, rounds: 3 },
  ],
  /** Hits of every rate comparison. */
  rateHits: 2_000_000,
  /** The actor-per-tag side gets the first hits of the same sequence (it is slow). */
  actorHits: 100_000,
  memoryTags: [100_000, 1_000_000],
  silenceTags: 1_000_000,
  sqliteSilenceTags: 100_000,
} as const;

async function measure<T>(parameters: MonitorWorkerParameters): Promise<T> {
  const { stdout } = await run$(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=16384',
      '--import',
      'tsx',
      worker,
      JSON.stringify(parameters),
    ],
    { maxBuffer: 2 ** 20 },
  );
  return JSON.parse(stdout) as T;
}

type RoundSide = RateSide;
interface RatesReport {
  /** Each side's rate in every round. */
  readonly hitsPerSecond: Readonly<Record<RoundSide, readonly number[]>>;
  readonly databaseBytes: number;
}

/** A side's rate over another's, round by round: the median and the range. */
function roundRatios(side: readonly number[], other: readonly number[]) {
  const ratios = side.map((rate, round) => rate / (other[round] as number));
  return { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}
interface MemoryReport {
  readonly bytesPerTag: number;
}
interface SilencesReport {
  readonly tags: number;
  readonly activationSeconds: number;
  readonly stormSeconds: number;
  readonly silenced: number;
  readonly inactive: number;
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number) => (value >= 10 ? value.toFixed(0) : value.toFixed(2));
const verdict = (met: boolean) => (met ? 'met' : '**missed**');

/** The most rounds of any rate comparison (the columns of the every-round table). */
const MOST_ROUNDS = Math.max(...SIZES.rateRuns.map(({ rounds }) => rounds));

/** One rate comparison's figures, as Markdown table rows and a line of target verdicts. */
function describeRates(tags: number, rates: RatesReport) {
  const rounds = rates.hitsPerSecond;
  const rate = (side: RoundSide) => median(rounds[side]);
  const vsRaw = (side: RoundSide) => roundRatios(rounds[side], rounds.raw);
  const vsActors = (side: RoundSide) => roundRatios(rounds[side], rounds.actors);
  const spread = ({ median: middle, low, high }: ReturnType<typeof roundRatios>) =>
    `${ratio(middle)} (${ratio(low)}–${ratio(high)})`;
  const bestMemory = roundRatios(
    rounds.sqlite,
    rounds.perCall.map((perCall, round) => Math.max(perCall, rounds.batch[round] as number)),
  );
  const rateRow = (label: string, side: RoundSide) =>
    `| ${integer(tags)} | ${label} | ${integer(rate(side))} | ${side === 'raw' ? '1' : spread(vsRaw(side))} | ${side === 'actors' ? '1' : `${spread(vsActors(side))}×`} |`;
  const sides = ['raw', 'perCall', 'batch', 'sqlite', 'actors'] as const;
  return {
    summary: [
      rateRow('floor: id → index `Map`, last-seen times in a `Float64Array`', 'raw'),
      rateRow('monitor in memory, one `recordActivity` per hit', 'perCall'),
      rateRow('monitor in memory, `apply` batches of 10,000', 'batch'),
      rateRow('monitor on SQLite, `apply` batches of 10,000', 'sqlite'),
      rateRow('one XState actor per tag + one `setTimeout` per tag', 'actors'),
    ],
    rounds: sides.map(
      (side) =>
        `| ${integer(tags)} | ${side} | ${Array.from({ length: MOST_ROUNDS }, (_, round) => (round < rounds[side].length ? integer(rounds[side][round] as number) : '')).join(' | ')} |`,
    ),
    targets: `- ${integer(tags)} tags: in memory at least 1/4 of the floor: per call ${ratio(vsRaw('perCall').median)} (${verdict(vsRaw('perCall').median >= 0.25)}), batches ${ratio(vsRaw('batch').median)} (${verdict(vsRaw('batch').median >= 0.25)}); at least 50× actor per tag: per call ${ratio(vsActors('perCall').median)}× (${verdict(vsActors('perCall').median >= 50)}), batches ${ratio(vsActors('batch').median)}× (${verdict(vsActors('batch').median >= 50)}), where the floor itself was ${ratio(vsActors('raw').median)}×; SQLite batches at least 1/10 of the faster in-memory side of the same round: ${spread(bestMemory)} (${verdict(bestMemory.median >= 0.1)}). SQLite file after the rounds: ${integer(rates.databaseBytes / 2 ** 20)} MiB.`,
  };
}

/** Runs every measurement and returns the `## Monitor` section of BENCHMARKS.md. */
export async function run(): Promise<string> {
  const load = loadavg().map((value) => value.toFixed(1));
  const rateRuns: ReturnType<typeof describeRates>[] = [];
  for (const { tags, rounds } of SIZES.rateRuns) {
    const report = await measure<RatesReport>({
      mode: 'rates',
      tags,
      hits: SIZES.rateHits,
      actorHits: SIZES.actorHits,
      rounds,
    });
    rateRuns.push(describeRates(tags, report));
  }
  const memory: Record<string, number> = {};
  for (const tags of SIZES.memoryTags) {
    for (const way of ['monitor', 'fullHistory', 'map', 'actors'] as const) {
      const report = await measure<MemoryReport>({ mode: 'memory', way, tags });
      memory[`${way}:${tags}`] = report.bytesPerTag;
    }
  }
  const storm = await measure<SilencesReport>({
    mode: 'silences',
    tags: SIZES.silenceTags,
    store: 'memory',
  });
  const sqliteStorm = await measure<SilencesReport>({
    mode: 'silences',
    tags: SIZES.sqliteSilenceTags,
    store: 'sqlite',
  });

  const bytesAt = (way: MemoryWay, tags: number) => memory[`${way}:${tags}`] as number;
  const rateSizes = SIZES.rateRuns.map(({ tags }) => integer(tags)).join(', ');
  return [
    '## Monitor',
    '',
    `Reproduce: \`npm run bench -- monitor\` (about seven minutes, up to 6 GB of memory). Measured on ${cpus().length} shared cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average ${load.join(' / ')} at the start; other work ran on the machine at the same time, so absolute rates move from run to run, ratios less.`,
    '',
    `### Hits per second (the same ${integer(SIZES.rateHits)} hits on ${rateSizes} tags)`,
    '',
    `Hits are spread uniformly over the tags, one every 0.5 ms, one in ten up to 10 minutes late (out of order); every tag is \`Active\` before timing starts, so these are the steady state. Each round has its own hits, later than every earlier round's, with fresh id strings (as a parser makes them, not the registered ones). Each number of tags is measured in its own process, in rounds (${SIZES.rateRuns.map(({ tags, rounds }) => `${rounds} at ${integer(tags)} tags`).join(', ')}); in every round each side runs once on that round's hits, in an order rotated from round to round, so that each round compares them under the same load: the floor, the monitor in memory (one call per hit; batches, on a second monitor), the monitor on SQLite (\`synchronous = FULL\`, one commit per batch), and the actors on the first ${integer(SIZES.actorHits)} (all of them would take about a minute per round). The floor is what a careful engineer writes for last-seen times: one \`Map\` lookup of the tag's index and one \`Float64Array\` read and write per hit; the monitor does that and more (validation, status, the hit log for the store). Rates are medians over the rounds; ratios are taken within each round, as the median and (in brackets) the lowest and highest round.`,
    '',
    '| tags | side | hits/s | vs floor | vs actor per tag |',
    '|---:|---|---:|---:|---:|',
    ...rateRuns.flatMap(({ summary }) => summary),
    '',
    'Every round (hits/s):',
    '',
    `| tags | side | ${Array.from({ length: MOST_ROUNDS }, (_, round) => round + 1).join(' | ')} |`,
    `|---:|---|${Array.from({ length: MOST_ROUNDS }, () => '---:').join('|')}|`,
    ...rateRuns.flatMap(({ rounds }) => rounds),
    '',
    'Targets (medians of the rounds):',
    '',
    ...rateRuns.map(({ targets }) => targets),
    '',
    '### Bytes per tag',
    '',
    `Heap plus array buffers after \`global.gc()\`, less the same before, divided by the tags; the tag ids are created inside and counted. Every tag ends \`Active\`: after one hit (one change kept each), or with its history full (the default limit, ${DEFAULT_HISTORY_LIMIT} changes, reached on every tag: \`Active\` and \`Inactive\` in turns, a storm of silences and a hit per tag each time).`,
    '',
    `| tags | monitor, one change per tag | monitor, ${DEFAULT_HISTORY_LIMIT} changes per tag | \`Map\` of last-seen times | actor per tag + timer |`,
    '|---:|---:|---:|---:|---:|',
    ...SIZES.memoryTags.map(
      (tags) =>
        `| ${integer(tags)} | ${integer(bytesAt('monitor', tags))} | ${integer(bytesAt('fullHistory', tags))} | ${integer(bytesAt('map', tags))} | ${integer(bytesAt('actors', tags))} |`,
    ),
    '',
    `Target at most 200 bytes per tag at 1,000,000 tags with full histories: ${integer(bytesAt('fullHistory', 1_000_000))} (${verdict(bytesAt('fullHistory', 1_000_000) <= 200)}); with one change per tag ${integer(bytesAt('monitor', 1_000_000))}, so each kept change beyond the first costs ${integer((bytesAt('fullHistory', 1_000_000) - bytesAt('monitor', 1_000_000)) / (DEFAULT_HISTORY_LIMIT - 1))} bytes.`,
    '',
    '### Silences falling due at once',
    '',
    `| store | tags | activation (registration + first hit, batches) | silences processed | time for the silences |`,
    '|---|---:|---:|---:|---:|',
    `| memory | ${integer(storm.tags)} | ${storm.activationSeconds.toFixed(1)} s | ${integer(storm.silenced)} (${integer(storm.inactive)} tags \`Inactive\` after) | ${storm.stormSeconds.toFixed(1)} s |`,
    `| SQLite | ${integer(sqliteStorm.tags)} | ${sqliteStorm.activationSeconds.toFixed(1)} s | ${integer(sqliteStorm.silenced)} (${integer(sqliteStorm.inactive)} tags \`Inactive\` after) | ${sqliteStorm.stormSeconds.toFixed(1)} s |`,
    '',
    'All tags go `Active` within one second and the clock then jumps 24 hours: the single timer fires once and every silence is applied through a full machine step (`stepTag`), in effective-time order, then committed as one transaction. The time is dominated by the machine steps; the heap itself pops a million entries in a fraction of a second.',
    '',
  ].join('\n');
}
