/**
 * Writes the sample day of UET hits in `examples/uet/`: `npx tsx scripts/examples/makeSampleDay.ts`.
 *
 * One day (1 April 2025, UTC) of a shop's collector access log, in Apache Combined Log
 * Format, one line per beacon, shaped as the beacons Chromium really sent to the
 * project's collector (test/fixtures/beacons): `GET /action/0?ti=…&Ver=2&mid=…&sid=…&vid=…
 * &evt=pageLoad&p=…&r=…&tl=…&msclkid=…&rn=…`, custom events with `ea`, `ec`, `el`, `ev`,
 * `gv`, `gc`, and `POST /actionp/0?…&evt=pageHide` as a page is left. Visitors arrive
 * from 07:00 to 22:00, a third of them from an ad click (`?msclkid=`); they browse a few
 * pages, some add to the cart, some order. A second site, a spring landing page with tag
 * 26012377, sends its beacons with consent denied (`asc=D`). The output is the same on
 * every run (a seeded generator), gzipped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const SHOP = { tag: '26012345', site: 'https://shop.example', visits: 220 };
/** A landing-page site whose banner defaults consent to denied (`asc=D`). */
const LANDING = { tag: '26012377', site: 'https://spring.shop.example', visits: 60 };
const DAY = Date.UTC(2025, 3, 1);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/134.0.0.0 Safari/537.36';
const PAGES: readonly (readonly [string, string])[] = [
  ['/', 'Shop Example'],
  ['/product/1', 'Oak wall clock - Shop Example'],
  ['/product/2', 'Brass desk lamp - Shop Example'],
  ['/product/3', 'Linen cushion - Shop Example'],
  ['/blog/care', 'Caring for wood - Shop Example'],
];

/** mulberry32: a small seeded generator, so the sample is the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = generator(20250401);
const hex = (length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function clfTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

const lines: { at: number; text: string }[] = [];
function beacon(
  tag: string,
  at: number,
  method: 'GET' | 'POST',
  params: Record<string, string>,
  page: string,
) {
  const query = new URLSearchParams({
    ti: tag,
    Ver: '2',
    ...params,
    rn: String(Math.floor(random() * 1e6)),
  });
  const target = `${method === 'GET' ? '/action/0' : '/actionp/0'}?${query.toString()}`;
  const ip = `203.0.113.${1 + Math.floor(random() * 250)}`;
  lines.push({
    at,
    text: `${ip} - - [${clfTime(at)}] "${method} ${target} HTTP/1.1" 204 - "${page}" "${AGENT}"`,
  });
}

for (const { tag, site, visits } of [SHOP, LANDING])
  for (let visit = 0; visit < visits; visit++) {
    const consent: Record<string, string> = tag === LANDING.tag ? { asc: 'D' } : {};
    const vid = hex(32);
    const sid = hex(32);
    const click = random() < 0.35 ? hex(32) : undefined;
    let at = DAY + 7 * 3_600_000 + Math.floor(random() * 15 * 3_600_000);
    let referrer = click === undefined ? 'https://www.bing.com/' : 'https://www.bing.com/aclick';
    const pages = 1 + Math.floor(random() * 5);
    const buys = random() < 0.18;
    const path: (readonly [string, string])[] = [pick(PAGES)];
    for (let n = 1; n < pages; n++) path.push(pick(PAGES));
    if (buys)
      path.push(
        ['/cart', 'Cart - Shop Example'],
        [`/thanks?order=${1000 + visit}`, 'Thank you - Shop Example'],
      );
    path.forEach(([pagePath, title], index) => {
      const url = `${site}${pagePath}${index === 0 && click !== undefined ? `${pagePath.includes('?') ? '&' : '?'}msclkid=${click}` : ''}`;
      const mid = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
      const clickId = click === undefined ? 'N' : `${click}-${index === 0 ? '1' : '0'}`;
      const common = { mid, sid, vid, msclkid: clickId, ...consent };
      beacon(tag, at, 'GET', { ...common, evt: 'pageLoad', p: url, r: referrer, tl: title }, url);
      if (buys && pagePath === '/cart') {
        const value = (10 + Math.floor(random() * 9000) / 100).toFixed(2);
        at += 5_000 + Math.floor(random() * 20_000);
        beacon(
          tag,
          at,
          'GET',
          {
            ...common,
            evt: 'custom',
            ea: 'add_to_cart',
            ec: 'ecommerce',
            el: 'cart',
            ev: value,
            gv: value,
            gc: 'USD',
          },
          url,
        );
      }
      at += 10_000 + Math.floor(random() * 150_000);
      beacon(tag, at, 'POST', { ...common, evt: 'pageHide' }, url);
      referrer = url;
      at += 500 + Math.floor(random() * 2_000);
    });
  }

lines.sort((a, b) => a.at - b.at);
const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/uet');
const text = `${lines.map((line) => line.text).join('\n')}\n`;
writeFileSync(path.join(folder, 'hits.log.gz'), gzipSync(text, { level: 9 }));
console.log(
  `wrote examples/uet/hits.log.gz: ${lines.length} beacons, ${text.length} bytes before gzip`,
);

const INPUT_HITS = 60;
const account = JSON.parse(readFileSync(path.join(folder, 'account.json'), 'utf8')) as {
  UetTags: { Id: string }[];
  ConversionGoals: { TagId: string }[];
};
const registrations = account.UetTags.map((tag) => ({
  kind: 'registerTag',
  tagId: tag.Id,
  conversionGoals: account.ConversionGoals.filter((goal) => goal.TagId === tag.Id),
}));
const hits = lines.slice(0, INPUT_HITS).map((line) => ({
  kind: 'hit',
  at: new Date(line.at).toISOString(),
  beacon: (/"(?:GET|POST) (\S+) HTTP/.exec(line.text) as RegExpExecArray)[1],
}));
writeFileSync(
  path.join(folder, 'inputs.ndjson'),
  `${[...registrations, ...hits].map((record) => JSON.stringify(record)).join('\n')}\n`,
);
console.log(`wrote examples/uet/inputs.ndjson: ${registrations.length} tags, ${hits.length} hits`);
