/**
 * The floors of the replay benchmark, one per format: what any replay of the file must do,
 * written as tightly as a careful engineer would (the file read in 1 MiB chunks with
 * `readSync`, lines split with `indexOf` on the decoded chunk, each line's time read by its
 * fixed layout), and nothing else: no checks, no model. Each returns how many records it
 * read, and throws when it read no time, so that no side can be optimised away.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { isBeaconTarget, parseBeacon } from '../packages/uet-tag-status/src/uet/parseBeacon.js';
import { MONTHS } from './accessLog.js';

const MONTH_INDEX = new Map(MONTHS.map((month, index) => [month, index]));

/** Calls `line` with every line of `file`, read in 1 MiB chunks and split with `indexOf`. */
function eachLine(file: string, encoding: 'latin1' | 'utf8', line: (text: string) => void): void {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let carry = '';
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) break;
      const text = carry + buffer.toString(encoding, 0, read);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        line(text.slice(start, end));
        start = end + 1;
      }
      carry = text.slice(start);
    }
    if (carry !== '') line(carry);
  } finally {
    closeSync(fd);
  }
}

/** The CLF time of a line (`[dd/Mon/yyyy:HH:MM:SS +hhmm]`) by its fixed layout, epoch ms. */
function clfTime(line: string): number {
  const open = line.indexOf('[');
  const text = line.slice(open + 1, open + 27);
  const offset =
    (text.charCodeAt(21) === 45 ? -1 : 1) *
    (Number(text.slice(22, 24)) * 60 + Number(text.slice(24, 26)));
  return (
    Date.UTC(
      Number(text.slice(7, 11)),
      MONTH_INDEX.get(text.slice(3, 6)) ?? 0,
      Number(text.slice(0, 2)),
      Number(text.slice(12, 14)),
      Number(text.slice(15, 17)),
      Number(text.slice(18, 20)),
    ) -
    offset * 60_000
  );
}

/** Counts records and keeps the latest time, so that the work cannot be dropped. */
function counter() {
  let records = 0;
  let latest = 0;
  return {
    add(at: number) {
      records += 1;
      if (at > latest) latest = at;
    },
    result(): number {
      if (!(latest > 0)) throw new Error('the floor read no time');
      return records;
    },
  };
}

/** Every line's CLF timestamp. */
export function clfFloor(file: string): number {
  const count = counter();
  eachLine(file, 'latin1', (line) => count.add(clfTime(line)));
  return count.result();
}

/** Every line's CLF timestamp and `parseBeacon` of its request target: a hit per line. */
export function beaconFloor(file: string): number {
  const count = counter();
  eachLine(file, 'latin1', (line) => {
    const from = line.indexOf('"') + 1;
    const target = line.slice(line.indexOf(' ', from) + 1, line.indexOf(' HTTP/', from));
    if (parseBeacon(target).tagId !== undefined) count.add(clfTime(line));
  });
  return count.result();
}

/** `JSON.parse` of every line, and its `at`. */
export function ndjsonFloor(file: string): number {
  const count = counter();
  eachLine(file, 'utf8', (line) => count.add((JSON.parse(line) as { at: number }).at));
  return count.result();
}

/** The first column (`at`) of every row after the header, as a number. */
export function csvFloor(file: string): number {
  const count = counter();
  let header = true;
  eachLine(file, 'utf8', (line) => {
    if (header) header = false;
    else count.add(Number(line.slice(0, line.indexOf(','))));
  });
  return count.result();
}

/** The third column (`time`, epoch seconds) of every row after the header, in ms. */
export function tsvFloor(file: string): number {
  const count = counter();
  let header = true;
  eachLine(file, 'utf8', (line) => {
    if (header) {
      header = false;
      return;
    }
    const second = line.indexOf('\t', line.indexOf('\t') + 1);
    count.add(Number(line.slice(second + 1, line.indexOf('\t', second + 1))) * 1_000);
  });
  return count.result();
}

/** `JSON.parse` of the whole document, then each entry's time and `parseBeacon` of each beacon. */
export function harFloor(file: string): number {
  const count = counter();
  const har = JSON.parse(readFileSync(file, 'utf8')) as {
    log: { entries: { startedDateTime: string; request: { url: string } }[] };
  };
  for (const entry of har.log.entries) {
    if (isBeaconTarget(entry.request.url)) parseBeacon(entry.request.url);
    count.add(Date.parse(entry.startedDateTime));
  }
  return count.result();
}

/** `JSON.parse` of every body, and each event's time. */
export function capiFloor(file: string): number {
  const count = counter();
  eachLine(file, 'utf8', (line) => {
    for (const event of (JSON.parse(line) as { data: { eventTime: number }[] }).data) {
      count.add(event.eventTime * 1_000);
    }
  });
  return count.result();
}
