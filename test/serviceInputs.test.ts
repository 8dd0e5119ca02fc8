import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createTagMonitor } from '../packages/uet-tag-status/src/index.js';
import {
  jsonOf,
  startService,
  type TestService,
  temporaryFolder,
} from './support/serviceSupport.js';

let running: TestService | undefined;

/** A child process opens `count` connections, writes one hit on each at once, and prints the statuses. */
function hitsFromAnotherProcess(url: string, count: number): Promise<number[]> {
  const { port } = new URL(url);
  const script = `
    const net = require('node:net');
    const sockets = [];
    let connected = 0;
    for (let i = 0; i < ${count}; i++) {
      const socket = net.connect(${port}, '127.0.0.1', () => {
        if (++connected === ${count}) sockets.forEach((s, j) => s.write('GET /action/0?ti=tag-' + j + ' HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n'));
      });
      let text = '';
      socket.on('data', (chunk) => { text += chunk; });
      socket.on('close', () => {
        statuses[i] = Number(/^HTTP\\/1\\.1 (\\d{3})/.exec(text)?.[1]);
        if (statuses.filter((s) => s !== undefined).length === ${count}) console.log(JSON.stringify(statuses));
      });
      sockets.push(socket);
    }
    const statuses = new Array(${count});
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { timeout: 20_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as number[]);
    });
  });
}
let folder: ReturnType<typeof temporaryFolder> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
  folder?.remove();
  folder = undefined;
});

describe('uet-tag serve: inputs, collector and Conversions API on a real server', () => {
  it('U1 U2 a GET /action/0 and a POST /actionp/0 hit answer 204 and are activity of their tag, durable in the SQLite file', async () => {
    folder = temporaryFolder('serve-');
    const db = path.join(folder.dir, 'tags.db');
    running = await startService({ db });
    const get = await fetch(
      `${running.url}/action/0?ti=26012345&evt=pageLoad&p=https%3A%2F%2Fshop.example%2F`,
    );
    expect(get.status).toBe(204);
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
    const post = await fetch(`${running.url}/actionp/0?ti=26012346&evt=pageHide`, {
      method: 'POST',
      body: 'ignored',
      headers: { 'content-type': 'text/plain' },
    });
    expect(post.status).toBe(204);
    await running.close();
    running = undefined;
    const monitor = createTagMonitor({ store: createSqliteStore({ path: db }) });
    try {
      expect(monitor.status('26012345').status).toBe('Active');
      expect(monitor.status('26012346').status).toBe('Active');
    } finally {
      monitor.close();
    }
  });

  it('M3 M4 M7 a beacon and a Conversions API event convert the goals whose definitions they match (goals registered as ConversionGoal objects)', async () => {
    const token = 'capi-token-of-the-matching-test';
    running = await startService({ memory: true, capiTokens: { '26000001': token } });
    const registered = await fetch(`${running.url}/inputs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          kind: 'registerTag',
          tagId: '26000001',
          conversionGoals: [
            {
              Id: '46000001',
              TagId: '26000001',
              Type: 'Url',
              UrlExpression: 'shop.example/thanks',
              UrlOperator: 'Contains',
            },
            {
              Id: '46000002',
              TagId: '26000001',
              Type: 'Event',
              ActionExpression: 'subscribe',
              ActionOperator: 'Equals',
            },
            {
              Id: '46000003',
              TagId: '26000001',
              Type: 'Event',
              ActionExpression: 'never',
              ActionOperator: 'Equals',
            },
          ],
        },
      ]),
    });
    expect(await jsonOf(registered)).toEqual({ accepted: 1, rejected: [] });
    const page = encodeURIComponent('https://shop.example/thanks?order=1');
    expect((await fetch(`${running.url}/action/0?ti=26000001&evt=pageLoad&p=${page}`)).status).toBe(
      204,
    );
    const event = {
      eventType: 'custom',
      eventTime: Math.floor(Date.now() / 1000),
      eventName: 'subscribe',
      userData: { anonymousId: 'b171a9b06ce011ecafcd1b209be8601b' },
    };
    const capi = await fetch(`${running.url}/v1/26000001/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ data: [event] }),
    });
    expect(capi.status).toBe(200);
    const goals = running.service.monitor
      .status('26000001')
      .goals.map((goal) => [goal.goalId, goal.status]);
    expect(goals).toEqual([
      ['46000001', 'RecordingConversions'],
      ['46000002', 'RecordingConversions'],
      ['46000003', 'NoRecentConversions'],
    ]);
  });

  it('D4 a hit without ti answers 400 naming ti, and changes nothing', async () => {
    running = await startService({ memory: true });
    const response = await fetch(`${running.url}/action/0?evt=pageLoad`);
    expect(response.status).toBe(400);
    const body = await jsonOf(response);
    expect(body.error).toMatchObject({ code: 'invalidId', field: 'ti' });
    expect(running.service.monitor.size).toBe(0);
  });

  it('D4 POST /inputs applies good NDJSON records in one commit and lists each bad one by line and field', async () => {
    running = await startService({ memory: true });
    const now = Date.now();
    const body = [
      JSON.stringify({
        kind: 'registerTag',
        tagId: 'shop',
        goals: [{ goalId: 'buy', goalType: 'Url' }],
      }),
      '',
      '{"kind":"activity","tagId":"shop"}',
      'not json',
      JSON.stringify({ kind: 'activity', tagId: 'shop', at: now }),
      JSON.stringify({ kind: 'conversion', tagId: 'nobody-yet', goalId: 'g', at: now }),
    ].join('\n');
    const response = await fetch(`${running.url}/inputs`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(response.status).toBe(200);
    const result = await jsonOf(response);
    expect(result.accepted).toBe(2);
    expect(result.rejected).toMatchObject([
      { index: 1, line: 3, field: 'at' },
      { index: 2, line: 4, field: 'record' },
      { index: 4, line: 6, field: 'goalId' },
    ]);
    expect(running.service.monitor.status('shop').status).toBe('Active');
  });

  it('POST /inputs takes a JSON array; a body that is not an array is refused naming body', async () => {
    running = await startService({ memory: true });
    const ok = await fetch(`${running.url}/inputs`, {
      method: 'POST',
      body: JSON.stringify([
        { kind: 'registerTag', tagId: 'a' },
        { kind: 'registerTag', tagId: 'a' },
      ]),
      headers: { 'content-type': 'application/json' },
    });
    expect(await jsonOf(ok)).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, field: 'tagId' }],
    });
    const bad = await fetch(`${running.url}/inputs`, {
      method: 'POST',
      body: '{"kind":"registerTag"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error).toMatchObject({ code: 'invalidBody', field: 'body' });
  });

  it('group commit: 200 concurrent hits share fewer commits than requests, and every one is durable', async () => {
    folder = temporaryFolder('serve-');
    const db = path.join(folder.dir, 'tags.db');
    running = await startService({ db });
    // The clients are another process, as a site's visitors are: 200 connections opened
    // first, then one hit written on each at once.
    const statuses = await hitsFromAnotherProcess(running.url, 200);
    expect(statuses).toEqual(Array(200).fill(204));
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    const commits = Number(/^uet_tag_commit_seconds_count (\d+)$/m.exec(metrics)?.[1]);
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(200);
    await running.close();
    running = undefined;
    const monitor = createTagMonitor({ store: createSqliteStore({ path: db }) });
    try {
      expect(monitor.size).toBe(200);
    } finally {
      monitor.close();
    }
  });
});
