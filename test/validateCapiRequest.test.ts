import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateCapiRequest } from '../packages/uet-tag/src/capi/validateCapiRequest.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';

const REQUEST = JSON.parse(
  readFileSync(new URL('./fixtures/capi/request.json', import.meta.url), 'utf8'),
) as { data: Record<string, unknown>[] };
const NOW = 1_744_430_351_000;
const VISITOR = '7f3c2a10f1e611eeb3a1c7d9e2f4a6b8';

/** A minimal valid custom event at `eventTime` seconds. */
function custom(eventTime: number, extra: Record<string, unknown> = {}) {
  return { eventType: 'custom', eventTime, userData: { anonymousId: VISITOR }, ...extra };
}

describe('validateCapiRequest (SPEC U4)', () => {
  it('U4 the documented request shape validates, and its events carry every field a hit needs', () => {
    const result = validateCapiRequest(REQUEST, { now: NOW });
    expect(result).toMatchObject({
      status: 200,
      issues: [],
      eventCount: 2,
      continueOnValidationError: false,
      dataProvider: 'shop-backend',
    });
    expect(result.events).toEqual([
      {
        index: 0,
        eventType: 'pageLoad',
        eventTimeMs: 1_744_430_084_000,
        eventId: 'c3a1e2f0-5b7d-4c1e-9f6a-2d8b7e4a1c90',
        eventSourceUrl: 'https://shop.example/product/1?msclkid=5f0e8c4b2d7a4e19b3c6a8d1f2e4b7c9',
        pageTitle: 'Wall clock, oak',
        referrerUrl: 'https://www.bing.com/',
        keywords: 'clocks,homedecor',
        pageLoadId: 'bcf3000b-65fa-4cd2-808a-8a6cf2b1d0a5',
        visitorId: VISITOR,
        clickId: '5f0e8c4b-2d7a-4e19-b3c6-a8d1f2e4b7c9',
        consent: 'G',
      },
      {
        index: 1,
        eventType: 'custom',
        eventTimeMs: 1_744_430_291_000,
        eventId: 'order-42',
        eventName: 'purchase',
        eventSourceUrl: 'https://shop.example/thanks?order=42',
        eventCategory: 'checkout',
        eventLabel: 'card',
        eventValue: 1,
        revenue: 59.9,
        currency: 'EUR',
        transactionId: 'order-42',
        pageLoadId: '0e6f1d2c-3b4a-4c5d-8e9f-a0b1c2d3e4f5',
        visitorId: VISITOR,
        externalId: 'c0ffee00c0ffee00c0ffee00c0ffee00',
        clickId: '5f0e8c4b-2d7a-4e19-b3c6-a8d1f2e4b7c9',
        consent: 'G',
      },
    ]);
  });

  it('U4 one invalid event rejects the whole request unless continueOnValidationError', () => {
    const data = [custom(1_744_430_000), custom(1_744_430_000, { eventType: 'click' }), custom(1)];
    const strict = validateCapiRequest({ data }, { now: NOW });
    expect(strict.status).toBe(400);
    expect(strict.events).toEqual([]);
    expect(
      strict.issues.map((issue) => [issue.index, issue.propertyName, issue.errorCode]),
    ).toEqual([
      [1, 'data[1].eventType', 'InvalidEnumValue'],
      [2, 'data[2].eventTime', 'InvalidEventTime'],
    ]);
    const explicit = validateCapiRequest({ data, continueOnValidationError: false }, { now: NOW });
    expect(explicit.status).toBe(400);
    const lenient = validateCapiRequest({ data, continueOnValidationError: true }, { now: NOW });
    expect(lenient.status).toBe(200);
    expect(lenient.events.map((event) => event.index)).toEqual([0]);
    expect(lenient.issues).toEqual(strict.issues);
  });

  it('U4 with continueOnValidationError and no valid event at all, the request is refused', () => {
    const result = validateCapiRequest(
      { data: [custom(1), custom(2)], continueOnValidationError: true },
      { now: NOW },
    );
    expect(result.status).toBe(400);
    expect(result.events).toEqual([]);
  });

  it('U4 eventTime counts seconds and must lie within the last 7 days: (now - 7d, now + 5 min]', () => {
    const nowSeconds = NOW / 1000;
    const judge = (eventTime: number) =>
      validateCapiRequest({ data: [custom(eventTime)] }, { now: NOW }).status;
    expect(judge(nowSeconds - (7 * DAY_MS) / 1000)).toBe(400);
    expect(judge(nowSeconds - (7 * DAY_MS) / 1000 + 1)).toBe(200);
    expect(judge(nowSeconds)).toBe(200);
    expect(judge(nowSeconds + 300)).toBe(200);
    expect(judge(nowSeconds + 301)).toBe(400);
    const accepted = validateCapiRequest({ data: [custom(nowSeconds - 60)] }, { now: NOW });
    expect(accepted.events[0]?.eventTimeMs).toBe(NOW - 60_000);
  });

  it('U4 the window and the skew are options', () => {
    const nowSeconds = NOW / 1000;
    const options = { now: NOW, maxEventAgeMs: 3_600_000, allowedSkewMs: 0 };
    const judge = (eventTime: number) =>
      validateCapiRequest({ data: [custom(eventTime)] }, options).status;
    expect([judge(nowSeconds - 3600), judge(nowSeconds - 3599), judge(nowSeconds + 1)]).toEqual([
      400, 200, 400,
    ]);
    expect(() => validateCapiRequest({ data: [] }, { now: 1.5 })).toThrow(TypeError);
  });

  it('U4 each request is judged by its own time of receipt and options, whatever came before', () => {
    const event = custom(NOW / 1000 - 2 * 3600);
    const later = { now: NOW + 7 * DAY_MS };
    const narrow = { now: NOW, maxEventAgeMs: 3_600_000 };
    const statuses = [{ now: NOW }, later, narrow, { now: NOW }, later].map(
      (options) => validateCapiRequest({ data: [event] }, options).status,
    );
    expect(statuses).toEqual([200, 400, 400, 200, 400]);
    const message = validateCapiRequest({ data: [event] }, narrow).issues[0]?.errorMessage;
    expect(message).toContain(`within the ${3_600_000 / DAY_MS} days`);
  });

  it('U4 a request of 1,000 events is accepted, one of 1,001 is refused as a whole', () => {
    const events = Array.from({ length: 1001 }, () => custom(NOW / 1000));
    expect(validateCapiRequest({ data: events.slice(0, 1000) }, { now: NOW }).events).toHaveLength(
      1000,
    );
    const tooMany = validateCapiRequest(
      { data: events, continueOnValidationError: true },
      { now: NOW },
    );
    expect(tooMany).toMatchObject({ status: 400, events: [], eventCount: 1001 });
    expect(tooMany.issues).toEqual([
      {
        propertyName: 'data',
        errorCode: 'TooManyEvents',
        errorMessage: "'data' holds 1001 events; a request may hold at most 1,000.",
        isWarning: false,
      },
    ]);
  });

  it('U4 a warning removes its optional field and keeps the event', () => {
    const result = validateCapiRequest(
      {
        data: [
          custom(NOW / 1000, {
            eventSourceUrl: 'shop.example/cart',
            referrerUrl: 'not a url',
            userData: {
              anonymousId: VISITOR,
              em: 'John@Contoso.com',
              msclkid: 'N',
              clientIpAddress: '999.1.1.1',
            },
            customData: { value: 10, currency: 'euro', pageType: 'checkout', itemIds: [1] },
          }),
        ],
      },
      { now: NOW },
    );
    expect(result.status).toBe(200);
    expect(
      result.issues.map((issue) => [issue.propertyName, issue.errorCode, issue.isWarning]),
    ).toEqual([
      ['data[0].eventSourceUrl', 'InvalidUrl', true],
      ['data[0].referrerUrl', 'InvalidUrl', true],
      ['data[0].userData.em', 'InvalidSha256', true],
      ['data[0].userData.msclkid', 'InvalidUuid', true],
      ['data[0].userData.clientIpAddress', 'InvalidIpAddress', true],
      ['data[0].customData.currency', 'InvalidCurrency', true],
      ['data[0].customData.pageType', 'InvalidEnumValue', true],
      ['data[0].customData.itemIds', 'InvalidType', true],
    ]);
    expect(result.events).toEqual([
      { index: 0, eventType: 'custom', eventTimeMs: NOW, revenue: 10, visitorId: VISITOR },
    ]);
  });

  it('U4 userData needs one identifier that survives the warnings', () => {
    const result = validateCapiRequest(
      {
        data: [
          custom(NOW / 1000, { userData: { em: 'not-a-hash', clientIpAddress: '127.0.0.1' } }),
        ],
      },
      { now: NOW },
    );
    expect(result.status).toBe(400);
    expect(
      result.issues.map((issue) => [issue.propertyName, issue.errorCode, issue.isWarning]),
    ).toEqual([
      ['data[0].userData', 'MissingIdentifier', false],
      ['data[0].userData.em', 'InvalidSha256', true],
    ]);
    for (const userData of [
      { externalId: '111222' },
      { em: 'ec81f3ac7b2b19675bab9d54cf416f9f18cff87c97da5cca82c0f0891bc40602' },
      { msclkid: 'dd4afccc-b1c9-4a4c-ad95-44dd7e5006ab' },
      { idfa: '550e8400-e29b-41d4-a716-446655440000' },
      { gaid: '550e8400-e29b-41d4-a716-446655440000' },
    ]) {
      expect(
        validateCapiRequest({ data: [custom(NOW / 1000, { userData })] }, { now: NOW }).status,
      ).toBe(200);
    }
  });

  it('U4 adStorageConsent D is carried, so that the event is known to be denied', () => {
    const result = validateCapiRequest(
      { data: [custom(NOW / 1000, { adStorageConsent: 'D' })] },
      { now: NOW },
    );
    expect(result.events[0]?.consent).toBe('D');
  });
});
