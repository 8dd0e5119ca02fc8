import { describe, expect, it } from 'vitest';
import type { CapiIssue } from '../packages/uet-tag/src/capi/capiRequest.js';
import {
  capiResponseOf,
  capiUnauthorizedResponse,
} from '../packages/uet-tag/src/capi/capiResponse.js';
import { validateCapiRequest } from '../packages/uet-tag/src/capi/validateCapiRequest.js';

const NOW = 1_744_430_351_000;
const GOOD = {
  eventType: 'custom',
  eventTime: 1_744_430_000,
  userData: { anonymousId: '7f3c2a10f1e611eeb3a1c7d9e2f4a6b8' },
};

/** A request whose fifth event (data[4]) is `event`, after four good ones. */
function fifth(event: unknown) {
  return { data: [GOOD, GOOD, GOOD, GOOD, event] };
}

const cases: {
  name: string;
  event: unknown;
  issue: Omit<CapiIssue, 'index' | 'isWarning'>;
}[] = [
  {
    name: 'eventType missing',
    event: { ...GOOD, eventType: undefined },
    issue: {
      propertyName: 'data[4].eventType',
      errorCode: 'Empty',
      errorMessage: "'eventType' is required.",
    },
  },
  {
    name: 'eventType pageView',
    event: { ...GOOD, eventType: 'pageView' },
    issue: {
      propertyName: 'data[4].eventType',
      attemptedValue: 'pageView',
      errorCode: 'InvalidEnumValue',
      errorMessage: "'eventType' must be pageLoad or custom.",
    },
  },
  {
    name: 'eventTime missing',
    event: { ...GOOD, eventTime: null },
    issue: {
      propertyName: 'data[4].eventTime',
      errorCode: 'Empty',
      errorMessage: "'eventTime' is required.",
    },
  },
  {
    name: 'eventTime as a string',
    event: { ...GOOD, eventTime: '1744430000' },
    issue: {
      propertyName: 'data[4].eventTime',
      attemptedValue: '1744430000',
      errorCode: 'InvalidEventTime',
      errorMessage: "'eventTime' must be an integer count of seconds since the UNIX epoch (UTC).",
    },
  },
  {
    name: 'eventTime with a fraction of a second',
    event: { ...GOOD, eventTime: 1_744_430_000.5 },
    issue: {
      propertyName: 'data[4].eventTime',
      attemptedValue: 1_744_430_000.5,
      errorCode: 'InvalidEventTime',
      errorMessage: "'eventTime' must be an integer count of seconds since the UNIX epoch (UTC).",
    },
  },
  {
    name: 'eventTime in milliseconds',
    event: { ...GOOD, eventTime: 1_744_430_000_000 },
    issue: {
      propertyName: 'data[4].eventTime',
      attemptedValue: 1_744_430_000_000,
      errorCode: 'InvalidEventTime',
      errorMessage:
        "'eventTime' must be an integer count of seconds since the UNIX epoch (UTC), at most 5 minutes ahead of the time of receipt (this looks like milliseconds).",
    },
  },
  {
    name: 'eventTime eight days old',
    event: { ...GOOD, eventTime: NOW / 1000 - 8 * 86_400 },
    issue: {
      propertyName: 'data[4].eventTime',
      attemptedValue: NOW / 1000 - 8 * 86_400,
      errorCode: 'InvalidEventTime',
      errorMessage:
        "'eventTime' must be an integer count of seconds since the UNIX epoch (UTC), within the 7 days before the time of receipt.",
    },
  },
  {
    name: 'a pageLoad without eventSourceUrl',
    event: { ...GOOD, eventType: 'pageLoad' },
    issue: {
      propertyName: 'data[4].eventSourceUrl',
      errorCode: 'Empty',
      errorMessage: "'eventSourceUrl' is required for a pageLoad event.",
    },
  },
  {
    name: 'a pageLoad with a relative eventSourceUrl',
    event: { ...GOOD, eventType: 'pageLoad', eventSourceUrl: '/cart' },
    issue: {
      propertyName: 'data[4].eventSourceUrl',
      attemptedValue: '/cart',
      errorCode: 'InvalidUrl',
      errorMessage: "'eventSourceUrl' must be an absolute http or https URL.",
    },
  },
  {
    name: 'eventName as a number',
    event: { ...GOOD, eventName: 42 },
    issue: {
      propertyName: 'data[4].eventName',
      attemptedValue: 42,
      errorCode: 'InvalidType',
      errorMessage: "'eventName' must be a string.",
    },
  },
  {
    name: 'adStorageConsent G|D, as the documents write the choice',
    event: { ...GOOD, adStorageConsent: 'G|D' },
    issue: {
      propertyName: 'data[4].adStorageConsent',
      attemptedValue: 'G|D',
      errorCode: 'InvalidEnumValue',
      errorMessage: "'adStorageConsent' must be G (granted) or D (denied).",
    },
  },
  {
    name: 'userData missing',
    event: { ...GOOD, userData: undefined },
    issue: {
      propertyName: 'data[4].userData',
      errorCode: 'Empty',
      errorMessage: "'userData' is required.",
    },
  },
  {
    name: 'userData as a string',
    event: { ...GOOD, userData: 'visitor-1' },
    issue: {
      propertyName: 'data[4].userData',
      attemptedValue: 'visitor-1',
      errorCode: 'InvalidType',
      errorMessage: "'userData' must be an object.",
    },
  },
  {
    name: 'userData without an identifier',
    event: { ...GOOD, userData: { clientUserAgent: 'Mozilla/5.0' } },
    issue: {
      propertyName: 'data[4].userData',
      errorCode: 'MissingIdentifier',
      errorMessage:
        "'userData' must hold at least one identifier: anonymousId, externalId, em, ph, msclkid, idfa or gaid.",
    },
  },
  {
    name: 'userData.anonymousId as a number',
    event: { ...GOOD, userData: { anonymousId: 7, externalId: 'u' } },
    issue: {
      propertyName: 'data[4].userData.anonymousId',
      attemptedValue: 7,
      errorCode: 'InvalidType',
      errorMessage: "'anonymousId' must be a string.",
    },
  },
  {
    name: 'customData.eventValue as a string',
    event: { ...GOOD, customData: { eventValue: '12.5' } },
    issue: {
      propertyName: 'data[4].customData.eventValue',
      attemptedValue: '12.5',
      errorCode: 'InvalidType',
      errorMessage: "'eventValue' must be a number.",
    },
  },
  {
    name: 'customData.value as a string',
    event: { ...GOOD, customData: { value: '59.90' } },
    issue: {
      propertyName: 'data[4].customData.value',
      attemptedValue: '59.90',
      errorCode: 'InvalidType',
      errorMessage: "'value' must be a number.",
    },
  },
  {
    name: 'customData as a list',
    event: { ...GOOD, customData: [] },
    issue: {
      propertyName: 'data[4].customData',
      errorCode: 'InvalidType',
      errorMessage: "'customData' must be an object.",
    },
  },
  {
    name: 'an event that is not an object',
    event: 'pageLoad',
    issue: {
      propertyName: 'data[4]',
      attemptedValue: 'pageLoad',
      errorCode: 'InvalidType',
      errorMessage: 'Each event must be a JSON object.',
    },
  },
];

describe('validateCapiRequest: validation errors, each naming its path (SPEC U4)', () => {
  for (const c of cases) {
    it(`U4 ${c.name} is an error at ${c.issue.propertyName}`, () => {
      const result = validateCapiRequest(fifth(c.event), { now: NOW });
      expect(result.status).toBe(400);
      expect(result.issues).toEqual([{ index: 4, isWarning: false, ...c.issue }]);
    });
  }

  const requestCases: { name: string; body: unknown; issue: Omit<CapiIssue, 'isWarning'> }[] = [
    {
      name: 'a body that is not an object',
      body: 'data',
      issue: {
        propertyName: 'body',
        attemptedValue: 'data',
        errorCode: 'InvalidType',
        errorMessage: 'The request body must be a JSON object.',
      },
    },
    {
      name: 'no data',
      body: { continueOnValidationError: true },
      issue: { propertyName: 'data', errorCode: 'Empty', errorMessage: "'data' is required." },
    },
    {
      name: 'data as an object',
      body: { data: GOOD },
      issue: {
        propertyName: 'data',
        errorCode: 'InvalidType',
        errorMessage: "'data' must be a list of events.",
      },
    },
    {
      name: 'an empty data',
      body: { data: [] },
      issue: {
        propertyName: 'data',
        errorCode: 'Empty',
        errorMessage: "'data' must hold at least one event.",
      },
    },
    {
      name: 'continueOnValidationError as a string',
      body: { data: [GOOD], continueOnValidationError: 'true' },
      issue: {
        propertyName: 'continueOnValidationError',
        attemptedValue: 'true',
        errorCode: 'InvalidType',
        errorMessage: "'continueOnValidationError' must be true or false.",
      },
    },
    {
      name: 'dataProvider as a number',
      body: { data: [GOOD], dataProvider: 5 },
      issue: {
        propertyName: 'dataProvider',
        attemptedValue: 5,
        errorCode: 'InvalidType',
        errorMessage: "'dataProvider' must be a string.",
      },
    },
  ];
  for (const c of requestCases) {
    it(`U4 ${c.name} refuses the request as a whole, naming ${c.issue.propertyName}`, () => {
      const result = validateCapiRequest(c.body, { now: NOW });
      expect(result).toMatchObject({ status: 400, events: [] });
      expect(result.issues).toEqual([{ isWarning: false, ...c.issue }]);
    });
  }
});

describe('capiResponseOf: the JSON the API answers with', () => {
  it('U4 a refused request gets 400 and the error details, at most 10 of them', () => {
    const bad = { ...GOOD, eventType: 'x' };
    const result = validateCapiRequest(
      { data: Array.from({ length: 12 }, () => bad) },
      { now: NOW },
    );
    const { status, body } = capiResponseOf(result);
    expect(status).toBe(400);
    expect(body.eventsReceived).toBeUndefined();
    expect(body.error?.code).toBe('ValidationError');
    expect(body.error?.message).toContain('at most the first 10 errors and warnings');
    expect(body.error?.details).toHaveLength(10);
    expect(body.error?.details?.[9]).toEqual({
      index: 9,
      propertyName: 'data[9].eventType',
      attemptedValue: 'x',
      errorMessage: "'eventType' must be pageLoad or custom.",
      errorCode: 'InvalidEnumValue',
      isWarning: false,
    });
  });

  it('U4 an accepted request gets 200 with eventsReceived, and the details of what was skipped', () => {
    const plain = capiResponseOf(validateCapiRequest({ data: [GOOD, GOOD] }, { now: NOW }));
    expect(plain).toEqual({ status: 200, body: { eventsReceived: 2 } });
    const skipped = capiResponseOf(
      validateCapiRequest(
        { data: [GOOD, { ...GOOD, eventTime: 1 }], continueOnValidationError: true },
        { now: NOW },
      ),
    );
    expect(skipped.status).toBe(200);
    expect(skipped.body.eventsReceived).toBe(1);
    expect(skipped.body.error?.details?.map((detail) => detail.propertyName)).toEqual([
      'data[1].eventTime',
    ]);
  });

  it('an attempted string value is echoed cut to 100 characters', () => {
    const result = validateCapiRequest(fifth({ ...GOOD, eventType: 'e'.repeat(5000) }), {
      now: NOW,
    });
    expect(capiResponseOf(result).body.error?.details?.[0]?.attemptedValue).toBe('e'.repeat(100));
  });

  it('a request without a valid token gets 401 Unauthorized', () => {
    expect(capiUnauthorizedResponse()).toEqual({
      status: 401,
      body: {
        error: { code: 'Unauthorized', message: 'The request is not authorized for this tag.' },
      },
    });
  });
});
