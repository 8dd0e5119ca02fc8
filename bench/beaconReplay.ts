/**
 * Beacon replay (SPEC U1, M1–M7): MB/s of `uet-tag replay` (`replayFile`) over a Combined
 * Log Format access log whose requests are UET beacons, with and without goals to match,
 * against two floors run on the same file in the same round: a chunked `indexOf` line
 * splitter that only counts lines (what reading a file costs at least), and that splitter
 * plus `parseBeacon` of each line's request target (what reading the hits costs at
 * least). Every round writes a fresh log (a new seed: new visitors, ids and times); the
 * sides run on it one after the other, in an order that rotates from round to round.
 * Run: `npm run bench -- beaconReplay`.
 */
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { replayFile } from '../packages/uet-tag/src/replay/replayFile.js';
import type { GoalDefinition } from '../packages/uet-tag-status/src/uet/goalDefinition.js';
import { parseBeacon } from '../packages/uet-tag-status/src/uet/parseBeacon.js';
import { logTime } from './accessLog.js';
import { median } from './statistics.js';

/** The sizes measured. */
export const SIZES = {
  /** Rounds measured, after one warm-up round that is not reported. */
  rounds: 3,
  /** Beacons per log (about 450 bytes each). */
  beacons: 120_000,
} as const;

const TAG = '26012345';
const PAGES = ['/', '/product/1', '/product/2', '/cart', '/thanks?order=1', '/blog/care'];

/** Ten goals of every kind, the shop's account. */
const GOALS: GoalDefinition[] = [
  {
    goalId: 'thanks',
    goalType: 'Url',
    url: { operator: 'BeginsWith', expression: 'shop.example/thanks' },
  },
  { goalId: 'cart', goalType: 'Url', url: { operator: 'Contains', expression: '/cart' } },
  { goalId: 'home', goalType: 'Url', url: { operator: 'Equals', expression: 'shop.example/' } },
  {
    goalId: 'product',
    goalType: 'Url',
    url: { operator: 'RegularExpression', expression: '/product/\\d+$' },
  },
  {
    goalId: 'blog',
    goalType: 'Url',
    url: { operator: 'RegularExpression', expression: '^https://shop\\.example/blog/' },
  },
  {
    goalId: 'add',
    goalType: 'Event',
    event: { action: { operator: 'Equals', expression: 'add_to_cart' } },
  },
  {
    goalId: 'big',
    goalType: 'Event',
    event: {
      category: { operator: 'Equals', expression: 'ecommerce' },
      value: { operator: 'GreaterThan', value: 50 },
    },
  },
  { goalId: 'engaged', goalType: 'Duration', minimumDurationSeconds: 300 },
  { goalId: 'pages3', goalType: 'PagesViewedPerVisit', minimumPagesViewed: 3 },
  {
    goalId: 'paused',
    goalType: 'Url',
    status: 'Paused',
    url: { operator: 'Contains', expression: 'thanks' },
  },
];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Writes a fresh beacon log for round `round`; returns its path and size. */
function writeLog(folder: string, round: number): { file: string; bytes: number } {
  const next = random(1_000 + round);
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join('');
  const lines: string[] = [];
  let at = Date.UTC(2025, 3, 1) + round * 86_400_000;
  let vid = hex(32);
  for (let n = 0; n < SIZES.beacons; n++) {
    at += Math.floor(next() * 1_000);
    if (next() < 0.2) vid = hex(32);
    const page = `https://shop.example${PAGES[Math.floor(next() * PAGES.length)]}`;
    const custom = next() < 0.15;
    const query = new URLSearchParams({
      ti: TAG,
      Ver: '2',
      mid: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
      sid: vid.slice(0, 32),
      vid,
      evt: custom ? 'custom' : 'pageLoad',
      p: page,
      ...(custom
        ? { ea: 'add_to_cart', ec: 'ecommerce', ev: String(Math.floor(next() * 100)) }
        : { tl: 'Shop Example' }),
      msclkid: 'N',
      rn: String(Math.floor(next() * 1e6)),
    });
    const time = logTime(at);
    lines.push(
      `203.0.113.7 - - [${time}] "GET /action/0?${query} HTTP/1.1" 204 - "${page}" "Mozilla/5.0 (X11; Linux x86_64)"`,
    );
  }
  const file = path.join(folder, `beacons-${round}.log`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, bytes: statSync(file).size };
}

/** Floor: a chunked `indexOf` line splitter that counts lines. */
async function splitOnly(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file, {
    highWaterMark: 256 * 1024,
  }) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
  }
  return lines;
}

/** Floor: the splitter, then `parseBeacon` of each line's request target. */
async function splitAndParse(file: string): Promise<number> {
  let hits = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, {
    encoding: 'utf8',
    highWaterMark: 256 * 1024,
  }) as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      const from = text.indexOf('"', start) + 1;
      const target = text.slice(text.indexOf(' ', from) + 1, text.indexOf(' HTTP/', from));
      if (parseBeacon(target).tagId === TAG) hits++;
      start = end + 1;
    }
    rest = text.slice(start);
  }
  return hits;
}

type Side = 'split' | 'splitParse' | 'replay' | 'replayGoals';
const SIDES: readonly Side[] = ['split', 'splitParse', 'replay', 'replayGoals'];

async function measure(side: Side, file: string): Promise<{ ms: number; conversions: number }> {
  const started = performance.now();
  let conversions = 0;
  if (side === 'split') await splitOnly(file);
  else if (side === 'splitParse') await splitAndParse(file);
  else {
    const result = await replayFile(file, {
      ...(side === 'replayGoals' ? { definitions: new Map([[TAG, GOALS]]) } : {}),
    });
    if (result.statistics.records !== SIZES.beacons) throw new Error('internal: records lost');
    conversions = result.hits.reduce(
      (sum, tag) => sum + tag.goals.reduce((s, g) => s + g.conversions, 0),
      0,
    );
  }
  return { ms: performance.now() - started, conversions };
}

const fixed = (value: number) => value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2);

/** Runs the rounds; returns the Markdown report. */
export async function run(): Promise<string> {
  const load = loadavg().map((value) => value.toFixed(1));
  const folder = mkdtempSync(path.join(tmpdir(), 'uet-bench-beacons-'));
  const started = performance.now();
  const rounds: { mbPerS: Map<Side, number>; conversions: number; bytes: number }[] = [];
  try {
    for (let round = 0; round <= SIZES.rounds; round++) {
      const { file, bytes } = writeLog(folder, round);
      const mbPerS = new Map<Side, number>();
      let conversions = 0;
      for (let turn = 0; turn < SIDES.length; turn++) {
        const side = SIDES[(turn + round) % SIDES.length] as Side;
        const measured = await measure(side, file);
        mbPerS.set(side, bytes / 1e6 / (measured.ms / 1_000));
        if (side === 'replayGoals') conversions = measured.conversions;
      }
      rmSync(file);
      if (round > 0) rounds.push({ mbPerS, conversions, bytes });
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1_000;
  const rates = (side: Side) => rounds.map((round) => round.mbPerS.get(side) as number);
  const ratios = (side: Side, base: Side) =>
    rounds.map((round) => (round.mbPerS.get(base) as number) / (round.mbPerS.get(side) as number));
  const spread = (values: readonly number[]) =>
    `${fixed(median(values))}× (${fixed(Math.min(...values))}–${fixed(Math.max(...values))})`;
  const rows: [string, Side][] = [
    ['floor: chunked `indexOf` line split', 'split'],
    ['floor: line split + `parseBeacon` of each target', 'splitParse'],
    ['`replayFile`, no goals', 'replay'],
    ['`replayFile`, 10 goals matched', 'replayGoals'],
  ];
  return [
    '## Beacon replay',
    '',
    `Reproduce: \`npm run bench -- beaconReplay\` (${Math.round(seconds)} s here). Measured on ${cpus().length} shared cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average ${load.join(' / ')} at the start; other work ran on the machine at the same time, so absolute rates move from run to run, ratios less.`,
    '',
    `Each round writes a fresh Combined Log Format access log of ${SIZES.beacons.toLocaleString('en-US')} UET beacons of one tag (${fixed(median(rounds.map((round) => round.bytes)) / 1e6)} MB; 85% page loads over six pages, 15% custom events, a new visitor every five beacons on average), then every side reads it in turn, the order rotating from round to round. One warm-up round, then ${SIZES.rounds} rounds; rates are medians, ratios are taken within each round (median, lowest–highest). The goals are ten of every kind (\`Url\` with each operator, two regular expressions, two \`Event\` goals, \`Duration\`, \`PagesViewedPerVisit\`, one \`Paused\`).`,
    '',
    '| side | MB/s | time vs line split + `parseBeacon` | time vs `replayFile` without goals |',
    '|---|---:|---:|---:|',
    ...rows.map(
      ([label, side]) =>
        `| ${label} | ${fixed(median(rates(side)))} | ${spread(ratios(side, 'splitParse'))} | ${spread(ratios(side, 'replay'))} |`,
    ),
    '',
    `Conversions per round with goals: ${median(rounds.map((round) => round.conversions)).toLocaleString('en-US')}.`,
    '',
  ].join('\n');
}
