import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signatureOf } from '../packages/uet-tag/src/service/webhooks/WebhookDispatcher.js';
import type { JsonLinesChild } from './support/childProcess.js';
import { useClusterProcesses } from './support/clusterHarness.js';
import { spawnWorker, startServeNode, workerArgs } from './support/clusterProcesses.js';
import { DATABASE_URL } from './support/postgres.js';
import {
  deliveredKeys,
  type HookBehaviour,
  type ReceivedHook,
  startReceiver,
  type WebhookReceiver,
} from './support/webhookReceiver.js';

/**
 * Webhooks of a cluster: real `uet-tag worker` and `uet-tag serve --db postgresql://…`
 * processes on the real PostgreSQL, delivering to a receiver on loopback that fails, times
 * out, recovers, and outlives a front node killed mid-delivery.
 */
const SHARDS = 4;
const SETTINGS = { leaseTtlMs: 1_500, activityWindowMs: 3_600_000, conversionWindowMs: 86_400_000 };
const SECRET = 'cluster-webhook-secret-of-the-tests';
const ADMIN = 'admin-token-of-the-cluster-webhook-tests';

const cluster = useClusterProcesses('hooks', SHARDS);
const { schema, pool, running } = cluster;
let receiver: WebhookReceiver | undefined;

beforeAll(() => {
  const worker = spawnWorker([
    ...workerArgs(cluster.entry(), DATABASE_URL, schema, SETTINGS),
    '--auto-register',
  ]);
  running.add(worker);
});
afterEach(async () => {
  for (const child of [...running].slice(1)) {
    child.child.kill('SIGKILL');
    running.delete(child);
  }
  await receiver?.close();
  receiver = undefined;
});

/** Starts a front node delivering to the receiver; resolves with its base URL once it listens. */
async function startFront(settings: {
  tags: string;
  webhookTimeout: number;
  webhookAttempts?: number;
}): Promise<{ child: JsonLinesChild; url: string }> {
  const config = path.join(cluster.dir, `serve-${running.size}.json`);
  fs.writeFileSync(
    config,
    JSON.stringify({
      webhooks: [{ url: receiver?.url, secret: SECRET, tags: settings.tags }],
      webhookTimeout: settings.webhookTimeout,
      webhookAttempts: settings.webhookAttempts ?? 8,
      webhookBackoff: 20,
      adminToken: ADMIN,
    }),
  );
  const front = await startServeNode(cluster.entry(), DATABASE_URL, schema, config);
  running.add(front.child);
  return front;
}

/**
 * Every request is signed, its key is its change's place in the change log (`shard:seq`),
 * and requests with the same key carry the same body: duplicates only with the same key.
 */
function expectSignedAndKeyed(received: readonly ReceivedHook[]): void {
  const bodies = new Map<string, string>();
  for (const hook of received) {
    const timestamp = String(hook.headers['x-uet-timestamp']);
    expect(hook.headers['x-uet-signature']).toBe(signatureOf(SECRET, timestamp, hook.body));
    const key = String(hook.headers['idempotency-key']);
    const body = JSON.parse(hook.body) as { shard: number; seq: number };
    expect(key).toBe(`${body.shard}:${body.seq}`);
    expect(bodies.get(key) ?? hook.body).toBe(hook.body);
    bodies.set(key, hook.body);
  }
}

/** The keys of the logged changes of `tagIds`, and each change's tag and per-tag sequence. */
async function loggedChanges(tagIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await pool.query<{ shard: number; seq: string; tag_id: string; tag_seq: string }>(
    'SELECT shard, seq, tag_id, tag_seq FROM change_log WHERE tag_id = ANY($1)',
    [tagIds],
  );
  return new Map(
    rows.rows.map((row) => [`${row.shard}:${row.seq}`, `${row.tag_id}#${row.tag_seq}`]),
  );
}

async function hitAll(urls: readonly string[], tagIds: readonly string[]): Promise<void> {
  await Promise.all(
    tagIds.map(async (tagId, index) => {
      const response = await fetch(`${urls[index % urls.length]}/action/0?ti=${tagId}`);
      expect(response.status).toBe(204);
    }),
  );
}

/** The sum over scrapes of one series' value. */
function sumOf(scrapes: readonly string[], series: string): number {
  let sum = 0;
  for (const text of scrapes) {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    sum += Number(line?.slice(series.length + 1) ?? 0);
  }
  return sum;
}

async function receiverAnswering(behaviour: HookBehaviour): Promise<WebhookReceiver> {
  receiver = await startReceiver(behaviour);
  return receiver;
}

describe('uet-tag serve --db postgresql://: webhooks from the cluster outbox', {
  timeout: 120_000,
}, () => {
  it('two front nodes deliver every change once acknowledged to a receiver that fails, times out and recovers, signed, duplicates only with the same key', async () => {
    const hooks = await receiverAnswering((index) =>
      index % 7 === 0 ? 500 : index % 7 === 1 ? 'hang' : 200,
    );
    // Other tags are logged too, and not sent to this target.
    const settings = { tags: 'shop-*', webhookTimeout: 500 };
    const fronts = await Promise.all([startFront(settings), startFront(settings)]);
    const tagIds = Array.from({ length: 40 }, (_, index) => `shop-${index}`);
    const urls = fronts.map((front) => front.url);
    await hitAll(urls, [...tagIds, 'blog-1', 'blog-2']);
    await hooks.until((received) => deliveredKeys(received).length === tagIds.length, 60_000);
    const logged = await loggedChanges(tagIds);
    expect(deliveredKeys(hooks.received)).toEqual([...logged.keys()].sort());
    expect(hooks.received.some((hook) => hook.body.includes('blog-'))).toBe(false);
    expect(hooks.received.map((hook) => hook.answer)).toEqual(
      expect.arrayContaining([500, 'timeout']),
    );
    expectSignedAndKeyed(hooks.received);
    const [key, tagAndSeq] = [...logged][0] as [string, string];
    const change = JSON.parse(
      hooks.received.find((hook) => hook.headers['idempotency-key'] === key)?.body ?? '{}',
    );
    expect(`${change.tagId}#${change.tagSeq}`).toBe(tagAndSeq);
    expect(change).toMatchObject({ kind: 'tag', from: 'Unverified', to: 'Active' });
    // Each node counts the attempts it made, one outcome each: together, every request the
    // receiver got (a 200 that came after the node's timeout counts as failed, then retried).
    const attempts = (scrapes: readonly string[]) =>
      ['delivered', 'failed', 'dead'].reduce(
        (sum, outcome) =>
          sum + sumOf(scrapes, `uet_tag_webhook_deliveries_total{outcome="${outcome}"}`),
        0,
      );
    let scraped: string[] = [];
    for (let tries = 0; tries < 200; tries++) {
      scraped = await Promise.all(
        urls.map(async (url) =>
          (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text(),
        ),
      );
      const settled = sumOf(scraped, 'uet_tag_webhook_pending') === 0;
      if (settled && attempts(scraped) === hooks.received.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(attempts(scraped)).toBe(hooks.received.length);
    expect(
      sumOf(scraped, 'uet_tag_webhook_deliveries_total{outcome="delivered"}'),
    ).toBeGreaterThanOrEqual(tagIds.length);
    expect(sumOf(scraped, 'uet_tag_webhook_pending')).toBe(0);
  });

  it('a front node killed (SIGKILL) mid-delivery loses nothing: another node takes its deliveries once their claims lapse, with the same keys', async () => {
    let hanging = true;
    const hooks = await receiverAnswering(() => (hanging ? 'hang' : 200));
    const settings = { tags: 'cart-*', webhookTimeout: 1_000 };
    const doomed = await startFront(settings);
    const tagIds = Array.from({ length: 12 }, (_, index) => `cart-${index}`);
    await hitAll([doomed.url], tagIds);
    await hooks.until((received) => received.length >= 1, 30_000);
    doomed.child.child.kill('SIGKILL');
    expect(await doomed.child.exited()).toBe('SIGKILL');
    const inFlight = new Set(hooks.received.map((hook) => String(hook.headers['idempotency-key'])));
    const claimed = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM webhook_outbox WHERE claimed_until > now()`,
    );
    expect(Number(claimed.rows[0]?.n)).toBeGreaterThan(0);
    hanging = false;
    await startFront(settings);
    await hooks.until((received) => deliveredKeys(received).length === tagIds.length, 60_000);
    const delivered = deliveredKeys(hooks.received);
    expect(delivered).toEqual([...(await loggedChanges(tagIds)).keys()].sort());
    for (const key of inFlight) expect(delivered).toContain(key);
    expectSignedAndKeyed(hooks.received);
    // The receiver answered before the node removed the delivery: the outbox empties next.
    let left = -1;
    for (let tries = 0; tries < 100 && left !== 0; tries++) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      left = Number((await pool.query('SELECT count(*) AS n FROM webhook_outbox')).rows[0]?.n);
    }
    expect(left).toBe(0);
  });

  it('after the last attempt a delivery is dead-lettered; any node lists it (GET /admin/webhooks) and retries it', async () => {
    let healthy = false;
    const hooks = await receiverAnswering(() => (healthy ? 200 : 500));
    const settings = { tags: 'dead-*', webhookTimeout: 1_000, webhookAttempts: 2 };
    const [one, other] = await Promise.all([startFront(settings), startFront(settings)]);
    const auth = { authorization: `Bearer ${ADMIN}` };
    await hitAll([one.url], ['dead-1']);
    await hooks.until((received) => received.length === 2, 30_000);
    let outbox: Record<string, unknown> = {};
    for (let tries = 0; tries < 100; tries++) {
      outbox = (await (
        await fetch(`${other.url}/admin/webhooks`, { headers: auth })
      ).json()) as Record<string, unknown>;
      if ((outbox.counts as { dead: number }).dead === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const key = String(hooks.received[0]?.headers['idempotency-key']);
    expect(outbox).toMatchObject({
      targets: [{ url: hooks.url, tags: 'dead-*' }],
      counts: { pending: 0, dead: 1 },
      dead: [{ key, attempts: 2, lastError: 'HTTP 500', state: 'dead' }],
    });
    const [shard] = key.split(':');
    expect((outbox.targets as { cursor: Record<string, number> }[])[0]?.cursor).toHaveProperty(
      String(shard),
    );
    expect(JSON.stringify(outbox)).not.toContain(SECRET);
    expect((await fetch(`${other.url}/admin/webhooks`)).status).toBe(401);
    healthy = true;
    const revived = await fetch(`${one.url}/admin/webhooks/retry-dead`, {
      method: 'POST',
      headers: auth,
    });
    expect(await revived.json()).toEqual({ revived: 1 });
    await hooks.until((received) => deliveredKeys(received).length === 1, 30_000);
    expect(hooks.received.map((hook) => hook.headers['idempotency-key'])).toEqual([key, key, key]);
  });
});
