import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFrontService } from '../packages/uet-tag/src/service/createFrontService.js';
import { ServiceConfigError } from '../packages/uet-tag/src/service/ServiceConfigError.js';
import { loadServiceConfig } from '../packages/uet-tag/src/service/serviceConfig.js';
import { signatureOf } from '../packages/uet-tag/src/service/webhooks/WebhookDispatcher.js';
import type { JsonLinesChild } from './support/childProcess.js';
import { useClusterProcesses } from './support/clusterHarness.js';
import { spawnWorker, startServeNode, workerArgs } from './support/clusterProcesses.js';
import { DATABASE_URL } from './support/postgres.js';
import { startReceiver, type WebhookReceiver } from './support/webhookReceiver.js';

/**
 * `uet-tag worker --warn-before` on the real PostgreSQL: the shard's owner logs an early
 * warning once per tag and deadline, a front node delivers it to webhooks, and a new owner
 * after a SIGKILL does not log it again.
 */
const SHARDS = 2;
/** Long enough that the deadline is still ahead after a takeover; the warning time covers it at once. */
const SETTINGS = { leaseTtlMs: 1_500, activityWindowMs: 30_000, conversionWindowMs: 86_400_000 };
const WARN_BEFORE = '29s';
const SECRET = 'cluster-warning-secret-of-the-tests';

const cluster = useClusterProcesses('warnings', SHARDS);
const { schema, pool, running } = cluster;
let receiver: WebhookReceiver | undefined;

afterAll(async () => {
  await receiver?.close();
});

function startWorker(): JsonLinesChild {
  const worker = spawnWorker([
    ...workerArgs(cluster.entry(), DATABASE_URL, schema, SETTINGS),
    '--auto-register',
    '--warn-before',
    WARN_BEFORE,
  ]);
  running.add(worker);
  return worker;
}

/** The `warned` events a worker printed. */
function warned(worker: JsonLinesChild): unknown[] {
  return worker.lines.filter((line) => (line as { kind?: string }).kind === 'warned');
}

describe('uet-tag worker --warn-before: early warnings of a cluster', { timeout: 120_000 }, () => {
  it('the shard owner warns once per tag and deadline; a front node delivers it signed; a new owner after a SIGKILL does not warn again', async () => {
    receiver = await startReceiver(() => 200);
    const config = path.join(cluster.dir, 'serve.json');
    fs.writeFileSync(config, JSON.stringify({ webhooks: [{ url: receiver.url, secret: SECRET }] }));
    const front = await startServeNode(cluster.entry(), DATABASE_URL, schema, config);
    running.add(front.child);
    const { url } = front;
    const first = startWorker();
    const before = Date.now();
    expect((await fetch(`${url}/action/0?ti=shop`)).status).toBe(204);
    await first.waitForLine((printed) => (printed as { kind?: string }).kind === 'warned');
    await receiver.until((received) =>
      received.some((hook) => String(hook.headers['idempotency-key']).startsWith('warning:')),
    );
    const hook = receiver.received.find((received) =>
      String(received.headers['idempotency-key']).startsWith('warning:'),
    );
    const warning = JSON.parse(hook?.body ?? '{}');
    expect(warning).toMatchObject({ kind: 'warning', tagId: 'shop', status: 'Active' });
    expect(warning.inactiveAt).toBeGreaterThanOrEqual(before + SETTINGS.activityWindowMs);
    expect(hook?.headers['idempotency-key']).toBe(`warning:shop:${warning.inactiveAt}`);
    const timestamp = String(hook?.headers['x-uet-timestamp']);
    expect(hook?.headers['x-uet-signature']).toBe(signatureOf(SECRET, timestamp, hook?.body ?? ''));

    first.child.kill('SIGKILL');
    expect(await first.exited()).toBe('SIGKILL');
    const second = startWorker();
    // The new owner looks again before the deadline and finds the same warning, logged already.
    await second.waitForLine((printed) => (printed as { kind?: string }).kind === 'warned', 30_000);
    expect(Date.now()).toBeLessThan(warning.inactiveAt);
    const logged = await pool.query<{ key: string; body: string }>(
      `SELECT key, body FROM warning_log WHERE tag_id = 'shop'`,
    );
    expect(logged.rows).toEqual([{ key: warning.key, body: hook?.body }]);
    expect(warned(second)).toEqual([expect.objectContaining({ warnings: 1 })]);
    const keys = receiver.received.map((received) => received.headers['idempotency-key']);
    expect(keys.filter((key) => key === warning.key).length).toBeGreaterThanOrEqual(1);
    for (const received of receiver.received) {
      if (received.headers['idempotency-key'] === warning.key)
        expect(received.body).toBe(hook?.body);
    }
  });

  it('a front node is refused --warn-before, naming the worker option that does it', async () => {
    const config = loadServiceConfig({
      flags: { db: DATABASE_URL, schema, port: 0, warnBefore: '1h' },
    });
    await expect(createFrontService(config)).rejects.toThrowError(ServiceConfigError);
    await expect(createFrontService(config)).rejects.toThrowError(
      /warnBefore: 3600000 ms .*uet-tag worker --warn-before/,
    );
  });
});
