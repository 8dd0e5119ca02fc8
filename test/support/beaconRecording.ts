import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { HarEntry } from '../../packages/uet-tag/src/hits/harEntry.js';
import { readHarEntries } from '../../packages/uet-tag/src/hits/readHarEntries.js';
import { createAccessLogParser } from '../../packages/uet-tag/src/replay/accessLogFormat.js';

/** The tag id of the fake shop (scripts/fixtures/fakeShop.ts). */
export const SHOP_TAG_ID = '26012345';

/** One line of the collector's NDJSON log. */
export interface NdjsonBeacon {
  readonly url: string;
  readonly at: number;
}

/** One line of the collector's access log. */
export interface AccessLogBeacon {
  readonly method: string;
  /** The request target made a full URL with the NDJSON log's origin. */
  readonly url: string;
  readonly status: number;
  readonly referer: string;
  readonly userAgent: string;
  /** The line's time as the project's access log replay reads it, UTC epoch ms. */
  readonly at: number;
}

/** What one recording holds. */
export interface BeaconRecording {
  readonly ndjson: readonly NdjsonBeacon[];
  readonly accessLog: readonly AccessLogBeacon[];
  /** Each visitor's HAR, read with the project's streaming reader. */
  readonly hars: readonly { readonly visitor: string; readonly entries: readonly HarEntry[] }[];
}

const VISITORS = ['visitor-1', 'visitor-2', 'visitor-3'];
const COMBINED =
  /^(\S+) - - \[([^\]]+)\] "(GET|POST) (\S+) HTTP\/1\.1" (\d{3}) - "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"$/;

/** The path of `name` in `dir`, or of its gzipped copy. */
function fileOf(dir: string, name: string): { file: string; gzipped: boolean } {
  const plain = path.join(dir, name);
  if (existsSync(plain)) return { file: plain, gzipped: false };
  return { file: `${plain}.gz`, gzipped: true };
}

async function textOf(dir: string, name: string): Promise<string> {
  const { file, gzipped } = fileOf(dir, name);
  const bytes = await readFile(file);
  return (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** Reads the files a run of scripts/fixtures/recordBeacons.ts wrote into `dir`. */
export async function readBeaconRecording(dir: string): Promise<BeaconRecording> {
  const ndjson = (await textOf(dir, 'beacons.ndjson'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as NdjsonBeacon);
  const origin = new URL(ndjson[0]?.url ?? 'http://127.0.0.1').origin;
  const parser = createAccessLogParser({ tagId: SHOP_TAG_ID });
  const accessLog = (await textOf(dir, 'access.log'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index): AccessLogBeacon => {
      const match = COMBINED.exec(line);
      const outcome = parser.parse(line, index + 1);
      if (match === null || outcome.kind !== 'record') {
        throw new Error(`access.log line ${index + 1} is not a Combined Log Format line: ${line}`);
      }
      const [, , , method, target, status, referer, userAgent] = match;
      return {
        method: method ?? '',
        url: new URL(target ?? '', origin).href,
        status: Number(status),
        referer: referer ?? '',
        userAgent: userAgent ?? '',
        at: outcome.record.at ?? Number.NaN,
      };
    });
  const hars = [];
  for (const visitor of VISITORS) {
    const { file, gzipped } = fileOf(dir, `${visitor}.har`);
    const stream = gzipped ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
    const entries: HarEntry[] = [];
    for await (const record of readHarEntries(stream, file)) {
      if (record.kind !== 'entry')
        throw new Error(`${file}: entry ${record.entryIndex} is invalid`);
      entries.push(record.entry);
    }
    hars.push({ visitor, entries });
  }
  return { ndjson, accessLog, hars };
}

/** True for a beacon URL: a request to the collector's `/action/0` or `/actionp/0`. */
export function isBeaconUrl(url: string): boolean {
  const { pathname } = new URL(url);
  return pathname === '/action/0' || pathname === '/actionp/0';
}

/** A beacon's parameters. */
export function paramsOf(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

/** Each visitor's beacons as `evt` values with what tells them apart, in order of receipt. */
export interface VisitorBeacons {
  readonly vid: string;
  readonly sid: string;
  readonly events: readonly string[];
  readonly clickIds: readonly string[];
}

/**
 * The NDJSON beacons grouped by visitor (`vid`, in order of first appearance), each as
 * `evt` plus the page path for a pageLoad and the action for a custom event.
 */
export function visitorsOf(beacons: readonly NdjsonBeacon[]): VisitorBeacons[] {
  const byVid = new Map<string, { sid: Set<string>; events: string[]; clickIds: string[] }>();
  for (const { url } of beacons) {
    const params = paramsOf(url);
    const vid = params.get('vid') ?? '';
    const visitor = byVid.get(vid) ?? { sid: new Set(), events: [], clickIds: [] };
    byVid.set(vid, visitor);
    visitor.sid.add(params.get('sid') ?? '');
    const evt = params.get('evt') ?? '';
    const detail =
      evt === 'pageLoad'
        ? ` ${new URL(params.get('p') ?? '').pathname}`
        : evt === 'custom'
          ? ` ${params.get('ea')}`
          : '';
    visitor.events.push(`${evt}${detail}`);
    visitor.clickIds.push(params.get('msclkid') ?? '');
  }
  return [...byVid].map(([vid, visitor]) => ({
    vid,
    sid: [...visitor.sid].join(','),
    events: visitor.events,
    clickIds: visitor.clickIds,
  }));
}
