/**
 * The audit's flapping scenario through the built `uet-tag simulate`, as whole processes:
 * 10,000 tags over a year, 0.04 hits an hour each, one `Url` goal converting 10 % of
 * hits (about 3.5 million hits and 5.6 million status changes). Sides, each a process
 * under GNU time with its report going to `/dev/null` (a file for `--runs`, to count the
 * changes), once per round in rotated order:
 * - floor: `bench/flappingFloor.mjs`, the scenario loaded and its inputs generated into
 *   no-op callbacks;
 * - `simulate --runs 1 --json`: the run summarised as it goes (no change kept);
 * - `simulate`: the text report (every interval of every tag and goal);
 * - `simulate --json`: the JSON report (every interval and change record).
 * Run: `npm run build && npm run bench -- simulator-flapping` (`SIMULATOR_FLAPPING_TAGS`,
 * `SIMULATOR_FLAPPING_ROUNDS`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './statistics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.join(here, '../packages/uet-tag/dist/bin/uet-tag.cjs');
const floorScript = path.join(here, 'flappingFloor.mjs');

/** The audit's figures for this scenario, before issue 14. */
const AUDIT_NS_PER_CHANGE = [12_000, 23_000];
const AUDIT_RSS_MB = 4_700;
const RSS_TARGET_MB = 1_024;

interface ProcessMeasure {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMb: number;
}

/** Runs Node on `args` under GNU time, its stdout to `outFile`; wall, processor time and peak RSS. */
function measure(args: readonly string[], outFile: string): ProcessMeasure {
  const started = performance.now();
  const result = spawnSync(
    '/usr/bin/time',
    ['-f', 'measured %U %S %M', 'sh', '-c', '"$0" "$@" > "$OUT"', process.execPath, ...args],
    { env: { ...process.env, OUT: outFile }, encoding: 'utf8', maxBuffer: 2 ** 26 },
  );
  const wallMs = performance.now() - started;
  const line = result.stderr.split('\n').find((text) => text.startsWith('measured '));
  if (result.status !== 0 || line === undefined) {
    throw new Error(`${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-2_000)}`);
  }
  const [user, system, rssKb] = line.split(' ').slice(1).map(Number) as [number, number, number];
  return { wallMs, cpuMs: (user + system) * 1_000, rssMb: rssKb / 1_024 };
}

function flappingScenario(tags: number) {
  return {
    name: 'flapping',
    start: '2024-01-01T00:00:00Z',
    end: '+365d',
    seed: 2024,
    tags: Array.from({ length: tags }, (_, index) => ({
      id: `tag${index}`,
      traffic: { ratePerHour: 0.04 },
      goals: [{ id: 'signup', type: 'Url', conversionRate: 0.1 }],
    })),
  };
}

const SIDES = ['floor', 'runs', 'text', 'json'] as const;
type Side = (typeof SIDES)[number];
const LABELS: Record<Side, string> = {
  floor: 'floor: scenario loaded, inputs generated into no-op callbacks',
  runs: '`uet-tag simulate --runs 1 --json` (summaries, no change kept)',
  text: '`uet-tag simulate` (text report of every interval)',
  json: '`uet-tag simulate --json` (every interval and change record)',
};

/** Runs the benchmark and returns its Markdown section for `BENCHMARKS.md`. */
export async function run(): Promise<string> {
  const tags = Number(process.env.SIMULATOR_FLAPPING_TAGS ?? 10_000);
  const rounds = Number(process.env.SIMULATOR_FLAPPING_ROUNDS ?? 3);
  const load = loadavg().map((value) => value.toFixed(1));
  const folder = await mkdtemp(path.join(tmpdir(), 'uet-flapping-'));
  const scenarioFile = path.join(folder, 'flapping.json');
  const runsFile = path.join(folder, 'runs.json');
  const floorFile = path.join(folder, 'hits.txt');
  await writeFile(scenarioFile, JSON.stringify(flappingScenario(tags)));
  const args: Record<Side, readonly string[]> = {
    floor: [floorScript, scenarioFile],
    runs: [bin, 'simulate', scenarioFile, '--runs', '1', '--json'],
    text: [bin, 'simulate', scenarioFile],
    json: [bin, 'simulate', scenarioFile, '--json'],
  };
  const outputs: Record<Side, string> = {
    floor: floorFile,
    runs: runsFile,
    text: '/dev/null',
    json: '/dev/null',
  };
  const measured: Record<Side, ProcessMeasure[]> = { floor: [], runs: [], text: [], json: [] };
  let changes = 0;
  let hits = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < SIDES.length; turn++) {
        const side = SIDES[(round + turn) % SIDES.length] as Side;
        measured[side].push(measure(args[side], outputs[side]));
      }
      hits = Number(await readFile(floorFile, 'utf8'));
      const report = JSON.parse(await readFile(runsFile, 'utf8')) as {
        subjects: { changes: { mean: number } }[];
      };
      changes = report.subjects.reduce((sum, subject) => sum + subject.changes.mean, 0);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const spread = (values: number[], digits = 0) =>
    `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
  const perChange = (side: Side, key: 'cpuMs' | 'wallMs') =>
    measured[side].map((m) => (m[key] * 1e6) / changes);
  const beyondFloor = (side: Side) =>
    measured[side].map(
      (m, round) => ((m.cpuMs - (measured.floor[round] as ProcessMeasure).cpuMs) * 1e6) / changes,
    );
  const rows = SIDES.map((side) => {
    const rss = measured[side].map((m) => m.rssMb);
    const cpu = perChange(side, 'cpuMs');
    const faster =
      side === 'floor'
        ? '—'
        : `${((AUDIT_NS_PER_CHANGE[0] as number) / median(cpu)).toFixed(1)}–${((AUDIT_NS_PER_CHANGE[1] as number) / median(cpu)).toFixed(1)}×`;
    return `| ${LABELS[side]} | ${spread(
      measured[side].map((m) => m.wallMs / 1_000),
      1,
    )} s | ${spread(
      measured[side].map((m) => m.cpuMs / 1_000),
      1,
    )} s | ${spread(cpu)} ns | ${side === 'floor' ? '—' : `${spread(beyondFloor(side))} ns`} | ${faster} | ${spread(rss)} MB${Math.max(...rss) < RSS_TARGET_MB ? '' : ' (**over 1 GB**)'} |`;
  });
  return [
    '## Simulator, the flapping scenario of the audit',
    '',
    `Command: \`npm run build && npm run bench -- simulator-flapping\`. ${tags.toLocaleString('en-US')} tags over 365 days, 0.04 hits an hour each, one \`Url\` goal converting 10 % of hits (seed 2024): ${hits.toLocaleString('en-US')} hits, ${changes.toLocaleString('en-US')} status changes. Whole processes of the built \`uet-tag\` under GNU time, reports to \`/dev/null\`, ${rounds} rounds, sides in rotated order; load average ${load.join(' / ')} at the start. Per change is the process's processor time (user + system; wall time on this shared machine is mostly waiting) over the run's changes, start-up included; "beyond the floor" subtracts the floor's process of the same round (loading the scenario and generating its hits). The audit measured 12–23 µs per change and ${AUDIT_RSS_MB.toLocaleString('en-US')} MB of peak RSS at 5.4 million changes; targets: at least 10× faster, under 1 GB.`,
    '',
    '| process | wall, median (range) | processor time, median (range) | processor time per change | beyond the floor, per change | faster than the audit (12–23 µs) | peak RSS, median (range) |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
