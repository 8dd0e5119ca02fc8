import { describe, expect, it } from 'vitest';
import {
  MAX_ECHOED_LENGTH,
  TrackingInputError,
  type TrackingInputErrorCode,
} from '../packages/uet-tag-status/src/TrackingInputError.js';
import {
  isBeaconTarget,
  parseBeacon,
  parseBeaconQuery,
} from '../packages/uet-tag-status/src/uet/parseBeacon.js';

/** The error `run` throws, asserting it is a TrackingInputError. */
function failure(run: () => unknown): TrackingInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TrackingInputError);
    return error as TrackingInputError;
  }
  throw new Error('expected a TrackingInputError');
}

const ABSENT = {
  pageUrl: undefined,
  referrer: undefined,
  pageTitle: undefined,
  eventAction: undefined,
  eventCategory: undefined,
  eventLabel: undefined,
  eventValue: undefined,
  revenue: undefined,
  currency: undefined,
  pageLoadId: undefined,
  sessionId: undefined,
  visitorId: undefined,
  clickId: undefined,
  consent: undefined,
};

describe('parseBeacon', () => {
  it('U1 reads a GET /action/0 request target: ti, evt and the page parameters', () => {
    const hit = parseBeacon(
      '/action/0?ti=343000001&Ver=2&mid=6d5b2c1e&sid=9c1d0a1b&vid=77aabb&msclkid=N&evt=pageLoad&p=https%3A%2F%2Fwww.contoso.com%2Fthanks%3Forder%3D7&r=https%3A%2F%2Fwww.bing.com%2F&tl=Thank+you%20%E2%80%94%20Contoso&asc=G',
    );
    expect(hit).toStrictEqual({
      ...ABSENT,
      tagId: '343000001',
      eventType: 'pageLoad',
      pageUrl: 'https://www.contoso.com/thanks?order=7',
      referrer: 'https://www.bing.com/',
      pageTitle: 'Thank you — Contoso',
      pageLoadId: '6d5b2c1e',
      sessionId: '9c1d0a1b',
      visitorId: '77aabb',
      clickId: 'N',
      consent: 'G',
    });
  });

  it('U1 U3 reads a custom event: ea, ec, el, ev, gv and gc', () => {
    const hit = parseBeacon(
      '/action/0?ti=5&evt=custom&ea=purchase&ec=checkout&el=spring+sale&ev=29.90&gv=-3.5e1&gc=EUR',
    );
    expect(hit).toStrictEqual({
      ...ABSENT,
      tagId: '5',
      eventType: 'custom',
      eventAction: 'purchase',
      eventCategory: 'checkout',
      eventLabel: 'spring sale',
      eventValue: 29.9,
      revenue: -35,
      currency: 'EUR',
    });
  });

  const targets = [
    ['a request target', '/action/0?ti=5&evt=pageLoad'],
    ['POST /actionp/0 (its body is not read)', '/actionp/0?ti=5&evt=pageLoad'],
    ['an https URL', 'https://bat.bing.com/action/0?ti=5&evt=pageLoad'],
    ['an http URL with a port', 'http://collector.example:8080/action/0?ti=5&evt=pageLoad'],
    ['a scheme-relative URL', '//bat.bing.com/actionp/0?ti=5&evt=pageLoad'],
    ['a target with a fragment', '/action/0?ti=5&evt=pageLoad#ignored=1'],
  ] as const;
  for (const [name, target] of targets) {
    it(`U1 accepts ${name}`, () => {
      expect(parseBeacon(target)).toStrictEqual({ ...ABSENT, tagId: '5', eventType: 'pageLoad' });
    });
  }

  it('U1 decodes form-URL-encoding: + is a space, %HH sequences are UTF-8, %2B is a plus', () => {
    const hit = parseBeaconQuery('ti=5&ea=a+b%20c%2Bd&el=caf%C3%A9&ec=%F0%9F%98%80');
    expect([hit.eventAction, hit.eventLabel, hit.eventCategory]).toEqual(['a b c+d', 'café', '😀']);
  });

  it('U2 keeps any other evt value as is, such as pageHide', () => {
    expect(parseBeacon('/actionp/0?ti=5&evt=pageHide').eventType).toBe('pageHide');
    expect(parseBeacon('/actionp/0?ti=5&evt=consent&asc=D').eventType).toBe('consent');
  });

  it('U3 a hit without evt, as the noscript image tag sends, is a pageLoad (our decision)', () => {
    expect(parseBeacon('/action/0?ti=5&Ver=2').eventType).toBe('pageLoad');
    expect(parseBeacon('/action/0?ti=5&evt=').eventType).toBe('pageLoad');
  });

  it('U3 ignores every other parameter, even one that is badly encoded', () => {
    const hit = parseBeaconQuery(
      'ti=5&evt=custom&kw=%ZZ&items=%E2%82&ea2=%&spa=Y&page_path=%2Fx&Ti=7&EA=no',
    );
    expect(hit).toStrictEqual({ ...ABSENT, tagId: '5', eventType: 'custom' });
  });

  it('U3 takes the first of a repeated parameter, whatever the later ones hold', () => {
    const hit = parseBeaconQuery('ti=5&ti=6&evt=custom&ea=first&ea=second&ev=1&ev=oops&p=x&p=%ZZ');
    expect([hit.tagId, hit.eventAction, hit.eventValue, hit.pageUrl]).toEqual([
      '5',
      'first',
      1,
      'x',
    ]);
    expect(() => parseBeaconQuery('ti=5&p=%ZZ&p=fine')).toThrow(TrackingInputError);
  });

  it('U3 an empty parameter, or one without =, counts as absent', () => {
    const hit = parseBeaconQuery('ti=5&evt=custom&ea=&ec&ev=&vid=&sid');
    expect(hit).toStrictEqual({ ...ABSENT, tagId: '5', eventType: 'custom' });
  });

  it('U3 reads percent-encoded parameter names like any form decoder', () => {
    expect(parseBeaconQuery('t%69=5&%65a=buy').eventAction).toBe('buy');
  });

  const malformed: {
    name: string;
    target: string;
    code: TrackingInputErrorCode;
    field: string;
    value: unknown;
  }[] = [
    {
      name: 'no ti',
      target: '/action/0?evt=pageLoad',
      code: 'invalidId',
      field: 'ti',
      value: undefined,
    },
    {
      name: 'an empty ti',
      target: '/action/0?ti=&evt=pageLoad',
      code: 'invalidId',
      field: 'ti',
      value: '',
    },
    {
      name: 'a ti with a space',
      target: '/action/0?ti=34+5',
      code: 'invalidId',
      field: 'ti',
      value: '34 5',
    },
    {
      name: 'no query at all',
      target: '/action/0',
      code: 'invalidId',
      field: 'ti',
      value: undefined,
    },
    {
      name: 'bad percent-encoding in p',
      target: '/action/0?ti=5&p=100%',
      code: 'invalidHit',
      field: 'p',
      value: '100%',
    },
    {
      name: 'a percent sign not followed by hex',
      target: '/action/0?ti=5&ea=%G1',
      code: 'invalidHit',
      field: 'ea',
      value: '%G1',
    },
    {
      name: 'percent-encoding that is not UTF-8',
      target: '/action/0?ti=5&tl=%FF',
      code: 'invalidHit',
      field: 'tl',
      value: '%FF',
    },
    {
      name: 'bad percent-encoding in ti',
      target: '/action/0?ti=%E0%A4',
      code: 'invalidHit',
      field: 'ti',
      value: '%E0%A4',
    },
    {
      name: 'an ev that is no number',
      target: '/action/0?ti=5&ev=abc',
      code: 'invalidHit',
      field: 'ev',
      value: 'abc',
    },
    {
      name: 'an ev of Infinity',
      target: '/action/0?ti=5&ev=Infinity',
      code: 'invalidHit',
      field: 'ev',
      value: 'Infinity',
    },
    {
      name: 'an ev too large to be finite',
      target: '/action/0?ti=5&ev=1e999',
      code: 'invalidHit',
      field: 'ev',
      value: '1e999',
    },
    {
      name: 'a hexadecimal ev',
      target: '/action/0?ti=5&ev=0x10',
      code: 'invalidHit',
      field: 'ev',
      value: '0x10',
    },
    {
      name: 'an ev with spaces',
      target: '/action/0?ti=5&ev=+12+',
      code: 'invalidHit',
      field: 'ev',
      value: ' 12 ',
    },
    {
      name: 'an ev with a decimal comma',
      target: '/action/0?ti=5&ev=1,5',
      code: 'invalidHit',
      field: 'ev',
      value: '1,5',
    },
    {
      name: 'a gv that is no number',
      target: '/action/0?ti=5&gv=NaN',
      code: 'invalidHit',
      field: 'gv',
      value: 'NaN',
    },
    {
      name: 'a wrong path',
      target: '/action/1?ti=5',
      code: 'invalidHit',
      field: 'path',
      value: '/action/1?ti=5',
    },
    {
      name: 'a longer path',
      target: '/action/01?ti=5',
      code: 'invalidHit',
      field: 'path',
      value: '/action/01?ti=5',
    },
    {
      name: 'a path in capitals',
      target: '/ACTION/0?ti=5',
      code: 'invalidHit',
      field: 'path',
      value: '/ACTION/0?ti=5',
    },
    {
      name: 'a page path',
      target: 'https://contoso.com/?ti=5',
      code: 'invalidHit',
      field: 'path',
      value: 'https://contoso.com/?ti=5',
    },
    {
      name: 'a relative path',
      target: 'action/0?ti=5',
      code: 'invalidHit',
      field: 'path',
      value: 'action/0?ti=5',
    },
    {
      name: 'a host without a path',
      target: 'https://bat.bing.com?ti=5',
      code: 'invalidHit',
      field: 'path',
      value: 'https://bat.bing.com?ti=5',
    },
  ];
  for (const c of malformed) {
    it(`U1 refuses a beacon with ${c.name}: ${c.code} naming ${c.field} and the value`, () => {
      const error = failure(() => parseBeacon(c.target));
      expect([error.code, error.field, error.value]).toEqual([c.code, c.field, c.value]);
      expect(error.message).toContain(`${c.field}: `);
      expect(error.message).toContain(
        c.value === undefined ? 'undefined' : JSON.stringify(c.value),
      );
    });
  }

  it('D4 an error echoes at most 100 characters of a long value, and keeps the value whole', () => {
    const long = `${'x'.repeat(5_000)}%`;
    const error = failure(() => parseBeaconQuery(`ti=5&p=${long}`));
    expect(error.value).toBe(long);
    expect(error.message).toContain(
      `${JSON.stringify('x'.repeat(MAX_ECHOED_LENGTH))}… (5001 characters)`,
    );
    expect(error.message.length).toBeLessThan(400);
  });
});

describe('isBeaconTarget', () => {
  const cases = [
    ['/action/0?ti=5', true],
    ['/actionp/0?ti=5', true],
    ['/action/0', true],
    ['/action/0#x', true],
    ['https://bat.bing.com/action/0?ti=5', true],
    ['HTTP://BAT.BING.COM/actionp/0', true],
    ['//bat.bing.com/action/0?ti=5', true],
    ['/action/0/?ti=5', false],
    ['/action/01', false],
    ['/actions/0', false],
    ['/index.html?next=/action/0', false],
    ['https://bat.bing.com/bat.js', false],
    ['https://bat.bing.com?/action/0', false],
    ['*', false],
    ['', false],
  ] as const;
  for (const [target, expected] of cases) {
    it(`U1 ${JSON.stringify(target)} is ${expected ? '' : 'not '}a beacon path`, () => {
      expect(isBeaconTarget(target)).toBe(expected);
    });
  }
});
