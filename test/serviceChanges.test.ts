import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startService, type TestService, temporaryFolder } from './support/serviceSupport.js';
import { connectSse, type SseClient } from './support/sseClient.js';

let running: TestService | undefined;
let folder: ReturnType<typeof temporaryFolder> | undefined;
const clients: SseClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await running?.close();
  running = undefined;
  folder?.remove();
  folder = undefined;
});

async function sse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await connectSse(url, headers);
  clients.push(client);
  return client;
}

async function hit(tagId: string): Promise<void> {
  const response = await fetch(`${running?.url}/action/0?ti=${tagId}`);
  expect(response.status).toBe(204);
}

function seqsOf(events: readonly { id?: string }[]): number[] {
  return events.map((event) => Number(event.id));
}

describe('uet-tag serve: GET /changes (Server-Sent Events)', () => {
  it('D5 each durable change is an event whose id is its seq and whose data is the change record', async () => {
    running = await startService({ memory: true });
    const client = await sse(`${running.url}/changes`);
    await hit('shop');
    const [event] = await client.waitFor(1);
    expect(event?.event).toBe('change');
    const change = JSON.parse(event?.data ?? '{}');
    expect(change).toMatchObject({
      kind: 'tag',
      tagId: 'shop',
      from: 'Unverified',
      to: 'Active',
      seq: 1,
    });
    expect(event?.id).toBe('1');
  });

  it('D7 resumable by Last-Event-ID across a server restart: nothing lost or repeated, then live changes', async () => {
    folder = temporaryFolder('serve-sse-');
    const db = path.join(folder.dir, 'tags.db');
    running = await startService({ db });
    const first = await sse(`${running.url}/changes`);
    await hit('a');
    await hit('b');
    const seen = await first.waitFor(2);
    expect(seqsOf(seen)).toEqual([1, 2]);
    first.close();
    await hit('c');
    await hit('d');
    await running.close();
    running = await startService({ db });
    const resumed = await sse(`${running.url}/changes`, {
      'last-event-id': String(seqsOf(seen).at(-1)),
    });
    const missed = await resumed.waitFor(2);
    expect(missed.map((event) => JSON.parse(event.data).tagId)).toEqual(['c', 'd']);
    expect(seqsOf(missed)).toEqual([3, 4]);
    await hit('e');
    const all = await resumed.waitFor(3);
    expect(seqsOf(all)).toEqual([3, 4, 5]);
    const fromQuery = await sse(`${running.url}/changes?after=4`);
    expect(seqsOf(await fromQuery.waitFor(1))).toEqual([5]);
  });

  it('a change log pruned past the resume point is told by a gap event first', async () => {
    running = await startService({ memory: true, changeLogLimit: 2 });
    for (const tag of ['a', 'b', 'c', 'd']) await hit(tag);
    const client = await sse(`${running.url}/changes`, { 'last-event-id': '0' });
    const [gap, ...rest] = await client.waitFor(3);
    expect(gap?.event).toBe('gap');
    expect(JSON.parse(gap?.data ?? '{}')).toEqual({ afterSeq: 0, firstKeptSeq: 3 });
    expect(seqsOf(rest)).toEqual([3, 4]);
  });

  it('a bad Last-Event-ID is a 400 naming the header', async () => {
    running = await startService({ memory: true });
    const response = await fetch(`${running.url}/changes`, {
      headers: { 'last-event-id': 'yesterday' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { field: string } }).error.field).toBe(
      'last-event-id',
    );
  });
});
