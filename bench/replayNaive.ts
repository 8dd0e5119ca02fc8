/**
 * The naive baselines of the replay benchmark, one per file: what a user writes instead
 * of `uet-tag replay`, reading only what the floor reads (no checks beyond the pattern,
 * no model): `readline` over a read stream, and per line a regular expression and
 * `Date.parse` (access logs), `new URL` of a beacon's target, `JSON.parse` (NDJSON and
 * Conversions API bodies), or `split` (CSV and TSV); a HAR document `JSON.parse`d whole.
 * Each returns how many records it read, and throws when it read no time.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { counter } from './replayFloors.js';

/** The Combined Log Format line, as found in tutorials: the host, the time, the request, the status. */
const CLF = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) \S+/;

/** Calls `line` with every line of `file`, read with `readline`. */
async function eachLine(file: string, line: (text: string) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const text of lines) line(text);
}

/** `dd/Mon/yyyy:HH:MM:SS +hhmm` as `Date.parse` reads it once the date is reordered. */
function clfDate(time: string): number {
  const [date = '', hour = '', minute = '', rest = ''] = time.split(':');
  const [day, month, year] = date.split('/');
  return Date.parse(`${day} ${month} ${year} ${hour}:${minute}:${rest}`);
}

/** Access log lines: the regular expression and `Date.parse` of the time. */
async function clfNaive(file: string): Promise<number> {
  const count = counter();
  await eachLine(file, (line) => {
    const match = CLF.exec(line);
    if (match !== null) count.add(clfDate(match[2] as string));
  });
  return count.result();
}

/** Beacon access log lines: the regular expression, `new URL` of the target and its `ti`. */
async function beaconNaive(file: string): Promise<number> {
  const count = counter();
  await eachLine(file, (line) => {
    const match = CLF.exec(line);
    if (match === null) return;
    const url = new URL(match[4] as string, 'https://bat.bing.com');
    if (url.searchParams.get('ti') !== null) count.add(clfDate(match[2] as string));
  });
  return count.result();
}

/** `JSON.parse` of every line, and its `at`. */
async function ndjsonNaive(file: string): Promise<number> {
  const count = counter();
  await eachLine(file, (line) => count.add((JSON.parse(line) as { at: number }).at));
  return count.result();
}

/** Every row after the header `split` at its commas, `at` first. */
async function csvNaive(file: string): Promise<number> {
  const count = counter();
  let header = true;
  await eachLine(file, (line) => {
    if (header) header = false;
    else count.add(Number(line.split(',')[0]));
  });
  return count.result();
}

/** Every row after the header `split` at its tabs, `time` third. */
async function tsvNaive(file: string): Promise<number> {
  const count = counter();
  let header = true;
  await eachLine(file, (line) => {
    if (header) header = false;
    else count.add(Number(line.split('\t')[2]) * 1_000);
  });
  return count.result();
}

/** `JSON.parse` of the whole document, each entry's time and `new URL` of its request. */
async function harNaive(file: string): Promise<number> {
  const count = counter();
  const har = JSON.parse(readFileSync(file, 'utf8')) as {
    log: { entries: { startedDateTime: string; request: { url: string } }[] };
  };
  for (const entry of har.log.entries) {
    new URL(entry.request.url).searchParams.get('ti');
    count.add(Date.parse(entry.startedDateTime));
  }
  return count.result();
}

/** `JSON.parse` of every body, and each event's time. */
async function capiNaive(file: string): Promise<number> {
  const count = counter();
  await eachLine(file, (line) => {
    for (const event of (JSON.parse(line) as { data: { eventTime: number }[] }).data) {
      count.add(event.eventTime * 1_000);
    }
  });
  return count.result();
}

/** Each file's naive baseline, by its name. */
export const NAIVE_READERS: Record<string, (file: string) => Promise<number>> = {
  'access.log': clfNaive,
  'inputs.ndjson': ndjsonNaive,
  'inputs.csv': csvNaive,
  'access.tsv': tsvNaive,
  'beacons.log': beaconNaive,
  'session.har': harNaive,
  'capi.ndjson': capiNaive,
};
