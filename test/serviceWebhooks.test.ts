import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signatureOf } from '../packages/uet-tag/src/service/webhooks/WebhookDispatcher.js';
import { spawnJsonLines } from './support/childProcess.js';
import {
  jsonOf,
  startService,
  type TestService,
  temporaryFolder,
} from './support/serviceSupport.js';
import { CLI_SOURCE, sourceNodeArgs } from './support/sourceProcess.js';
import { connectSse } from './support/sseClient.js';
import {
  deliveredKeys,
  type ReceivedHook,
  startReceiver,
  type WebhookReceiver,
} from './support/webhookReceiver.js';

const SECRET = 'webhook-secret-of-the-tests';
const ADMIN = 'admin-token-of-the-webhook-tests';

let running: TestService | undefined;
let receiver: WebhookReceiver | undefined;
let folder: ReturnType<typeof temporaryFolder> | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
  await receiver?.close();
  receiver = undefined;
  folder?.remove();
  folder = undefined;
});

async function hit(
  base: string,
  tagId: string,
  headers: Record<string, string> = {},
): Promise<void> {
  expect((await fetch(`${base}/action/0?ti=${tagId}`, { headers })).status).toBe(204);
}

/** Every request carries a valid signature, and its key is its body's seq (or warning key): duplicates only with the same key. */
function expectSignedAndKeyed(received: readonly ReceivedHook[]): void {
  for (const hook of received) {
    const timestamp = String(hook.headers['x-uet-timestamp']);
    expect(hook.headers['x-uet-signature']).toBe(signatureOf(SECRET, timestamp, hook.body));
    const body = JSON.parse(hook.body) as { seq?: number; key?: string };
    expect(hook.headers['idempotency-key']).toBe(body.key ?? String(body.seq));
  }
}

describe('uet-tag serve: webhooks from the outbox', () => {
  it('a receiver that fails, times out, then recovers gets every change, signed, duplicates only with the same idempotency key', async () => {
    receiver = await startReceiver((index) => (index === 0 ? 500 : index === 1 ? 'hang' : 200));
    running = await startService({
      memory: true,
      webhooks: [{ url: receiver.url, secret: SECRET }],
      webhookTimeout: 500,
      webhookBackoff: 20,
    });
    for (const tag of ['a', 'b', 'c']) await hit(running.url, tag);
    await receiver.until((received) => deliveredKeys(received).length === 3);
    expect(deliveredKeys(receiver.received)).toEqual(['1', '2', '3']);
    expect(receiver.received.map((hook) => hook.answer)).toContain('timeout');
    expect(receiver.received.map((hook) => hook.answer)).toContain(500);
    expectSignedAndKeyed(receiver.received);
    const change = JSON.parse(
      receiver.received.find((hook) => hook.headers['idempotency-key'] === '2')?.body ?? '{}',
    );
    expect(change).toMatchObject({
      kind: 'tag',
      tagId: 'b',
      from: 'Unverified',
      to: 'Active',
      seq: 2,
    });
    // Every attempt reached the receiver: all but the three that succeeded count as failed.
    let metrics = '';
    for (let tries = 0; tries < 100 && !/outcome="delivered"\} 3$/m.test(metrics); tries++) {
      metrics = await (await fetch(`${running.url}/metrics`)).text();
    }
    expect(metrics).toMatch(/^uet_tag_webhook_deliveries_total\{outcome="delivered"\} 3$/m);
    const failed = Number(
      /^uet_tag_webhook_deliveries_total\{outcome="failed"\} (\d+)$/m.exec(metrics)?.[1],
    );
    expect(failed).toBe(receiver.received.length - 3);
  });

  it("only the tags a target's pattern matches are sent to it", async () => {
    receiver = await startReceiver(() => 200);
    running = await startService({
      memory: true,
      webhooks: [{ url: receiver.url, secret: SECRET, tags: 'shop-*' }],
    });
    await hit(running.url, 'blog-1');
    await hit(running.url, 'shop-1');
    await receiver.until((received) => received.length >= 1);
    await hit(running.url, 'shop-2');
    await receiver.until((received) => received.length >= 2);
    expect(receiver.received.map((hook) => JSON.parse(hook.body).tagId)).toEqual([
      'shop-1',
      'shop-2',
    ]);
  });

  it('after the last attempt a delivery is dead-lettered; the admin lists it and retries it', async () => {
    let healthy = false;
    receiver = await startReceiver(() => (healthy ? 200 : 500));
    running = await startService({
      memory: true,
      adminToken: ADMIN,
      webhooks: [{ url: receiver.url, secret: SECRET }],
      webhookAttempts: 2,
      webhookBackoff: 10,
    });
    const auth = { authorization: `Bearer ${ADMIN}` };
    await hit(running.url, 'a');
    await receiver.until((received) => received.length === 2);
    let outbox: Record<string, unknown> = {};
    for (let tries = 0; tries < 50; tries++) {
      outbox = await jsonOf(await fetch(`${running.url}/admin/webhooks`, { headers: auth }));
      if ((outbox.counts as { dead: number }).dead === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(outbox).toMatchObject({
      targets: [{ url: receiver.url, tags: '*', cursor: 1 }],
      counts: { pending: 0, dead: 1 },
      dead: [{ key: '1', attempts: 2, lastError: 'HTTP 500', state: 'dead' }],
    });
    expect(JSON.stringify(outbox)).not.toContain(SECRET);
    expect((await fetch(`${running.url}/admin/webhooks`)).status).toBe(401);
    healthy = true;
    const revived = await jsonOf(
      await fetch(`${running.url}/admin/webhooks/retry-dead`, { method: 'POST', headers: auth }),
    );
    expect(revived).toEqual({ revived: 1 });
    await receiver.until((received) => deliveredKeys(received).length === 1);
    expect(receiver.received.map((hook) => hook.headers['idempotency-key'])).toEqual([
      '1',
      '1',
      '1',
    ]);
  });

  it('a crash (SIGKILL) loses no delivery: the outbox is in the SQLite file, and a restart delivers what was not acknowledged', async () => {
    folder = temporaryFolder('serve-hooks-');
    const db = path.join(folder.dir, 'tags.db');
    let healthy = false;
    receiver = await startReceiver(() => (healthy ? 200 : 503));
    const config = path.join(folder.dir, 'service.json');
    writeFileSync(
      config,
      JSON.stringify({
        db,
        port: 0,
        webhooks: [{ url: receiver.url, secret: SECRET }],
        webhookBackoff: 50,
      }),
    );
    const start = () =>
      spawnJsonLines([...sourceNodeArgs(CLI_SOURCE), 'serve', '--config', config], process.cwd());
    const baseOf = async (child: ReturnType<typeof start>) => {
      const line = (await child.waitForLine((entry) =>
        /uet-tag serve listening at/.test(String((entry as { msg?: string }).msg)),
      )) as { msg: string };
      return /listening at (\S+?);?(?:\s|$)/.exec(line.msg)?.[1] as string;
    };
    const first = start();
    const base = await baseOf(first);
    for (const tag of ['a', 'b', 'c']) await hit(base, tag);
    await receiver.until(
      (received) => new Set(received.map((hook) => hook.headers['idempotency-key'])).size === 3,
    );
    first.child.kill('SIGKILL');
    expect(await first.exited()).toBe('SIGKILL');
    healthy = true;
    const second = start();
    await baseOf(second);
    await receiver.until((received) => deliveredKeys(received).length === 3);
    expect(deliveredKeys(receiver.received)).toEqual(['1', '2', '3']);
    expectSignedAndKeyed(receiver.received);
    second.child.kill('SIGTERM');
    expect(await second.exited()).toBe(0);
  });

  it("a target added to a running store starts at the change log's head (from: 'now', the default), or at its start with from: 'start'", async () => {
    folder = temporaryFolder('serve-hooks-from-');
    const db = path.join(folder.dir, 'tags.db');
    receiver = await startReceiver(() => 200);
    running = await startService({ db });
    for (const tag of ['a', 'b']) await hit(running.url, tag);
    await running.close();
    const late = await startReceiver(() => 200);
    try {
      running = await startService({
        db,
        webhooks: [
          { url: receiver.url, secret: SECRET },
          { url: late.url, secret: SECRET, from: 'start' },
        ],
      });
      await hit(running.url, 'c');
      await late.until((received) => deliveredKeys(received).length === 3);
      await receiver.until((received) => deliveredKeys(received).length === 1);
      expect(deliveredKeys(late.received)).toEqual(['1', '2', '3']);
      expect(deliveredKeys(receiver.received)).toEqual(['3']);
      expectSignedAndKeyed([...receiver.received, ...late.received]);
    } finally {
      await late.close();
    }
  });

  it("a target whose cursor fell behind the change log's retention is sent a gap record, then what is kept", async () => {
    folder = temporaryFolder('serve-hooks-gap-');
    const db = path.join(folder.dir, 'tags.db');
    receiver = await startReceiver(() => 200);
    const webhooks = [{ url: receiver.url, secret: SECRET }];
    running = await startService({ db, changeLogLimit: 2, webhooks });
    await hit(running.url, 'a');
    await receiver.until((received) => deliveredKeys(received).length === 1);
    await running.close();
    // Without the target, four more changes: the log keeps only the last two (4 and 5).
    running = await startService({ db, changeLogLimit: 2 });
    for (const tag of ['b', 'c', 'd', 'e']) await hit(running.url, tag);
    await running.close();
    running = await startService({ db, changeLogLimit: 2, webhooks });
    await hit(running.url, 'f');
    await receiver.until((received) => deliveredKeys(received).length === 5);
    const bodies = receiver.received
      .filter((hook) => hook.answer === 200)
      .map((hook) => JSON.parse(hook.body) as { kind: string; seq?: number });
    expect(bodies.map((body) => body.seq ?? body.kind)).toEqual([1, 'gap', 4, 5, 6]);
    expect(bodies[1]).toEqual({ kind: 'gap', afterSeq: 1, firstKeptSeq: 4 });
    expect(deliveredKeys(receiver.received)).toEqual(['1', '4', '5', '6', 'gap:1']);
  });

  it('--warn-before: a warning record on the stream and to webhooks when a tag turns Inactive within that time if nothing arrives', async () => {
    receiver = await startReceiver(() => 200);
    running = await startService({
      memory: true,
      activityWindow: '3s',
      warnBefore: '2500ms',
      webhooks: [{ url: receiver.url, secret: SECRET }],
    });
    const stream = await connectSse(`${running.url}/changes`);
    try {
      const before = Date.now();
      await hit(running.url, 'shop');
      const events = await stream.waitFor(2);
      const warning = events.find((event) => event.event === 'warning');
      expect(warning?.id).toBeUndefined();
      const record = JSON.parse(warning?.data ?? '{}');
      expect(record).toMatchObject({ kind: 'warning', tagId: 'shop', status: 'Active' });
      expect(record.inactiveAt).toBeGreaterThanOrEqual(before + 3_000);
      expect(record.key).toBe(`warning:shop:${record.inactiveAt}`);
      await receiver.until((received) =>
        received.some((hook) => hook.headers['idempotency-key'] === record.key),
      );
      expectSignedAndKeyed(receiver.received);
    } finally {
      stream.close();
    }
  });
});
