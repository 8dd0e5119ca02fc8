import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHarFile } from '../packages/uet-tag/src/hits/readHarEntries.js';

/**
 * 128 MiB: far more than the memory bound below, yet quick enough on two shared cores
 * under the full suite (alone, 200 MB streamed in 7.5 s; beside the other test files, the
 * whole test took 30 s, too close to the bound).
 */
const TARGET_BYTES = 128 * 1024 * 1024;
const START = Date.parse('2024-03-01T09:00:00Z');

/**
 * Writes a DevTools-like HAR of about `bytes` bytes: every entry a beacon request with
 * ten headers and a 4 KB response body, as recorded pages carry.
 */
async function writeLargeHar(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const body = 'x'.repeat(4096);
  const headers = Array.from({ length: 10 }, (_, k) => ({
    name: `x-header-${k}`,
    value: 'v'.repeat(48),
  }));
  let written = 0;
  let entries = 0;
  const write = async (text: string) => {
    written += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    '{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"pages":[],"entries":[',
  );
  while (written < bytes) {
    const entry = {
      startedDateTime: new Date(START + entries * 1000).toISOString(),
      time: 12.5,
      request: {
        method: 'GET',
        url: `https://bat.bing.com/action/0?ti=26012345&evt=pageLoad&mid=${entries}`,
        httpVersion: 'HTTP/1.1',
        headers,
        queryString: [],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/1.1',
        headers,
        cookies: [],
        content: { size: body.length, mimeType: 'text/html', text: body },
        redirectURL: '',
        headersSize: -1,
        bodySize: body.length,
      },
      cache: {},
      timings: { send: 0, wait: 10, receive: 1 },
    };
    await write(`${entries === 0 ? '' : ','}${JSON.stringify(entry)}`);
    entries++;
  }
  await write(']}}\n');
  out.end();
  await once(out, 'finish');
  return entries;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Bytes as whole MiB. */
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

describe('readHarFile: constant memory', () => {
  it('a generated 128 MiB HAR streams entry by entry with flat RSS, in under 20 s', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'har-'));
    dirs.push(dir);
    const file = path.join(dir, 'large.har');
    const written = await writeLargeHar(file, TARGET_BYTES);
    expect((await stat(file)).size).toBeGreaterThanOrEqual(TARGET_BYTES);

    const rssBefore = process.memoryUsage.rss();
    let warm = 0;
    let peak = 0;
    let count = 0;
    let lastAt = -1;
    const started = performance.now();
    for await (const record of readHarFile(file)) {
      if (record.kind !== 'entry') throw new Error(`entry ${record.entryIndex} is invalid`);
      expect(record.entry.entryIndex).toBe(count);
      lastAt = record.entry.at;
      count++;
      if (count % 500 === 0) {
        const rss = process.memoryUsage.rss();
        if (count === 1000) warm = rss;
        peak = Math.max(peak, rss);
      }
    }
    const elapsed = performance.now() - started;
    expect(count).toBe(written);
    expect(lastAt).toBe(START + (written - 1) * 1000);

    // The whole file held in memory would add 128 MiB and more; streaming stays flat.
    expect(mb(peak - warm), `RSS rose from ${mb(warm)} MB to ${mb(peak)} MB`).toBeLessThan(32);
    expect(mb(peak - rssBefore)).toBeLessThan(64);
    expect(elapsed).toBeLessThan(20_000);
  }, 60_000);
});
