import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceConfigError } from '../packages/uet-tag/src/service/ServiceConfigError.js';
import { loadServiceConfig } from '../packages/uet-tag/src/service/serviceConfig.js';
import { spawnJsonLines } from './support/childProcess.js';
import {
  jsonOf,
  startService,
  type TestService,
  temporaryFolder,
} from './support/serviceSupport.js';
import { CLI_SOURCE, sourceNodeArgs } from './support/sourceProcess.js';

const CAPI_TOKEN = 'capi-token-for-tag-26000001';

let running: TestService | undefined;
let folder: ReturnType<typeof temporaryFolder> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
  folder?.remove();
  folder = undefined;
});

function capiEvent(eventTime: number): Record<string, unknown> {
  return {
    eventType: 'custom',
    eventTime,
    eventName: 'buy',
    userData: { anonymousId: 'b171a9b06ce011ecafcd1b209be8601b' },
  };
}

describe('uet-tag serve: Conversions API, health, configuration and shutdown', () => {
  it('U4 POST /v1/{tagId}/events: 401 without the tag token, 400 with details for a bad event, 200 eventsReceived and activity once durable', async () => {
    running = await startService({ memory: true, capiTokens: { '26000001': CAPI_TOKEN } });
    const url = `${running.url}/v1/26000001/events`;
    const seconds = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ data: [capiEvent(seconds)] });
    const json = { 'content-type': 'application/json' };
    const none = await fetch(url, { method: 'POST', body, headers: json });
    expect(none.status).toBe(401);
    expect((await jsonOf(none)).error).toMatchObject({ code: 'Unauthorized' });
    const wrong = await fetch(url, {
      method: 'POST',
      body,
      headers: { ...json, authorization: 'Bearer not-the-token-of-this-tag' },
    });
    expect(wrong.status).toBe(401);
    const auth = { ...json, authorization: `Bearer ${CAPI_TOKEN}` };
    const bad = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ data: [capiEvent(1)] }),
      headers: auth,
    });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error).toMatchObject({
      code: 'ValidationError',
      details: [{ propertyName: 'data[0].eventTime' }],
    });
    expect(running.service.monitor.size).toBe(0);
    const good = await fetch(url, { method: 'POST', body, headers: auth });
    expect(good.status).toBe(200);
    expect(await jsonOf(good)).toEqual({ eventsReceived: 1 });
    expect(running.service.monitor.status('26000001').status).toBe('Active');
  });

  it('GET /healthz and /readyz answer 200 while serving', async () => {
    running = await startService({ memory: true });
    expect(await jsonOf(await fetch(`${running.url}/healthz`))).toEqual({ status: 'ok' });
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await jsonOf(ready)).toEqual({ status: 'ready', tags: 0 });
  });

  it('logs carry no visitor id, page URL, client address or token unless asked', async () => {
    running = await startService({ memory: true, logLevel: 'debug' });
    await fetch(
      `${running.url}/action/0?ti=5&vid=visitor-secret-id&p=https%3A%2F%2Fshop.example%2Fprivate`,
      { headers: { authorization: 'Bearer some-secret-token-value' } },
    );
    const text = JSON.stringify(running.logs);
    expect(text).toContain('/action/0');
    expect(text).not.toContain('visitor-secret-id');
    expect(text).not.toContain('private');
    expect(text).not.toContain('remoteAddress');
    expect(text).not.toContain('remotePort');
    expect(text).not.toContain('user-agent');
    expect(text).not.toContain('some-secret-token-value');
  });

  it('configuration: the file, then UET_TAG_* variables, then flags; each bad field named with where it came from', () => {
    folder = temporaryFolder('serve-config-');
    const file = path.join(folder.dir, 'service.yaml');
    writeFileSync(
      file,
      'port: 9000\nbodyLimit: 2048\nwarnBefore: 1h\ncapiTokens:\n  "26000001": capi-token-for-tag-26000001\n',
    );
    const config = loadServiceConfig({
      file,
      environment: { UET_TAG_PORT: '9001', UET_TAG_LOG_LEVEL: 'warn' },
      flags: { port: '9002' },
    });
    expect(config).toMatchObject({
      port: 9002,
      bodyLimit: 2048,
      warnBefore: 3_600_000,
      logLevel: 'warn',
      capiTokens: { '26000001': CAPI_TOKEN },
    });
    expect(() => loadServiceConfig({ environment: { UET_TAG_PORT: 'eighty' } })).toThrow(
      /port: "eighty" is not valid.*\(from UET_TAG_PORT\)/,
    );
    expect(() => loadServiceConfig({ flags: { warnBefore: 'soon' } })).toThrow(ServiceConfigError);
    expect(() => loadServiceConfig({ flags: { readToken: 'short' } })).toThrow(
      /readToken.*at least 16.*\(from flag\)/,
    );
  });

  it('SIGTERM: a real uet-tag serve process stops taking requests, commits, closes the file and exits 0; the data is there at the next start', async () => {
    folder = temporaryFolder('serve-signal-');
    const db = path.join(folder.dir, 'tags.db');
    const start = () =>
      spawnJsonLines(
        [...sourceNodeArgs(CLI_SOURCE), 'serve', '--db', db, '--port', '0'],
        process.cwd(),
      );
    const first = start();
    const listening = (await first.waitForLine((line) =>
      /uet-tag serve listening at/.test(String((line as { msg?: string }).msg)),
    )) as { msg: string };
    const base = /listening at (\S+?);?(?:\s|$)/.exec(listening.msg)?.[1] as string;
    expect(listening.msg).toMatch(/only loopback clients may connect/);
    expect((await fetch(`${base}/action/0?ti=shop`)).status).toBe(204);
    first.child.kill('SIGTERM');
    expect(await first.exited()).toBe(0);
    const second = start();
    const again = (await second.waitForLine((line) =>
      /uet-tag serve listening at/.test(String((line as { msg?: string }).msg)),
    )) as { msg: string };
    const base2 = /listening at (\S+?);?(?:\s|$)/.exec(again.msg)?.[1] as string;
    const ready = await jsonOf(await fetch(`${base2}/readyz`));
    expect(ready.tags).toBe(1);
    second.child.kill('SIGINT');
    expect(await second.exited()).toBe(0);
  });
});
