import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type JsonLinesChild, spawnJsonLines } from './support/childProcess.js';
import { temporaryFolder } from './support/serviceSupport.js';
import { CLI_SOURCE, sourceNodeArgs } from './support/sourceProcess.js';

/** Seconds of load in all (half before the SIGKILL, half after the restart); 60 for the full run. */
const LOAD_SECONDS = Number(process.env.UET_TAG_LOAD_SECONDS ?? 10);
/** Concurrent connections of the load generator. */
const CONNECTIONS = 32;

let folder: ReturnType<typeof temporaryFolder> | undefined;
const children: JsonLinesChild[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.child.kill('SIGKILL');
  folder?.remove();
  folder = undefined;
});

async function startServer(db: string): Promise<{ child: JsonLinesChild; base: string }> {
  const child = spawnJsonLines(
    [...sourceNodeArgs(CLI_SOURCE), 'serve', '--db', db, '--port', '0', '--log-level', 'info'],
    process.cwd(),
  );
  children.push(child);
  const line = (await child.waitForLine((entry) =>
    /uet-tag serve listening at/.test(String((entry as { msg?: string }).msg)),
  )) as { msg: string };
  return { child, base: /listening at (\S+?);?(?:\s|$)/.exec(line.msg)?.[1] as string };
}

/**
 * A bounded load generator on loopback: `CONNECTIONS` keep-alive connections, each sending
 * one beacon after another, every one with a tag id of its own, until `stop()`; it records
 * the tag id of every beacon answered 204.
 */
function generateLoad(
  base: string,
  prefix: string,
): { acknowledged: string[]; sent: () => number; stop: () => Promise<void> } {
  const { hostname, port } = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const acknowledged: string[] = [];
  let stopped = false;
  let sent = 0;
  const send = (tagId: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.get(
        { host: hostname, port: Number(port), path: `/action/0?ti=${tagId}&evt=pageLoad`, agent },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.setTimeout(5_000, () => request.destroy(new Error('timeout')));
    });
  const worker = async (index: number) => {
    for (let n = 0; !stopped; n++) {
      const tagId = `${prefix}-${index}-${n}`;
      sent++;
      try {
        if ((await send(tagId)) === 204) acknowledged.push(tagId);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const workers = Array.from({ length: CONNECTIONS }, (_, index) => worker(index));
  return {
    acknowledged,
    sent: () => sent,
    async stop() {
      stopped = true;
      await Promise.all(workers);
      agent.destroy();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('uet-tag serve under load, killed mid-load', () => {
  it(
    `D7 ${LOAD_SECONDS} s of beacons with a SIGKILL of the server mid-load: after a restart, every beacon that got a 204 is in the SQLite file`,
    async () => {
      folder = temporaryFolder('serve-load-');
      const db = path.join(folder.dir, 'tags.db');
      const half = (LOAD_SECONDS * 1000) / 2;
      const first = await startServer(db);
      const before = generateLoad(first.base, 'before');
      await sleep(half);
      first.child.child.kill('SIGKILL');
      expect(await first.child.exited()).toBe('SIGKILL');
      await sleep(200);
      await before.stop();
      const second = await startServer(db);
      const after = generateLoad(second.base, 'after');
      await sleep(half);
      await after.stop();
      second.child.child.kill('SIGTERM');
      expect(await second.child.exited()).toBe(0);

      const acknowledged = [...before.acknowledged, ...after.acknowledged];
      expect(before.acknowledged.length).toBeGreaterThan(100);
      expect(after.acknowledged.length).toBeGreaterThan(100);
      expect(before.sent()).toBeGreaterThan(before.acknowledged.length);
      const file = new Database(db, { readonly: true });
      try {
        const stored = new Set(file.prepare('SELECT tag_id FROM tags').pluck().all() as string[]);
        const missing = acknowledged.filter((tagId) => !stored.has(tagId));
        expect(missing).toEqual([]);
        // Nothing but beacons that were sent is stored, and no beacon is stored twice.
        expect([...stored].every((tagId) => /^(before|after)-\d+-\d+$/.test(tagId))).toBe(true);
      } finally {
        file.close();
      }
    },
    LOAD_SECONDS * 1000 + 60_000,
  );
});
