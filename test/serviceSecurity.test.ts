import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonOf, startService, type TestService } from './support/serviceSupport.js';

const WRITE = 'write-token-of-the-security-tests';
const READ = 'read-token-of-the-security-tests';
const ADMIN = 'admin-token-of-the-security-tests';

let running: TestService | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('uet-tag serve: security', () => {
  it('write, read and admin tokens: each route opens with its token (admin opens all, write opens reads), 401 naming authorization otherwise', async () => {
    running = await startService({
      memory: true,
      writeToken: WRITE,
      readToken: READ,
      adminToken: ADMIN,
    });
    const body = JSON.stringify([{ kind: 'registerTag', tagId: 'a' }]);
    const post = (headers: Record<string, string>) =>
      fetch(`${running?.url}/inputs`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...headers },
      });
    const none = await post({});
    expect(none.status).toBe(401);
    expect((await jsonOf(none)).error).toMatchObject({
      code: 'unauthorized',
      field: 'authorization',
    });
    expect((await post(bearer(READ))).status).toBe(401);
    expect((await post(bearer(WRITE))).status).toBe(200);
    const read = (path: string, headers: Record<string, string>) =>
      fetch(`${running?.url}${path}`, { headers });
    expect((await read('/tags', {})).status).toBe(401);
    expect((await read('/tags', bearer(READ))).status).toBe(200);
    expect((await read('/tags', bearer(WRITE))).status).toBe(200);
    expect((await read('/metrics', bearer(READ))).status).toBe(200);
    expect((await read('/admin/webhooks', bearer(READ))).status).toBe(401);
    expect((await read('/admin/webhooks', bearer(WRITE))).status).toBe(401);
    expect((await read('/admin/webhooks', bearer(ADMIN))).status).toBe(200);
    expect((await read(`/tags?access_token=${READ}`, {})).status).toBe(200);
    expect((await read('/tags', { authorization: `Bearer ${READ}x` })).status).toBe(401);
    // The collector, health checks and the status page stay open.
    expect((await read('/action/0?ti=a', {})).status).toBe(204);
    expect((await read('/healthz', {})).status).toBe(200);
    expect((await read('/', {})).status).toBe(200);
    expect((await read('/status-page/app.js', {})).status).toBe(200);
  });

  it('no token configured: every route open to loopback clients only (403 to others), and the server says so at start', async () => {
    running = await startService({ memory: true });
    const started = running.logs.find((line) =>
      /uet-tag serve listening at/.test(String(line.msg)),
    );
    expect(started?.msg).toMatch(/no token is configured, so only loopback clients may connect/);
    const remote = await running.service.app.inject({
      method: 'GET',
      url: '/tags',
      remoteAddress: '192.0.2.77',
    });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().error).toMatchObject({ code: 'loopbackOnly' });
    const beacon = await running.service.app.inject({
      method: 'GET',
      url: '/action/0?ti=a',
      remoteAddress: '192.0.2.77',
    });
    expect(beacon.statusCode).toBe(403);
    const local = await running.service.app.inject({
      method: 'GET',
      url: '/tags',
      remoteAddress: '127.0.0.1',
    });
    expect(local.statusCode).toBe(200);
    const local6 = await running.service.app.inject({
      method: 'GET',
      url: '/tags',
      remoteAddress: '::1',
    });
    expect(local6.statusCode).toBe(200);
  });

  it('CORS is open on the collector endpoints only', async () => {
    running = await startService({ memory: true });
    const origin = { origin: 'https://shop.example' };
    const beacon = await fetch(`${running.url}/action/0?ti=a`, { headers: origin });
    expect(beacon.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(`${running.url}/actionp/0?ti=a`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    for (const path of ['/tags', '/inputs', '/changes?after=0', '/metrics', '/v1/5/events']) {
      const response = await fetch(`${running.url}${path}`, {
        method: path === '/inputs' || path.startsWith('/v1') ? 'OPTIONS' : 'GET',
        headers: origin,
      });
      expect(response.headers.get('access-control-allow-origin'), path).toBeNull();
      await response.body?.cancel();
    }
  });

  it('a body over --body-limit is refused with 413 naming body; nothing of it is applied', async () => {
    running = await startService({ memory: true, bodyLimit: 1_024 });
    const records = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ kind: 'registerTag', tagId: `tag-${i}` }),
    ).join('\n');
    const response = await fetch(`${running.url}/inputs`, {
      method: 'POST',
      body: records,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(response.status).toBe(413);
    expect((await jsonOf(response)).error).toMatchObject({ code: 'bodyTooLarge', field: 'body' });
    expect(running.service.monitor.size).toBe(0);
  });

  it('slowloris: a request that does not arrive within --request-timeout is answered 408 and its connection closed', async () => {
    running = await startService({ memory: true, requestTimeout: 400 });
    const { hostname, port } = new URL(running.url);
    const socket = connect({ host: hostname, port: Number(port) });
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('latin1');
      });
      socket.on('close', () => resolve(text));
    });
    socket.write('GET /action/0?ti=slow HTTP/1.1\r\nHost: x\r\n');
    const started = Date.now();
    expect(await answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(running.service.monitor.size).toBe(0);
    expect((await fetch(`${running.url}/action/0?ti=fast`)).status).toBe(204);
  });
});
