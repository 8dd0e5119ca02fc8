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
export function counter() {
  let records = 0;
  let latest = 0;
  return {
    add(at: number) {
      if (!Number.isFinite(at)) throw new Error(`record ${records + 1}: no time (${at})`);
      records += 1;
      if (at > latest) latest = at;
    },
    result(): number {
      if (!(latest > 0)) throw new Error('no time was read');
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

/**
 * The id cell `line[start, end)` as a string read before, found by a hash of its characters
 * (each checked to be visible ASCII, no quote) in a direct-mapped table; sliced once per
 * new id. What a careful reader of a CSV id column does to avoid a string per row.
 */
function internedId(ids: (string | undefined)[], line: string, start: number, end: number): string {
  let hash = 0;
  for (let index = start; index < end; index++) {
    const code = line.charCodeAt(index);
    if (code <= 32 || code === 34 || code > 126) throw new Error(`bad id at ${index}`);
    hash = (Math.imul(hash, 31) + code) | 0;
  }
  const slot = hash & (ids.length - 1);
  const known = ids[slot];
  if (known !== undefined && known.length === end - start && line.startsWith(known, start)) {
    return known;
  }
  const id = line.slice(start, end);
  ids[slot] = id;
  return id;
}

/** The decimal digits `line[start, end)` as a number; throws on anything else. */
function checkedDigits(line: string, start: number, end: number): number {
  if (end <= start) throw new Error(`no digits at ${start}`);
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = line.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) throw new Error(`not a digit at ${index}`);
    value = value * 10 + digit;
  }
  return value;
}

/** What a floor keeps of each record it read: the record's tag and time. */
interface FloorModel {
  activity(tagId: string, at: number): void;
}

/** The state of the CSV checked floor: each tag's latest data time, in a `Map` by its id. */
class LatestTimes implements FloorModel {
  private readonly latest = new Map<string, { at: number }>();

  activity(tagId: string, at: number): void {
    const tag = this.latest.get(tagId);
    if (tag === undefined) this.latest.set(tagId, { at });
    else if (at > tag.at) tag.at = at;
  }
}

/**
 * Every row after the header of a CSV file of activity records (`at,tagId,kind`), each
 * cell checked in place (`at` all digits, `tagId` an id, `kind` `activity`, no other
 * cell), handed to `model`.
 */
function checkedCsvRows(file: string, model: FloorModel): number {
  const count = counter();
  const ids: (string | undefined)[] = new Array(16_384).fill(undefined);
  let header = true;
  eachLine(file, 'utf8', (line) => {
    if (header) {
      header = false;
      return;
    }
    const first = line.indexOf(',');
    const second = line.indexOf(',', first + 1);
    if (first < 0 || second < 0 || line.indexOf(',', second + 1) >= 0) throw new Error(line);
    const at = checkedDigits(line, 0, first);
    const id = internedId(ids, line, first + 1, second);
    if (line.length - second - 1 !== 8 || !line.startsWith('activity', second + 1)) {
      throw new Error(`kind: ${line}`);
    }
    model.activity(id, at);
    count.add(at);
  });
  return count.result();
}

/**
 * Every row after the header of a TSV access log of the NASA trace's 9 columns, checked
 * in place (9 columns, `time` and the 3-digit `response` all digits), handed to `model`
 * as activity of the tag `tagId`.
 */
function checkedTsvRows(file: string, tagId: string, model: FloorModel): number {
  const count = counter();
  let header = true;
  eachLine(file, 'utf8', (line) => {
    if (header) {
      header = false;
      return;
    }
    // The 8 tabs' places: the second, third, fifth and sixth kept, the rest only counted.
    let tabs = 0;
    let second = 0;
    let third = 0;
    let fifth = 0;
    let sixth = 0;
    for (let tab = line.indexOf('\t'); tab >= 0; tab = line.indexOf('\t', tab + 1)) {
      tabs += 1;
      if (tabs === 2) second = tab;
      else if (tabs === 3) third = tab;
      else if (tabs === 5) fifth = tab;
      else if (tabs === 6) sixth = tab;
    }
    if (tabs !== 8) throw new Error(`columns: ${line}`);
    const at = checkedDigits(line, second + 1, third) * 1_000;
    const status = checkedDigits(line, fifth + 1, sixth);
    if (sixth - fifth !== 4 || status < 100) throw new Error(`status: ${line}`);
    model.activity(tagId, at);
    count.add(at);
  });
  return count.result();
}

/**
 * {@link csvFloor} with the checks a replay cannot leave out, and the least state: every
 * cell of the row checked in place (`at` all digits, `tagId` an id, `kind` `activity`, no
 * other cell), and each tag's latest data time kept in a `Map` by its id. No reorder
 * window, no silences, no statuses, no report: a floor for what checking costs.
 */
export function csvCheckedFloor(file: string): number {
  return checkedCsvRows(file, new LatestTimes());
}

/**
 * {@link tsvFloor} with the checks a replay cannot leave out, and the least state: the
 * row's 9 columns counted, `time` and `response` all digits (the status 3 of them), and
 * the one tag's latest data time kept. No request filter, no reorder window, no silences,
 * no statuses, no report: a floor for what checking costs.
 */
export function tsvCheckedFloor(file: string): number {
  return checkedTsvRows(file, 'site', new LatestTime());
}

/** The state of the TSV checked floor: the one tag's latest data time. */
class LatestTime implements FloorModel {
  private latest = 0;

  activity(_tagId: string, at: number): void {
    if (at > this.latest) this.latest = at;
  }
}

/** The reorder window's ring: room for 65,536 records within the window. */
const RING_SLOTS = 1 << 16;
/** The replay's default reorder window (5 minutes) and the tag's activity window (24 hours, SPEC T2). */
const REORDER_WINDOW_MS = 300_000;
const ACTIVITY_WINDOW_MS = 86_400_000;

/**
 * The least model a replay of activity records must have: each record held in time order
 * until one 5 minutes later is read (the reorder window, SPEC D1), then, oldest first,
 * its tag found in a `Map` by id, its silence checked (a tag whose last data is 24 hours
 * older is `Inactive` by then, SPEC R4), activity making it `Active` (R2, R5), its data
 * time moved, and each status change counted. The window is a ring of typed arrays for
 * records in time order only (one out of order throws: the bench's files hold none, and a
 * replay's heap for them costs a branch per record while they do not come).
 */
class LeastModel implements FloorModel {
  private readonly ats = new Float64Array(RING_SLOTS);
  private readonly ids: string[] = new Array(RING_SLOTS).fill('');
  private head = 0;
  private held = 0;
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly tags = new Map<string, { last: number; active: boolean }>();
  private changes = 0;

  activity(tagId: string, at: number): void {
    if (at < this.lastAt) throw new Error(`out of order at ${at}: this floor holds no heap`);
    if (this.held === RING_SLOTS) throw new Error('the reorder window is full');
    const slot = (this.head + this.held) & (RING_SLOTS - 1);
    this.ats[slot] = at;
    this.ids[slot] = tagId;
    this.held += 1;
    this.lastAt = at;
    this.release(at - REORDER_WINDOW_MS);
  }

  /** Applies every record held and returns how many status changes there were. */
  finish(): number {
    this.release(Number.POSITIVE_INFINITY);
    if (this.changes === 0) throw new Error('no status changed');
    return this.changes;
  }

  private release(upTo: number): void {
    while (this.held > 0 && (this.ats[this.head] as number) <= upTo) {
      this.apply(this.ids[this.head] as string, this.ats[this.head] as number);
      this.head = (this.head + 1) & (RING_SLOTS - 1);
      this.held -= 1;
    }
  }

  private apply(tagId: string, at: number): void {
    const tag = this.tags.get(tagId);
    if (tag === undefined) {
      this.tags.set(tagId, { last: at, active: true });
      this.changes += 1;
      return;
    }
    if (tag.active && at - tag.last >= ACTIVITY_WINDOW_MS) {
      tag.active = false;
      this.changes += 1;
    }
    if (!tag.active) {
      tag.active = true;
      this.changes += 1;
    }
    if (at > tag.last) tag.last = at;
  }
}

/**
 * {@link csvCheckedFloor} with the least model of a replay (`LeastModel`: the reorder
 * window, each tag's silence and status) in place of the latest times alone: what a
 * replay of the file costs at the least, for a checked reading and its model.
 */
export function csvModelledFloor(file: string): number {
  const model = new LeastModel();
  const records = checkedCsvRows(file, model);
  model.finish();
  return records;
}

/** {@link tsvCheckedFloor} with the least model of a replay, as {@link csvModelledFloor}. */
export function tsvModelledFloor(file: string): number {
  const model = new LeastModel();
  const records = checkedTsvRows(file, 'site', model);
  model.finish();
  return records;
}
