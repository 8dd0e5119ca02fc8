import { expect } from 'vitest';
import {
  type BeaconRecording,
  isBeaconUrl,
  paramsOf,
  SHOP_TAG_ID,
  visitorsOf,
} from './beaconRecording.js';

const CLICK_1 = '5f0e8c4b2d7a4e19b3c6a8d1f2e4b7c9';
const CLICK_3 = '9b1d6e2f4a8c4d3e8f7a6b5c4d3e2f1a';

/** What the three visitors of scripts/fixtures/recordBeacons.ts do, beacon by beacon. */
export const EXPECTED_VISITORS = [
  {
    events: [
      'pageLoad /',
      'pageHide',
      'pageLoad /product/1',
      'custom add_to_cart',
      'pageHide',
      'pageLoad /cart',
      'custom begin_checkout',
      'pageHide',
      'pageLoad /thanks',
      'pageHide',
    ],
    // The thanks page's URL carries the click id again, so the tag reads it as a new click.
    clickIds: [
      `${CLICK_1}-1`,
      `${CLICK_1}-1`,
      ...new Array(6).fill(`${CLICK_1}-0`),
      `${CLICK_1}-1`,
      `${CLICK_1}-1`,
    ],
  },
  {
    events: [
      'pageLoad /',
      'pageHide',
      'pageLoad /product/1',
      'pageHide',
      'pageLoad /cart',
      'pageHide',
    ],
    clickIds: new Array(6).fill('N'),
  },
  { events: ['pageLoad /thanks', 'pageHide'], clickIds: [`${CLICK_3}-1`, `${CLICK_3}-1`] },
];

/**
 * Checks that a recording is consistent: the NDJSON log and the access log hold the same
 * beacons in the same order and at the same times; the HAR files hold the same beacons
 * except the pageHide ones, which a browser sends while the page unloads and Playwright's
 * HAR does not record; every beacon carries the parameters of its kind; and the visitors
 * did what the script makes them do.
 */
export function expectConsistentRecording(recording: BeaconRecording): void {
  const { ndjson, accessLog, hars } = recording;
  expect(ndjson).toHaveLength(18);
  expect(accessLog.map((line) => line.url)).toEqual(ndjson.map((beacon) => beacon.url));
  expect(accessLog.map((line) => line.at)).toEqual(
    ndjson.map((beacon) => Math.floor(beacon.at / 1000) * 1000),
  );
  for (const line of accessLog) {
    expect(line.status).toBe(204);
    expect(line.method).toBe(new URL(line.url).pathname === '/actionp/0' ? 'POST' : 'GET');
    expect(line.userAgent).toMatch(/HeadlessChrome\//);
    expect(line.referer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  }

  const harBeacons = hars.flatMap(({ entries }) =>
    entries.filter((entry) => isBeaconUrl(entry.url)),
  );
  const notUnloading = ndjson.filter((beacon) => paramsOf(beacon.url).get('evt') !== 'pageHide');
  expect(harBeacons.map((entry) => entry.url)).toEqual(notUnloading.map((beacon) => beacon.url));
  harBeacons.forEach((entry, index) => {
    expect(entry.method).toBe('GET');
    expect([204, -1]).toContain(entry.status);
    const receivedAt = notUnloading[index]?.at ?? 0;
    expect(Math.abs(receivedAt - entry.at)).toBeLessThan(2_000);
  });
  for (const beacon of ndjson.filter((b) => paramsOf(b.url).get('evt') === 'pageHide')) {
    expect(new URL(beacon.url).pathname).toBe('/actionp/0');
  }

  for (const { url } of ndjson) {
    const params = paramsOf(url);
    expect(params.get('ti')).toBe(SHOP_TAG_ID);
    expect(params.get('Ver')).toBe('2');
    expect(params.get('mid')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(params.get('sid')).toMatch(/^[0-9a-f]{32}$/);
    expect(params.get('vid')).toMatch(/^[0-9a-f]{32}$/);
    expect(params.get('rn')).toMatch(/^\d+$/);
    const required: Record<string, readonly string[]> = {
      pageLoad: ['p', 'r', 'tl', 'lt', 'sw', 'sh', 'sc'],
      custom: ['ea', 'ec', 'el', 'ev', 'gv', 'gc'],
      pageHide: [],
    };
    const evt = params.get('evt') ?? '';
    expect(Object.keys(required)).toContain(evt);
    for (const name of required[evt] ?? [])
      expect(params.has(name), `${name} in ${url}`).toBe(true);
  }

  // Each pageLoad names the page the HAR shows loaded just before it, with the same title.
  for (const { entries } of hars) {
    let page: string | undefined;
    for (const entry of entries) {
      if (!isBeaconUrl(entry.url)) {
        page = entry.url;
        continue;
      }
      const params = paramsOf(entry.url);
      if (params.get('evt') === 'pageLoad') expect(params.get('p')).toBe(page);
    }
  }

  const visitors = visitorsOf(ndjson);
  expect(visitors.map(({ events, clickIds }) => ({ events, clickIds }))).toEqual(EXPECTED_VISITORS);
  expect(new Set(visitors.map((visitor) => visitor.sid)).size).toBe(3);
  for (const visitor of visitors) expect(visitor.sid).not.toContain(',');
}
