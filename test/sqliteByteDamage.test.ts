import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { assertEpochMs, assertId } from '../packages/uet-tag-status/src/engine/index.js';
import {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  createTagMonitor,
  UetTagTrackingStatus,
} from '../packages/uet-tag-status/src/index.js';
import { MonitorStoreError } from '../packages/uet-tag-status/src/monitor/MonitorStoreError.js';
import type { StoreSnapshot } from '../packages/uet-tag-status/src/monitor/store/monitorStore.js';
import { DAY_MS, DEFAULT_WINDOWS } from '../packages/uet-tag-status/src/windows.js';
import {
  FILE_T0,
  folderState,
  writeCrashedMonitorFile,
  writeMonitorFile,
} from './support/monitorFiles.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * Byte damage: a valid monitor file (tags, goals, changes, a hit log) with 1 to 24 bytes
 * overwritten, mostly in the header and the first pages, either opens with every stored
 * fact consistent (and then takes a commit), or is refused with a MonitorStoreError and
 * left as it was: same bytes, nothing new beside it. Never an untyped error. fast-check
 * prints the seed and the shrunk damage of a failure, to replay it.
 */

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-sqlite-damage-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const fixtures = {
  clean: path.join(scratch, 'clean.db'),
  crashed: path.join(scratch, 'crashed.db'),
};
beforeAll(() => {
  writeMonitorFile(fixtures.clean, 40);
  writeCrashedMonitorFile(fixtures.crashed, 40);
});
const REFUSAL_CODES = ['corrupt', 'notMonitorStore', 'newerSchema'];
let runs = 0;

/** One overwritten byte. */
interface Write {
  readonly offset: number;
  readonly byte: number;
}

/** 1 to 24 writes in a file of `size` bytes: in the header, the first pages, or anywhere. */
function damageOf(size: number): fc.Arbitrary<Write[]> {
  const offset = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 99 }) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: Math.min(size, 4 * 4096) - 1 }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: size - 1 }) },
  );
  return fc.array(fc.record({ offset, byte: fc.integer({ min: 0, max: 255 }) }), {
    minLength: 1,
    maxLength: 24,
  });
}

/** A copy of the fixture `name` (with its WAL, if it has one) in a new folder. */
function copyOf(fixture: string): string {
  runs += 1;
  const folder = path.join(scratch, `run-${runs}`);
  fs.mkdirSync(folder);
  const file = path.join(folder, 'monitor.db');
  fs.copyFileSync(fixture, file);
  if (fs.existsSync(`${fixture}-wal`)) fs.copyFileSync(`${fixture}-wal`, `${file}-wal`);
  return file;
}

function overwrite(file: string, writes: readonly Write[]): void {
  const bytes = fs.readFileSync(file);
  for (const { offset, byte } of writes) bytes[offset] = byte;
  fs.writeFileSync(file, bytes);
}

/** Checks every fact of an accepted snapshot against what a monitor can hold. */
function expectConsistent(snapshot: StoreSnapshot): void {
  const tagStatuses: readonly string[] = Object.values(UetTagTrackingStatus);
  const goalStatuses: readonly string[] = Object.values(ConversionGoalTrackingStatus);
  const goalTypes: readonly string[] = Object.values(ConversionGoalType);
  const time = (value: number | undefined) => {
    if (value !== undefined) assertEpochMs('time', value);
  };
  expect(Number.isSafeInteger(snapshot.windows.activityWindowMs)).toBe(true);
  expect(Number.isSafeInteger(snapshot.windows.conversionWindowMs)).toBe(true);
  expect(snapshot.windows.activityWindowMs).toBeGreaterThan(0);
  expect(snapshot.windows.conversionWindowMs).toBeGreaterThan(0);
  time(snapshot.now);
  expect(Number.isSafeInteger(snapshot.nextSeq) && snapshot.nextSeq >= 1).toBe(true);
  expect(['undefined', 'string']).toContain(typeof snapshot.checkpoint);
  expect(new Set(snapshot.tags.map((tag) => tag.no)).size).toBe(snapshot.tags.length);
  expect(new Set(snapshot.tags.map((tag) => tag.tagId)).size).toBe(snapshot.tags.length);
  for (const tag of snapshot.tags) {
    expect(Number.isSafeInteger(tag.no) && tag.no >= 0 && tag.no < 2 ** 29).toBe(true);
    assertId('tagId', tag.tagId);
    expect(tagStatuses).toContain(tag.status);
    [tag.changedAt, tag.firstDataAt, tag.lastDataAt].forEach(time);
    expect(tag.firstDataAt === undefined).toBe(tag.lastDataAt === undefined);
    if (tag.firstDataAt !== undefined)
      expect(tag.firstDataAt).toBeLessThanOrEqual(tag.lastDataAt as number);
    expect(typeof tag.tagAvailable).toBe('boolean');
    expect(new Set(tag.goals.map((goal) => goal.goalId)).size).toBe(tag.goals.length);
    for (const goal of tag.goals) {
      assertId('goalId', goal.goalId);
      expect(goalTypes).toContain(goal.goalType);
      expect(goalStatuses).toContain(goal.status);
      [goal.changedAt, goal.lastConversionAt, goal.decidedAt].forEach(time);
    }
  }
  let previous = 0;
  for (const change of snapshot.changes) {
    expect(change.seq).toBeGreaterThan(previous);
    expect(change.seq).toBeLessThan(snapshot.nextSeq);
    previous = change.seq;
    expect(Number.isSafeInteger(change.tagNo) && change.tagNo < 2 ** 29).toBe(true);
    const statuses = change.goalId === undefined ? tagStatuses : goalStatuses;
    expect(statuses).toContain(change.from);
    expect(statuses).toContain(change.to);
    if (change.goalId !== undefined) assertId('goalId', change.goalId);
    [change.effectiveAt, change.noticedAt].forEach(time);
  }
}

/** Opens the damaged file: a typed refusal leaving it as it was, or a usable store. */
function openDamaged(file: string): 'refused' | 'opened' {
  const folder = path.dirname(file);
  const before = folderState(folder);
  const store = createSqliteStore({ path: file });
  let snapshot: StoreSnapshot;
  try {
    snapshot = store.open(DEFAULT_WINDOWS);
  } catch (error) {
    expect(error).toBeInstanceOf(MonitorStoreError);
    expect(REFUSAL_CODES).toContain((error as MonitorStoreError).code);
    expect(folderState(folder)).toEqual(before);
    return 'refused';
  }
  expectConsistent(snapshot);
  store.close();
  const clock = simulatedClockAt(FILE_T0 + 3 * DAY_MS);
  const windows = snapshot.windows;
  const monitor = createTagMonitor({ clock, windows, store: createSqliteStore({ path: file }) });
  monitor.registerTag('added-after-damage');
  monitor.recordActivity('added-after-damage', clock.now());
  monitor.close();
  const reopened = createSqliteStore({ path: file });
  const after = reopened.open(windows);
  reopened.close();
  expect(after.tags.map((tag) => tag.tagId).sort()).toEqual(
    [...snapshot.tags.map((tag) => tag.tagId), 'added-after-damage'].sort(),
  );
  return 'opened';
}

describe('the SQLite store under byte damage', () => {
  for (const [name, fixture, numRuns] of [
    ['a cleanly closed file', 'clean', 160],
    ['a crashed writer’s file and its WAL', 'crashed', 80],
  ] as const) {
    it(`${name} with 1 to 24 bytes overwritten either opens consistent and takes a commit, or is refused with a typed error and left untouched`, () => {
      const outcomes = { refused: 0, opened: 0 };
      const file = fixtures[fixture];
      const targets = fs.existsSync(`${file}-wal`) ? ['', '-wal'] : [''];
      const target = fc
        .constantFrom(...targets)
        .chain((suffix) =>
          damageOf(fs.statSync(`${file}${suffix}`).size).map((writes) => ({ suffix, writes })),
        );
      fc.assert(
        fc.property(target, ({ suffix, writes }) => {
          const copy = copyOf(file);
          overwrite(`${copy}${suffix}`, writes);
          outcomes[openDamaged(copy)] += 1;
          fs.rmSync(path.dirname(copy), { recursive: true, force: true });
        }),
        { numRuns },
      );
      expect(outcomes.refused + outcomes.opened).toBe(numRuns);
      expect(outcomes.refused).toBeGreaterThan(0);
      expect(outcomes.opened).toBeGreaterThan(0);
    });
  }
});
