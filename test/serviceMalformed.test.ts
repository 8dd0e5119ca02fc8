import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type TestService } from './support/serviceSupport.js';

const WRITE = 'write-token-of-the-malformed-tests';
const READ = 'read-token-of-the-malformed-tests';
const CAPI = 'capi-token-of-the-malformed-tests';

let running: TestService;
/** The valid beacons sent between the malformed requests: each must be kept. */
const sentBeacons: string[] = [];

beforeAll(async () => {
  running = await startService({
    memory: true,
    writeToken: WRITE,
    readToken: READ,
    capiTokens: { '26000001': CAPI },
    bodyLimit: 4_096,
    requestTimeout: 500,
  });
});

afterAll(async () => {
  await running.close();
});

/** Sends raw bytes on a fresh connection; resolves with everything answered once it closes. */
function raw(bytes: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(running.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.setTimeout(5_000, () => socket.destroy());
  });
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

async function request(path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${running.url}${path}`, init);
  return { status: response.status, body: await response.text() };
}

const json = { 'content-type': 'application/json' };
const write = { ...json, authorization: `Bearer ${WRITE}` };
const read = { authorization: `Bearer ${READ}` };
const capi = { ...json, authorization: `Bearer ${CAPI}` };

/** Each class of malformed request, what it must be answered, and what its body must say. */
const CLASSES: readonly {
  name: string;
  send: () => Promise<Answer>;
  status: number;
  says: RegExp;
}[] = [
  {
    name: 'an oversized body',
    send: () =>
      request('/inputs', {
        method: 'POST',
        headers: write,
        body: `[${'{"kind":"registerTag","tagId":"x"},'.repeat(200)}1]`,
      }),
    status: 413,
    says: /"code":"bodyTooLarge".*"field":"body"/,
  },
  {
    name: 'a wrong method on the collector',
    send: () => request('/action/0?ti=5', { method: 'PUT' }),
    status: 405,
    says: /"field":"method"/,
  },
  {
    name: 'a wrong method on /inputs',
    send: () => request('/inputs', { method: 'GET', headers: write }),
    status: 405,
    says: /"field":"method"/,
  },
  {
    name: 'a hit without ti',
    send: () => request('/action/0?evt=pageLoad'),
    status: 400,
    says: /"field":"ti"/,
  },
  {
    name: 'a hit with an empty ti',
    send: () => request('/action/0?ti=&evt=pageLoad'),
    status: 400,
    says: /"field":"ti"/,
  },
  {
    name: 'a hit whose ti has white space',
    send: () => request('/action/0?ti=a%20b'),
    status: 400,
    says: /"code":"invalidId".*"field":"ti"/,
  },
  {
    name: 'a hit with bad percent-encoding',
    send: () => request('/action/0?ti=5&p=%E0%A4%A'),
    status: 400,
    says: /"code":"invalidHit".*"field":"p"/,
  },
  {
    name: 'a hit whose ev is not a number',
    send: () => request('/action/0?ti=5&evt=custom&ev=12abc'),
    status: 400,
    says: /"field":"ev"/,
  },
  {
    name: 'bad JSON',
    send: () => request('/inputs', { method: 'POST', headers: write, body: '[{"kind":' }),
    status: 400,
    says: /"code":"invalidJson".*"field":"body"/,
  },
  {
    name: 'an empty JSON body',
    send: () => request('/inputs', { method: 'POST', headers: write, body: '' }),
    status: 400,
    says: /"code":"emptyBody".*"field":"body"/,
  },
  {
    name: 'a JSON body that is not an array',
    send: () =>
      request('/inputs', {
        method: 'POST',
        headers: write,
        body: '{"kind":"registerTag","tagId":"x"}',
      }),
    status: 400,
    says: /"code":"invalidBody".*"field":"body"/,
  },
  {
    name: 'a content-type /inputs does not take',
    send: () =>
      request('/inputs', {
        method: 'POST',
        headers: { ...write, 'content-type': 'text/csv' },
        body: 'a,b',
      }),
    status: 415,
    says: /"field":"content-type"/,
  },
  {
    name: 'a record of an unknown kind',
    send: () =>
      request('/inputs', {
        method: 'POST',
        headers: write,
        body: '[{"kind":"explode","tagId":"x"}]',
      }),
    status: 200,
    says: /"accepted":0,"rejected":\[\{"index":0,"field":"kind"/,
  },
  {
    name: 'no token on /inputs',
    send: () => request('/inputs', { method: 'POST', headers: json, body: '[]' }),
    status: 401,
    says: /"field":"authorization"/,
  },
  {
    name: 'a bad token on a read route',
    send: () =>
      request('/tags', { headers: { authorization: 'Bearer not-a-token-of-this-service' } }),
    status: 401,
    says: /"field":"authorization"/,
  },
  {
    name: 'the read token on a write route',
    send: () => request('/inputs', { method: 'POST', headers: { ...json, ...read }, body: '[]' }),
    status: 401,
    says: /"code":"unauthorized"/,
  },
  {
    name: 'a Conversions API request without its token',
    send: () =>
      request('/v1/26000001/events', { method: 'POST', headers: json, body: '{"data":[]}' }),
    status: 401,
    says: /"code":"Unauthorized"/,
  },
  {
    name: 'a Conversions API request with bad JSON',
    send: () => request('/v1/26000001/events', { method: 'POST', headers: capi, body: '{"data":' }),
    status: 400,
    says: /"field":"body"/,
  },
  {
    name: 'a Conversions API request whose data is not a list',
    send: () =>
      request('/v1/26000001/events', { method: 'POST', headers: capi, body: '{"data":5}' }),
    status: 400,
    says: /"propertyName":"data"/,
  },
  {
    name: 'a bad Last-Event-ID',
    send: () => request('/changes', { headers: { ...read, 'last-event-id': '-3' } }),
    status: 400,
    says: /"field":"last-event-id"/,
  },
  {
    name: 'an unknown status filter',
    send: () => request('/tags?status=Asleep', { headers: read }),
    status: 400,
    says: /"field":"status"/,
  },
  {
    name: 'a limit out of range',
    send: () => request('/tags?limit=0', { headers: read }),
    status: 400,
    says: /"field":"limit"/,
  },
  {
    name: 'an unknown tag',
    send: () => request('/tags/nobody', { headers: read }),
    status: 404,
    says: /"field":"tagId"/,
  },
  {
    name: 'a Campaign Management request with TagIds not a list',
    send: () =>
      request('/CampaignManagement/v13/UetTags/QueryByIds', {
        method: 'POST',
        headers: { ...json, ...read },
        body: '{"TagIds":"5"}',
      }),
    status: 400,
    says: /"ApplicationFault".*"Details":"TagIds"/,
  },
  {
    name: 'an unknown route',
    send: () => request('/nowhere', { headers: read }),
    status: 404,
    says: /"code":"notFound"/,
  },
  {
    name: 'headers too large',
    send: async () => ({
      status: Number(
        /^HTTP\/1\.1 (\d{3})/.exec(
          await raw(
            `GET /action/0?ti=5 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
          ),
        )?.[1],
      ),
      body: '',
    }),
    status: 431,
    says: /^$/,
  },
  {
    name: 'not HTTP at all',
    send: async () => ({
      status: Number(/^HTTP\/1\.1 (\d{3})/.exec(await raw('HELLO WORLD\r\n\r\n'))?.[1]),
      body: '',
    }),
    status: 400,
    says: /^$/,
  },
  {
    name: 'slowloris (headers never finished)',
    send: async () => ({
      status: Number(
        /^HTTP\/1\.1 (\d{3})/.exec(await raw('GET /action/0?ti=slow HTTP/1.1\r\nHost: x\r\n'))?.[1],
      ),
      body: '',
    }),
    status: 408,
    says: /^$/,
  },
];

describe('uet-tag serve: malformed requests', () => {
  it(`has at least 20 classes (${CLASSES.length})`, () => {
    expect(CLASSES.length).toBeGreaterThanOrEqual(20);
  });

  for (const [index, malformed] of CLASSES.entries()) {
    it(`D4 ${malformed.name}: answered ${malformed.status} naming what is wrong, and a valid hit beside it is kept`, async () => {
      const tagId = `valid-${index}`;
      const [answer, beacon] = await Promise.all([
        malformed.send(),
        request(`/action/0?ti=${tagId}`),
      ]);
      sentBeacons.push(tagId);
      expect(answer.status).toBe(malformed.status);
      expect(answer.body).toMatch(malformed.says);
      expect(beacon.status).toBe(204);
    });
  }

  it('D4 nothing else was lost: every valid hit is a tag, nothing malformed registered one, and the service is ready', async () => {
    const monitor = running.service.monitor;
    expect([...monitor.statuses()].map((report) => report.tagId).sort()).toEqual(
      [...sentBeacons].sort(),
    );
    expect((await request('/readyz')).status).toBe(200);
  });
});
