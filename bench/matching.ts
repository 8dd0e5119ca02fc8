/**
 * Goal matching (SPEC M1–M6) as the number of goals on a tag grows: hits per second
 * through `createConversionMatcher` with 1, 10 and 1,000 goals on one tag (Microsoft's
 * per-account limit), against a floor, a hand-written single-goal `url.includes` loop.
 * Also `parseBeacon` against `URLSearchParams` on the beacons of the same hits. Every
 * round draws fresh hits; within a round the sides run one after the other on the same
 * hits, so that ratios compare them under the same load. Run: `npm run bench -- matching`.
 */
import { cpus, loadavg } from 'node:os';
import { createConversionMatcher } from '../packages/uet-tag-status/src/uet/createConversionMatcher.js';
import type { GoalDefinition } from '../packages/uet-tag-status/src/uet/goalDefinition.js';
import { parseBeacon } from '../packages/uet-tag-status/src/uet/parseBeacon.js';
import type { UetHit } from '../packages/uet-tag-status/src/uet/UetHit.js';
import { median } from './statistics.js';

/** The sizes measured. */
export const SIZES = {
  /** Rounds measured, after one warm-up round that is not reported. */
  rounds: 7,
  /** Hits per round, fresh each round. */
  hits: 50_000,
  /** Visitors the hits come from. */
  visitors: 5_000,
  /** Goals on the tag for each matcher side. */
  goalCounts: [1, 10, 1_000],
} as const;

const TAG = '343000001';
const T0 = Date.UTC(2025, 0, 6);

/** A small, seeded pseudo-random generator (mulberry32), so each round's hits are reproducible. */
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

/**
 * The goals of a tag, the first `count` of one fixed list: first a `Url` goal with
 * `Contains`, then in turn `Equals`, `BeginsWith`, `Contains` and two kinds of regular
 * expression on the URL, two kinds of `Event` goal, and `Duration` or `PagesViewedPerVisit`.
 */
export function goalsFor(count: number): GoalDefinition[] {
  const goals: GoalDefinition[] = [
    {
      goalId: 'g0',
      goalType: 'Url',
      url: { operator: 'Contains', expression: '/checkout/thanks' },
    },
  ];
  for (let i = 1; i < count; i++) {
    const goalId = `g${i}`;
    const url = (
      operator: 'Equals' | 'BeginsWith' | 'Contains' | 'RegularExpression',
      expression: string,
    ) => goals.push({ goalId, goalType: 'Url', url: { operator, expression } });
    switch (i % 8) {
      case 0:
        url('Equals', `contoso.com/landing/${i}`);
        break;
      case 1:
        url('BeginsWith', `https://www.contoso.com/products/p${i}/`);
        break;
      case 2:
        url('Contains', `/promo-${i}`);
        break;
      case 3:
        url('RegularExpression', `^https?://(www\\.)?contoso\\.com/c${i}/(thanks|done)`);
        break;
      case 4:
        url('RegularExpression', `order-${i}-\\d+`);
        break;
      case 5:
        goals.push({
          goalId,
          goalType: 'Event',
          event: { action: { operator: 'Equals', expression: `signup_${i}` } },
        });
        break;
      case 6:
        goals.push({
          goalId,
          goalType: 'Event',
          event: {
            category: { operator: 'BeginsWith', expression: `form-${i}` },
            value: { operator: 'GreaterThan', value: i % 50 },
          },
        });
        break;
      default:
        goals.push(
          i % 3 === 0
            ? { goalId, goalType: 'Duration', minimumDurationSeconds: 60 + ((i * 37) % 3_540) }
            : { goalId, goalType: 'PagesViewedPerVisit', minimumPagesViewed: 2 + (i % 40) },
        );
    }
  }
  return goals;
}

/** A round's hits: 80% page loads over a few URL shapes, 20% custom events, one every 20 ms on average. */
function hitsFor(seed: number): { hits: UetHit[]; times: number[] } {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const hits: UetHit[] = [];
  const times: number[] = [];
  let at = T0;
  for (let i = 0; i < SIZES.hits; i++) {
    at += pick(40);
    const visitor = pick(SIZES.visitors);
    const base = {
      tagId: TAG,
      visitorId: `vid${visitor}`,
      sessionId: `sid${visitor}-${Math.floor(at / 3_600_000)}`,
    };
    const r = pick(1_000);
    const shape = pick(10);
    if (shape < 8) {
      const pageUrl = [
        `https://www.contoso.com/products/p${r}/item-${pick(500)}?ref=home&utm_source=bing&utm_medium=cpc`,
        `https://contoso.com/landing/${r}`,
        `https://www.contoso.com/c${r}/${next() < 0.5 ? 'thanks' : 'cart'}`,
        `https://www.contoso.com/checkout/thanks?order=order-${r}-${pick(100_000)}`,
        `https://www.contoso.com/search?q=running+shoes&page=${pick(20)}&sort=price`,
        `https://www.contoso.com/blog/2025/01/promo-${r}-winter-sale?msclkid=${pick(1e9).toString(16)}`,
        `https://www.contoso.com/account/orders/${pick(1e6)}/details`,
        `https://www.contoso.com/`,
      ][shape] as string;
      hits.push({
        ...base,
        eventType: 'pageLoad',
        pageUrl,
        pageTitle: 'Contoso',
        referrer: 'https://www.bing.com/',
      });
    } else {
      hits.push({
        ...base,
        eventType: 'custom',
        pageUrl: 'https://www.contoso.com/signup',
        eventAction: next() < 0.5 ? `signup_${r}` : 'click',
        eventCategory: next() < 0.5 ? `form-${r}-footer` : 'navigation',
        eventValue: pick(100),
      });
    }
    times.push(at);
  }
  return { hits, times };
}

/** The beacon a hit came as, for the parsing comparison. */
function beaconOf(hit: UetHit): string {
  const query = new URLSearchParams({
    ti: hit.tagId,
    Ver: '2',
    mid: 'e2b4c1d0-6f1a-4a53-8f0b-2d9c7e1a4b3c',
    evt: hit.eventType,
  });
  for (const [name, value] of [
    ['sid', hit.sessionId],
    ['vid', hit.visitorId],
    ['p', hit.pageUrl],
    ['r', hit.referrer],
    ['tl', hit.pageTitle],
    ['ea', hit.eventAction],
    ['ec', hit.eventCategory],
    ['ev', hit.eventValue === undefined ? undefined : String(hit.eventValue)],
  ] as const) {
    if (value !== undefined) query.set(name, value);
  }
  query.set('lg', 'en-US');
  query.set('sw', '1920');
  query.set('sh', '1080');
  query.set('rn', '482910');
  return `/action/0?${query.toString()}`;
}

/** One side of the comparison: processes items `[start, end)` and returns what it counted. */
interface Runner {
  readonly side: Side;
  readonly run: (start: number, end: number) => number;
}

/**
 * Runs the sides over `count` items in chunks of {@link CHUNK}, in turn (the first side
 * of each chunk rotating), so that a burst of load from the other work on the machine
 * falls on all of them alike; returns each side's items per second and total count.
 */
function interleave(
  count: number,
  runners: readonly Runner[],
): { rates: Map<Side, number>; counted: Map<Side, number> } {
  const elapsed = new Map<Side, number>(runners.map(({ side }) => [side, 0]));
  const counted = new Map<Side, number>(runners.map(({ side }) => [side, 0]));
  for (let start = 0, chunk = 0; start < count; start += CHUNK, chunk++) {
    const end = Math.min(count, start + CHUNK);
    for (let k = 0; k < runners.length; k++) {
      const { side, run } = runners[(chunk + k) % runners.length] as Runner;
      const before = performance.now();
      const result = run(start, end);
      elapsed.set(side, (elapsed.get(side) as number) + performance.now() - before);
      counted.set(side, (counted.get(side) as number) + result);
    }
  }
  const rates = new Map<Side, number>(
    [...elapsed].map(([side, ms]) => [side, count / (ms / 1_000)]),
  );
  return { rates, counted };
}

/** Items per chunk of {@link interleave}: a few milliseconds of work per side. */
const CHUNK = 2_000;

type GoalCount = (typeof SIZES.goalCounts)[number];
type Side = 'floor' | `goals${GoalCount}` | 'goals1000click' | 'parseBeacon' | 'URLSearchParams';

const BEACON_FIELDS = [
  'ti',
  'evt',
  'p',
  'r',
  'tl',
  'ea',
  'ec',
  'el',
  'ev',
  'gv',
  'gc',
  'mid',
  'sid',
  'vid',
  'msclkid',
  'asc',
];

function measureRound(seed: number): { rates: Map<Side, number>; counted: Map<Side, number> } {
  const { hits, times } = hitsFor(seed);
  const matcherSide = (side: Side, count: number, attribution: 'none' | 'click'): Runner => {
    const matcher = createConversionMatcher({ attribution });
    matcher.setGoals(TAG, goalsFor(count));
    return {
      side,
      run: (start, end) => {
        let converted = 0;
        for (let i = start; i < end; i++)
          converted += matcher.match(hits[i] as UetHit, times[i] as number).length;
        return converted;
      },
    };
  };
  const matching = interleave(hits.length, [
    {
      side: 'floor',
      run: (start, end) => {
        let converted = 0;
        for (let i = start; i < end; i++) {
          const hit = hits[i] as UetHit;
          if (
            hit.eventType === 'pageLoad' &&
            hit.pageUrl?.toLowerCase().includes('/checkout/thanks')
          )
            converted++;
        }
        return converted;
      },
    },
    ...SIZES.goalCounts.map((count) => matcherSide(`goals${count}`, count, 'none')),
    matcherSide('goals1000click', 1_000, 'click'),
  ]);
  const beacons = hits.map(beaconOf);
  const parsing = interleave(beacons.length, [
    {
      side: 'parseBeacon',
      run: (start, end) => {
        let length = 0;
        for (let i = start; i < end; i++)
          length += parseBeacon(beacons[i] as string).pageUrl?.length ?? 0;
        return length;
      },
    },
    {
      side: 'URLSearchParams',
      run: (start, end) => {
        let length = 0;
        for (let i = start; i < end; i++) {
          const beacon = beacons[i] as string;
          const query = new URLSearchParams(beacon.slice(beacon.indexOf('?') + 1));
          const hit = Object.fromEntries(
            BEACON_FIELDS.map((field) => [field, query.get(field) ?? undefined]),
          );
          length += hit.p?.length ?? 0;
        }
        return length;
      },
    },
  ]);
  return {
    rates: new Map([...matching.rates, ...parsing.rates]),
    counted: new Map([...matching.counted, ...parsing.counted]),
  };
}

const integer = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number) => value.toFixed(2);

/** Runs the rounds and returns the `## Goal matching` section. */
export async function run(): Promise<string> {
  const load = loadavg().map((value) => value.toFixed(1));
  const started = performance.now();
  measureRound(0);
  const rounds = Array.from({ length: SIZES.rounds }, (_, round) => measureRound(round + 1));
  const seconds = (performance.now() - started) / 1_000;
  const ratesOf = (side: Side) => rounds.map(({ rates }) => rates.get(side) as number);
  /** How many times a hit costs on `side` what it costs on `base`, round by round. */
  const costs = (side: Side, base: Side) =>
    rounds.map(({ rates }) => (rates.get(base) as number) / (rates.get(side) as number));
  const spread = (values: readonly number[]) =>
    `${ratio(median(values))} (${ratio(Math.min(...values))}–${ratio(Math.max(...values))})`;
  const rows: [string, Side][] = [
    ['floor: one `url.includes` in a loop', 'floor'],
    ...SIZES.goalCounts.map((count): [string, Side] => [
      `${integer(count)} goal${count === 1 ? '' : 's'}`,
      `goals${count}`,
    ]),
    ['1,000 goals, `click` attribution', 'goals1000click'],
  ];
  const cost1000 = median(costs('goals1000', 'goals1'));
  const conversionsPerRound = (side: Side) =>
    integer(median(rounds.map(({ counted }) => counted.get(side) as number)));
  return [
    '## Goal matching',
    '',
    `Reproduce: \`npm run bench -- matching\` (${Math.round(seconds)} s here). Measured on ${cpus().length} shared cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, load average ${load.join(' / ')} at the start; other work ran on the machine at the same time, so absolute rates move from run to run, ratios less.`,
    '',
    `Each round draws ${integer(SIZES.hits)} fresh hits of one tag from ${integer(SIZES.visitors)} visitors, 80% page loads over eight URL shapes and 20% custom events, one every 20 ms on average; every side then runs on them, a new matcher each, the sides taking turns every ${integer(CHUNK)} hits (the first of each turn rotating) so that bursts of load from other work fall on all of them alike. The goals are the first 1, 10 or 1,000 of one list that mixes \`Url\` goals of every operator (two kinds of regular expression), \`Event\` goals on the action, or on the category with a value, and \`Duration\` and \`PagesViewedPerVisit\` goals. One warm-up round, then ${SIZES.rounds} rounds; rates are medians, costs are ratios taken within each round, as the median and (in brackets) the lowest and highest round.`,
    '',
    '| side | hits/s | cost per hit vs 1 goal | vs the floor | conversions per round |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      ([label, side]) =>
        `| ${label} | ${integer(median(ratesOf(side)))} | ${spread(costs(side, 'goals1'))} | ${spread(costs(side, 'floor'))} | ${conversionsPerRound(side)} |`,
    ),
    '',
    `Target: with 1,000 goals a hit costs at most 5× what it costs with one: ${ratio(cost1000)}× (${cost1000 <= 5 ? 'met' : 'missed'}).`,
    '',
    '### Parsing the beacons of the same hits',
    '',
    '| parser | beacons/s | speed vs `URLSearchParams` |',
    '|---|---:|---:|',
    `| \`parseBeacon\` | ${integer(median(ratesOf('parseBeacon')))} | ${spread(costs('URLSearchParams', 'parseBeacon'))} |`,
    `| \`URLSearchParams\`, the same fields | ${integer(median(ratesOf('URLSearchParams')))} | 1.00 |`,
    '',
  ].join('\n');
}
