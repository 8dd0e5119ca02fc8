import { describe, expect, it } from 'vitest';
import { EXPECTED_VISITORS, expectConsistentRecording } from './support/beaconChecks.js';
import { paramsOf, readBeaconRecording } from './support/beaconRecording.js';

const FIXTURES = new URL('./fixtures/beacons/', import.meta.url).pathname;

describe('beacon fixtures recorded with headless Chromium (test/fixtures/beacons)', () => {
  it('U1 the NDJSON log, the access log and the HAR files record the same beacons', async () => {
    expectConsistentRecording(await readBeaconRecording(FIXTURES));
  });

  it('U1 the access log reads as Combined Log Format: GET /action/0 and POST /actionp/0, each answered 204', async () => {
    const { accessLog } = await readBeaconRecording(FIXTURES);
    const expected = EXPECTED_VISITORS.flatMap((visitor) => visitor.events).map((event) =>
      event === 'pageHide' ? 'POST /actionp/0 204' : 'GET /action/0 204',
    );
    expect(
      accessLog.map((line) => `${line.method} ${new URL(line.url).pathname} ${line.status}`),
    ).toEqual(expected);
  });

  it('U3 a custom beacon carries the event action, category, label, value and revenue', async () => {
    const { ndjson } = await readBeaconRecording(FIXTURES);
    const custom = ndjson
      .map((beacon) => paramsOf(beacon.url))
      .filter((params) => params.get('evt') === 'custom')
      .map((params) => ['ea', 'ec', 'el', 'ev', 'gv', 'gc'].map((name) => params.get(name)));
    expect(custom).toEqual([
      ['add_to_cart', 'ecommerce', 'oak-wall-clock', '1', '49.90', 'EUR'],
      ['begin_checkout', 'ecommerce', 'card', '1', '49.90', 'EUR'],
    ]);
  });

  it('U3 a pageLoad beacon carries the page URL, the referrer and the title', async () => {
    const { ndjson } = await readBeaconRecording(FIXTURES);
    const pageLoads = ndjson
      .map((beacon) => paramsOf(beacon.url))
      .filter((params) => params.get('evt') === 'pageLoad')
      .map((params) => {
        const page = new URL(params.get('p') ?? '');
        const referrer = params.get('r') ? new URL(params.get('r') ?? '').pathname : '';
        return [`${page.pathname}${page.search}`, referrer, params.get('tl')];
      });
    expect(pageLoads).toEqual([
      ['/?msclkid=5f0e8c4b2d7a4e19b3c6a8d1f2e4b7c9', '', 'Shop Example'],
      ['/product/1', '/', 'Oak wall clock - Shop Example'],
      ['/cart', '/product/1', 'Cart - Shop Example'],
      [
        '/thanks?order=42&msclkid=5f0e8c4b2d7a4e19b3c6a8d1f2e4b7c9',
        '/cart',
        'Thank you - Shop Example',
      ],
      ['/', '', 'Shop Example'],
      ['/product/1', '/', 'Oak wall clock - Shop Example'],
      ['/cart', '/product/1', 'Cart - Shop Example'],
      ['/thanks?order=42&msclkid=9b1d6e2f4a8c4d3e8f7a6b5c4d3e2f1a', '', 'Thank you - Shop Example'],
    ]);
  });
});
