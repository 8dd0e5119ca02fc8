/**
 * The floor under writing `uet-tag simulate`'s reports: what making and writing their
 * bytes costs with no simulation and no formatting rule at all, per status change of the
 * audit's flapping scenario. Sides, in one process, rotated order, fresh numbers each
 * round, each writing 1 MiB pieces to `/dev/null`:
 * - copying a ready-made item of the report's bytes per change (553 for `--json`, 82 for
 *   the text report, as measured on the flapping scenario);
 * - making a fresh string of that many ASCII characters per change (a constant and two
 *   13-digit times turned into text, as every item has) and encoding it into the piece;
 * - turning one 13-digit time into text (`String`), alone.
 * Run: `npm run bench -- report-write-floor` (`REPORT_FLOOR_CHANGES`, `REPORT_FLOOR_ROUNDS`).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { median } from './statistics.js';

const PIECE_BYTES = 1 << 20;
/** Bytes per change of the flapping scenario's reports (report size / changes). */
const BYTES_PER_CHANGE = { '--json': 553, text: 82 } as const;
const FIRST_TIME = Date.UTC(2024, 0, 1);

type Side = (changes: number, bytes: number, fd: number, seed: number) => number;

const copyBytes: Side = (changes, bytes, fd) => {
  const item = Buffer.alloc(bytes, 'x');
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let used = 0;
  for (let change = 0; change < changes; change++) {
    if (used + bytes > PIECE_BYTES) {
      writeSync(fd, piece, 0, used);
      piece = Buffer.allocUnsafe(PIECE_BYTES);
      used = 0;
    }
    used += item.copy(piece, used);
  }
  writeSync(fd, piece, 0, used);
  return used;
};

const makeAndEncode: Side = (changes, bytes, fd, seed) => {
  const constant = 'x'.repeat(bytes - 26);
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let used = 0;
  for (let change = 0; change < changes; change++) {
    const at = FIRST_TIME + seed + change * 5_631;
    const text = `${constant}${at}${at + 1}`;
    if (used + 3 * text.length > PIECE_BYTES) {
      writeSync(fd, piece, 0, used);
      piece = Buffer.allocUnsafe(PIECE_BYTES);
      used = 0;
    }
    used += piece.write(text, used);
  }
  writeSync(fd, piece, 0, used);
  return used;
};

const timeAsText: Side = (changes, _bytes, _fd, seed) => {
  let length = 0;
  for (let change = 0; change < changes; change++) {
    length += String(FIRST_TIME + seed + change * 5_631).length;
  }
  return length;
};

const SIDES: readonly (readonly [string, Side])[] = [
  ['copy a ready-made item of that many bytes into the piece', copyBytes],
  ['make a fresh string of that many characters (two 13-digit times) and encode it', makeAndEncode],
  ['one 13-digit time as text (`String`), alone', timeAsText],
];

/** Runs the benchmark and returns its Markdown section for `BENCHMARKS.md`. */
export async function run(): Promise<string> {
  const changes = Number(process.env.REPORT_FLOOR_CHANGES ?? 5_600_000);
  const rounds = Number(process.env.REPORT_FLOOR_ROUNDS ?? 3);
  const load = loadavg().map((value) => value.toFixed(1));
  const fd = openSync('/dev/null', 'w');
  const rows: string[] = [];
  try {
    for (const [report, bytes] of Object.entries(BYTES_PER_CHANGE)) {
      const perChange: number[][] = SIDES.map(() => []);
      for (let round = 0; round < rounds; round++) {
        for (let turn = 0; turn < SIDES.length; turn++) {
          const index = (round + turn) % SIDES.length;
          const side = (SIDES[index] as (typeof SIDES)[number])[1];
          const started = process.cpuUsage();
          side(changes, bytes, fd, round * 7_919);
          const used = process.cpuUsage(started);
          (perChange[index] as number[]).push(((used.user + used.system) * 1_000) / changes);
        }
      }
      SIDES.forEach(([label], index) => {
        const values = perChange[index] as number[];
        rows.push(
          `| ${report} (${bytes} B a change) | ${label} | ${median(values).toFixed(0)} ns (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)}) |`,
        );
      });
    }
  } finally {
    closeSync(fd);
  }
  return [
    `Command: \`npm run bench -- report-write-floor\`. ${changes.toLocaleString('en-US')} changes a side, ${rounds} rounds, rotated order, load average ${load.join(' ')} at the start; processor time of the process per change.`,
    '',
    '| report | side | processor time per change, median (range) |',
    '| --- | --- | ---: |',
    ...rows,
  ].join('\n');
}
