/**
 * The files the replay benchmark reads, one per format `uet-tag replay` takes: input
 * records as NDJSON and CSV, a tab-separated access log, a Combined Log Format access log
 * of plain requests and one of UET beacons, a HAR export, and Conversions API bodies. Each
 * writer makes `count` records, in time order, and returns the file's path.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logTime, writeAccessLog } from './accessLog.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures');
const START = Date.UTC(2024, 0, 1);
const TAGS = 1_000;
const TAG = '26012345';

/** One of the formats, with how to write its file. */
export interface ReplayInput {
  /** The `--format` value. */
  readonly format: 'clf' | 'ndjson' | 'csv' | 'tsv' | 'har' | 'capi';
  /** What the file holds, for the report. */
  readonly label: string;
  /** The file's name (its extension tells the format, as a user's would). */
  readonly name: string;
  /** Records in the file. */
  readonly count: number;
  /** Writes the file into `folder`; returns its path. */
  write(folder: string): Promise<string>;
}

/** The time of the `n`th record: one every 3 s. */
const timeOf = (n: number) => START + n * 3_000;

/** Writes `count` lines made by `line` (and a `header` first, when given). */
function writeLines(
  file: string,
  count: number,
  line: (n: number) => string,
  header?: string,
): string {
  const lines: string[] = header === undefined ? [] : [header];
  for (let n = 0; n < count; n++) lines.push(line(n));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A UET beacon's request target: a page load of one of six pages, as a tag sends it. */
function beaconTarget(n: number): string {
  const page = `https://shop.example/product/${n % 6}`;
  const vid = (n >> 3).toString(16).padStart(32, '0');
  return `/action/0?ti=${TAG}&Ver=2&mid=${(n * 7919).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000&sid=${vid}&vid=${vid}&evt=pageLoad&p=${encodeURIComponent(page)}&tl=Shop&msclkid=N&rn=${n % 999_983}`;
}

/** The formats, each at a size that takes seconds, not minutes, to replay here. */
export const REPLAY_INPUTS: readonly ReplayInput[] = [
  {
    format: 'clf',
    label: 'Combined Log Format, plain requests',
    name: 'access.log',
    count: 2_000_000,
    async write(folder) {
      const file = path.join(folder, this.name);
      await writeAccessLog(file, this.count);
      return file;
    },
  },
  {
    format: 'ndjson',
    label: 'NDJSON input records (activity)',
    name: 'inputs.ndjson',
    count: 1_000_000,
    async write(folder) {
      return writeLines(path.join(folder, this.name), this.count, (n) =>
        JSON.stringify({ kind: 'activity', tagId: `tag-${n % TAGS}`, at: timeOf(n) }),
      );
    },
  },
  {
    format: 'csv',
    label: 'CSV input records (activity)',
    name: 'inputs.csv',
    count: 1_000_000,
    async write(folder) {
      return writeLines(
        path.join(folder, this.name),
        this.count,
        (n) => `${timeOf(n)},tag-${n % TAGS},activity`,
        'at,tagId,kind',
      );
    },
  },
  {
    format: 'tsv',
    label: 'TSV access log (NASA trace columns)',
    name: 'access.tsv',
    count: 1_000_000,
    async write(folder) {
      return writeLines(
        path.join(folder, this.name),
        this.count,
        (n) =>
          `10.0.${n % 256}.${(n >> 8) % 256}\t-\t${Math.floor(timeOf(n) / 1_000)}\tGET\t/page/${n % 1_000}.html\t200\t${n % 5_000}\t\t`,
        'host\tlogname\ttime\tmethod\turl\tresponse\tbytes\treferer\tuseragent',
      );
    },
  },
  {
    format: 'clf',
    label: 'Combined Log Format, UET beacons',
    name: 'beacons.log',
    count: 300_000,
    async write(folder) {
      return writeLines(
        path.join(folder, this.name),
        this.count,
        (n) =>
          `203.0.113.7 - - [${logTime(timeOf(n))}] "GET ${beaconTarget(n)} HTTP/1.1" 204 - "https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64)"`,
      );
    },
  },
  {
    format: 'har',
    label: "HAR export (the fixture's requests, repeated; beacons among them)",
    name: 'session.har',
    count: 25_000,
    async write(folder) {
      const har = JSON.parse(readFileSync(path.join(fixtures, 'beacons/visitor-1.har'), 'utf8'));
      const entries = har.log.entries as { startedDateTime: string }[];
      const repeated = Array.from({ length: this.count }, (_, n) => ({
        ...entries[n % entries.length],
        startedDateTime: new Date(timeOf(n)).toISOString(),
      }));
      const file = path.join(folder, this.name);
      writeFileSync(file, JSON.stringify({ log: { ...har.log, entries: repeated } }));
      return file;
    },
  },
  {
    format: 'capi',
    label: 'Conversions API bodies (one event each)',
    name: 'capi.ndjson',
    count: 200_000,
    async write(folder) {
      const fixture = readFileSync(path.join(fixtures, 'capi/request.json'), 'utf8');
      const event = JSON.parse(fixture).data[0];
      return writeLines(path.join(folder, this.name), this.count, (n) =>
        JSON.stringify({
          data: [
            {
              ...event,
              eventId: `e-${n}`,
              eventTime: Math.floor(timeOf(n) / 1_000),
            },
          ],
        }),
      );
    },
  },
];
