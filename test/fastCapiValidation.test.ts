import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCapiRequestFast } from '../packages/uet-tag/src/capi/fastCapiValidation.js';
import {
  validateCapiRequest,
  validateCapiRequestBySchemas,
} from '../packages/uet-tag/src/capi/validateCapiRequest.js';

const NOW = 1_744_430_351_000;
const DAY_MS = 86_400_000;
const OPTIONS = [
  { now: NOW },
  { now: NOW, allowedSkewMs: 0 },
  { now: NOW, maxEventAgeMs: DAY_MS, allowedSkewMs: 60_000 },
] as const;

/** The bounds `validateCapiRequest` derives from one of {@link OPTIONS}. */
function boundsOf(options: (typeof OPTIONS)[number]) {
  const maxEventAgeMs = 'maxEventAgeMs' in options ? options.maxEventAgeMs : 7 * DAY_MS;
  const allowedSkewMs = 'allowedSkewMs' in options ? options.allowedSkewMs : 300_000;
  return {
    after: options.now - maxEventAgeMs,
    notAfter: options.now + allowedSkewMs,
    maxEventAgeMs,
    allowedSkewMs,
  };
}

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme', minLength: 1 }),
  fc.constant(''),
  fc.string({ minLength: 2_000, maxLength: 2_100 }),
);
const WEB_URLS = [
  'https://shop.example/',
  'http://a.example/cart?x=1#top',
  'HTTPS://SHOP.EXAMPLE/Ü?q=ä',
  'https://[2001:db8::1]:8443/p',
  'http://xn--nxasmq6b.example/',
];
const NOT_WEB_URLS = [
  'ftp://files.example/',
  '/cart',
  'https://',
  'http://[::1',
  'not a url',
  '',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'mailto:someone@example.com',
];
const webUrl = fc.oneof(fc.constantFrom(...WEB_URLS), fc.webUrl());
const anyUrl = fc.oneof(webUrl, fc.constantFrom(...NOT_WEB_URLS), text);
const SHA = 'ec81f3ac7b2b19675bab9d54cf416f9f18cff87c97da5cca82c0f0891bc40602';
const UUID = 'dd4afccc-b1c9-4a4c-ad95-44dd7e5006ab';

/** An optional field: absent, null, or a value. */
function optional<T>(value: fc.Arbitrary<T>) {
  return fc.option(fc.oneof(value, fc.constant(null)), { nil: undefined });
}

/** Removes the keys whose value is `undefined`, as a JSON body would not have them. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

const identifier = fc.oneof(
  fc.record({ anonymousId: fc.string({ minLength: 1 }) }),
  fc.record({ externalId: fc.string({ minLength: 1 }) }),
  fc.record({ idfa: fc.string({ minLength: 1 }) }),
  fc.record({ gaid: fc.string({ minLength: 1 }) }),
  fc.record({ em: fc.constant(SHA) }),
  fc.record({ ph: fc.constant(SHA) }),
  fc.record({ msclkid: fc.constantFrom(UUID, UUID.toUpperCase()) }),
);

const userData = fc
  .tuple(
    fc.record({
      anonymousId: optional(text),
      externalId: optional(text),
      idfa: optional(text),
      gaid: optional(text),
      clientUserAgent: optional(text),
      em: optional(fc.oneof(fc.constant(SHA), fc.constant(SHA.toUpperCase()), text)),
      ph: optional(fc.oneof(fc.constant(SHA), fc.integer())),
      msclkid: optional(fc.oneof(fc.constant(UUID), text)),
      clientIpAddress: optional(fc.oneof(fc.ipV4(), fc.ipV6(), text)),
      extra: optional(fc.jsonValue()),
    }),
    identifier,
  )
  .map(([fields, id]) => ({ ...defined(fields), ...id }));

const customData = fc
  .record({
    eventCategory: optional(text),
    eventLabel: optional(text),
    eventValue: optional(fc.double({ noNaN: true, noDefaultInfinity: true })),
    value: optional(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))),
    transactionId: optional(text),
    currency: optional(fc.oneof(fc.constantFrom('EUR', 'usd', 'Gbp', 'EURO', '€'), text)),
    pageType: optional(fc.oneof(fc.constantFrom('purchase', 'cart', 'Purchase'), text)),
    items: optional(fc.oneof(fc.array(fc.object()), fc.array(fc.jsonValue()))),
    itemIds: optional(fc.oneof(fc.array(fc.string()), fc.array(fc.jsonValue()))),
    ecommTotalValue: optional(fc.oneof(fc.double(), text)),
    ecommCategory: optional(fc.oneof(text, fc.integer())),
    searchTerm: optional(fc.oneof(text, fc.boolean())),
    hotelData: optional(fc.oneof(fc.object(), fc.array(fc.integer()))),
  })
  .map(defined);

/** A valid event at a time within `bounds`, its optional fields valid or only warned about. */
function validEvent(bounds: ReturnType<typeof boundsOf>) {
  const first = Math.floor(bounds.after / 1000) + 1;
  const last = Math.floor(bounds.notAfter / 1000);
  return fc
    .record({
      eventType: fc.constantFrom('pageLoad', 'custom'),
      eventTime: fc.oneof(fc.integer({ min: first, max: last }), fc.constantFrom(first, last)),
      eventId: optional(text),
      eventName: optional(text),
      pageLoadId: optional(text),
      pageTitle: optional(text),
      keywords: optional(text),
      eventSourceUrl: optional(anyUrl),
      pageUrl: webUrl,
      referrerUrl: optional(anyUrl),
      adStorageConsent: optional(fc.constantFrom('G', 'D')),
      userData,
      customData: fc.option(fc.oneof(customData, fc.constant(null)), { nil: undefined }),
      extra: optional(fc.jsonValue()),
    })
    .map(({ pageUrl, ...event }) =>
      defined(event.eventType === 'pageLoad' ? { ...event, eventSourceUrl: pageUrl } : event),
    );
}

function validBody(bounds: ReturnType<typeof boundsOf>) {
  return fc
    .record({
      data: fc.array(validEvent(bounds), { minLength: 1, maxLength: 4 }),
      continueOnValidationError: optional(fc.boolean()),
      dataProvider: optional(text),
      extra: optional(fc.jsonValue()),
    })
    .map(defined);
}

/** Values of every JSON type and then some: what a mutation puts in a field's place. */
const strangeValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, Number.NaN, Infinity, -1, 1.5, 2 ** 53, 1e11, 1e13, 1_744_430_351),
  text,
  fc.constantFrom('pageLoad', 'custom', 'PageLoad', 'G', 'D', 'g', 'denied', ...WEB_URLS),
  fc.constantFrom(...NOT_WEB_URLS),
  fc.constant([]),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.constant({}),
  fc.object({ maxDepth: 1 }),
  fc.bigInt(),
);

const EVENT_KEYS = [
  'eventType',
  'eventTime',
  'eventId',
  'eventName',
  'pageLoadId',
  'pageTitle',
  'keywords',
  'eventSourceUrl',
  'referrerUrl',
  'adStorageConsent',
  'userData',
  'customData',
  'extra',
];
const USER_DATA_KEYS = [
  'anonymousId',
  'externalId',
  'idfa',
  'gaid',
  'clientUserAgent',
  'em',
  'ph',
  'msclkid',
  'clientIpAddress',
];
const CUSTOM_DATA_KEYS = [
  'eventCategory',
  'eventLabel',
  'eventValue',
  'value',
  'transactionId',
  'currency',
  'pageType',
  'items',
  'itemIds',
  'ecommTotalValue',
];

/** Where a mutation lands: the body, a field of it, of an event, of its user or custom data. */
const mutationPath = fc.oneof(
  fc.constant([] as (string | number)[]),
  fc.constantFrom('data', 'continueOnValidationError', 'dataProvider').map((key) => [key]),
  fc.nat({ max: 4 }).map((index) => ['data', index]),
  fc.tuple(fc.nat({ max: 3 }), fc.constantFrom(...EVENT_KEYS)).map(([i, key]) => ['data', i, key]),
  fc
    .tuple(fc.nat({ max: 3 }), fc.constantFrom(...USER_DATA_KEYS))
    .map(([i, key]) => ['data', i, 'userData', key]),
  fc
    .tuple(fc.nat({ max: 3 }), fc.constantFrom(...CUSTOM_DATA_KEYS))
    .map(([i, key]) => ['data', i, 'customData', key]),
);

const mutation = fc.record({
  path: mutationPath,
  change: fc.oneof(
    fc.constant({ kind: 'delete' as const }),
    strangeValue.map((value) => ({ kind: 'set' as const, value })),
  ),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** The body with the mutation applied (nothing happens where the path leads nowhere). */
function mutate(body: unknown, { path, change }: Mutation): unknown {
  if (path.length === 0) return change.kind === 'set' ? change.value : undefined;
  let parent: unknown = body;
  for (const key of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return body;
    parent = (parent as Record<string | number, unknown>)[key];
  }
  if (typeof parent !== 'object' || parent === null) return body;
  const key = path[path.length - 1] as string | number;
  const target = parent as Record<string | number, unknown>;
  if (change.kind === 'delete') delete target[key];
  else target[key] = change.value;
  return body;
}

/** The fast check and the schemas agree on `body`: same outcome, same value. */
function expectAgreement(body: unknown, options: (typeof OPTIONS)[number]): boolean {
  const reference = validateCapiRequestBySchemas(body, options);
  const fast = validateCapiRequestFast(body, boundsOf(options));
  const withoutErrors =
    reference.status === 200 && reference.issues.every((issue) => issue.isWarning);
  expect(fast !== undefined).toBe(withoutErrors);
  if (fast !== undefined) expect(fast).toStrictEqual(reference);
  expect(validateCapiRequest(body, options)).toStrictEqual(reference);
  return fast !== undefined;
}

const optionsAndBody = fc
  .constantFrom(...OPTIONS)
  .chain((options) => fc.tuple(fc.constant(options), validBody(boundsOf(options))));

describe('validateCapiRequestFast: the schemas without zod, for bodies without errors', () => {
  it('accepts every valid body, warnings included, with the schemas’ very result', {
    timeout: 120_000,
  }, () => {
    fc.assert(
      fc.property(optionsAndBody, ([options, body]) => {
        expect(expectAgreement(body, options)).toBe(true);
        expect(expectAgreement(JSON.parse(JSON.stringify(body)), options)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never accepts a body the schemas find an error in: missing, extra, mistyped fields, bad enums and times', {
    timeout: 240_000,
  }, () => {
    let refused = 0;
    fc.assert(
      fc.property(
        optionsAndBody,
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        ([options, body], mutations) => {
          const mutated = mutations.reduce(mutate, structuredClone(body) as unknown);
          if (!expectAgreement(mutated, options)) refused++;
        },
      ),
      { numRuns: 2_000 },
    );
    // The mutations do reach the errors: most mutated bodies are refused.
    expect(refused).toBeGreaterThan(800);
  });

  it('refuses, as the schemas do, times at and beyond the bounds and too many events', () => {
    const options = OPTIONS[0];
    const bounds = boundsOf(options);
    const event = (eventTime: unknown) => ({
      eventType: 'custom',
      eventTime,
      userData: { anonymousId: 'v' },
    });
    const oldest = bounds.after / 1000;
    const latest = bounds.notAfter / 1000;
    for (const eventTime of [oldest, oldest + 1, latest, latest + 1, 1.5, -1, 2 ** 53, '1']) {
      const accepted = expectAgreement({ data: [event(eventTime)] }, options);
      expect(accepted).toBe(eventTime === oldest + 1 || eventTime === latest);
    }
    // An event of null is refused by name (the page load check once threw on it).
    expect(validateCapiRequestBySchemas({ data: [null] }, options).issues).toStrictEqual([
      {
        index: 0,
        propertyName: 'data[0]',
        errorMessage: 'An event is required here.',
        errorCode: 'Empty',
        isWarning: false,
      },
    ]);
    const many = Array.from({ length: 1_001 }, () => event(latest));
    expect(expectAgreement({ data: many }, options)).toBe(false);
    expect(expectAgreement({ data: many.slice(1) }, options)).toBe(true);
  });
});
