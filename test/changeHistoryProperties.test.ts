import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChangeHistory,
  type HistoryEntry,
} from '../packages/uet-tag-status/src/monitor/ChangeHistory.js';

const T0 = 1_735_689_600_000;
const DAY_MS = 86_400_000;
const TAGS = 4;

/** Statuses enough for more than 15 (from, to) pairs and more than 8 codes. */
const STATUSES = ['Unverified', 'Active', 'Inactive', 'TagUnverified', 'NoRecentConversions'];
const MANY_STATUSES = [...STATUSES, 'RecordingConversions', 'TagInactive', 'Paused', 'X', 'Y'];

/** A number as a history may be given one: mostly close steps, sometimes anything. */
const wideNumber = fc.oneof(
  fc.constantFrom(0, -0, 0.5, -1, 2 ** 31, 2 ** 32, 2 ** 48, 2 ** 52, 2 ** 53 + 2, -(2 ** 53)),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.MIN_VALUE, 1e300),
  fc.double(),
);

/** One operation: a change of a tag (its steps from the tag's last one), or a tag cleared. */
const operation = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      no: fc.nat(TAGS - 1),
      seqStep: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 3_000_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: -5, max: 0 }) },
      ),
      wideSeq: fc.option(wideNumber, { freq: 8 }),
      atStep: fc.oneof(
        { weight: 3, arbitrary: fc.constant(0) },
        { weight: 6, arbitrary: fc.integer({ min: -600_000, max: 3 * DAY_MS }) },
        { weight: 1, arbitrary: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }) },
      ),
      wideAt: fc.option(wideNumber, { freq: 10 }),
      delay: fc.oneof(
        { weight: 4, arbitrary: fc.constant(0) },
        { weight: 4, arbitrary: fc.integer({ min: -300_000, max: 40 * DAY_MS }) },
        { weight: 1, arbitrary: wideNumber },
      ),
      from: fc.nat(MANY_STATUSES.length - 1),
      to: fc.nat(MANY_STATUSES.length - 1),
      goalId: fc.option(fc.constantFrom('buy', 'signup', ''), { freq: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('clear' as const), no: fc.nat(TAGS - 1) }),
  },
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** Applies the operations to a history and to plain arrays; checks they agree throughout. */
function checkAgainstArrays(
  limit: number,
  operations: readonly Operation[],
  statuses: string[],
  queued = false,
  ownOnly = false,
) {
  const history = new ChangeHistory(limit);
  const model: HistoryEntry[][] = Array.from({ length: TAGS }, () => []);
  let seq = 1;
  let at = T0;
  for (const op of operations) {
    if (op.kind === 'clear') {
      history.clear(op.no);
      model[op.no] = [];
      continue;
    }
    seq += op.seqStep;
    at += op.atStep;
    const entry: HistoryEntry = {
      seq: op.wideSeq ?? seq,
      goalId: ownOnly ? undefined : (op.goalId ?? undefined),
      from: statuses[op.from % statuses.length] as string,
      to: statuses[op.to % statuses.length] as string,
      effectiveAt: op.wideAt ?? at,
      noticedAt: (op.wideAt ?? at) + op.delay,
    };
    const kept = model[op.no] as HistoryEntry[];
    kept.push(entry);
    const expectedDrop =
      limit === 0 ? entry.seq : kept.length > limit ? kept.shift()?.seq : undefined;
    if (limit === 0) kept.length = 0;
    if (queued && entry.goalId === undefined) {
      // Queued: added, in tag order, when something reads or adds (goals' changes) next.
      history.queue(op.no, entry.seq, entry.from, entry.to, entry.effectiveAt, entry.noticedAt);
      if (op.seqStep % (ownOnly ? 97 : 16) === 0) expect(history.list(op.no)).toEqual(kept);
      continue;
    }
    expect(history.add(op.no, entry)).toEqual(expectedDrop);
    expect(history.list(op.no)).toEqual(kept);
  }
  for (let no = 0; no < TAGS; no++) expect(history.list(no)).toEqual(model[no]);
  expect(history.size).toBe(model.reduce((sum, kept) => sum + kept.length, 0));
}

describe('ChangeHistory against plain arrays', () => {
  for (const limit of [0, 1, 2, 3, 10, 40]) {
    it(`limit ${limit}: every field reads back exactly, the oldest falls out at the limit, clearing forgets`, () => {
      fc.assert(
        fc.property(fc.array(operation, { maxLength: 120 }), fc.boolean(), (operations, many) =>
          checkAgainstArrays(limit, operations, many ? MANY_STATUSES : STATUSES),
        ),
        { numRuns: 150 },
      );
    });
  }

  for (const limit of [1, 3, 10]) {
    it(`limit ${limit}: tags' changes queued and added in tag order read back as added one by one`, () => {
      fc.assert(
        fc.property(fc.array(operation, { maxLength: 200 }), fc.boolean(), (operations, many) =>
          checkAgainstArrays(limit, operations, many ? MANY_STATUSES : STATUSES, true),
        ),
        { numRuns: 150 },
      );
    });
  }

  for (const limit of [1, 10]) {
    it(`limit ${limit}: long runs of tags' own changes, queued and sorted by tag, read back as added one by one`, () => {
      fc.assert(
        fc.property(fc.array(operation, { minLength: 100, maxLength: 400 }), (operations) =>
          checkAgainstArrays(limit, operations, STATUSES, true, true),
        ),
        { numRuns: 100 },
      );
    });
  }

  it('a queue that reaches its limit (2^20 changes) is added and goes on, as if added one by one', () => {
    const queued = new ChangeHistory(3);
    const direct = new ChangeHistory(3);
    const count = 2 ** 20 + 5_000;
    for (let seq = 1; seq <= count; seq++) {
      const no = (seq * 7_919) % 1_000;
      const at = T0 + seq;
      queued.queue(no, seq, 'Active', 'Inactive', at, at);
      direct.addFields(no, seq, undefined, 'Active', 'Inactive', at, at);
    }
    for (let no = 0; no < 1_000; no++) expect(queued.list(no)).toEqual(direct.list(no));
    expect(queued.size).toBe(direct.size);
  });

  it('a storm queued over 20,000 tags in deadline order reads back as the same changes added one by one', () => {
    const queued = new ChangeHistory(10);
    const direct = new ChangeHistory(10);
    const tags = 20_000;
    let seq = 1;
    for (let round = 0; round < 12; round++) {
      const from = round % 2 === 0 ? 'Inactive' : 'Active';
      const to = round % 2 === 0 ? 'Active' : 'Inactive';
      // Deadline order: tags a thousand apart, as a storm fires them.
      for (let offset = 0; offset < 1_000; offset++) {
        for (let no = offset; no < tags; no += 1_000) {
          const at = T0 + round * DAY_MS + offset;
          queued.queue(no, seq, from, to, at, at + (no % 3));
          direct.addFields(no, seq, undefined, from, to, at, at + (no % 3));
          seq += 1;
        }
      }
      if (round % 4 === 3) expect(queued.size).toBe(direct.size);
    }
    for (let no = 0; no < tags; no++) expect(queued.list(no)).toEqual(direct.list(no));
    expect(queued.size).toBe(direct.size);
  });

  it('keeps a storm-like history of 10 changes (a million tags apart, a day apart) exactly', () => {
    // What a million tags make: steps of a million sequence numbers and a day, no delays.
    const history = new ChangeHistory(10);
    const kept: HistoryEntry[] = [];
    for (let change = 0; change < 11; change++) {
      const entry: HistoryEntry = {
        seq: 1 + change * 1_000_000 + 999_999,
        goalId: undefined,
        from: change % 2 === 0 ? 'Inactive' : 'Active',
        to: change % 2 === 0 ? 'Active' : 'Inactive',
        effectiveAt: T0 + Math.ceil(change / 2) * DAY_MS,
        noticedAt: T0 + Math.ceil(change / 2) * DAY_MS,
      };
      kept.push(entry);
      history.add(999_999, entry);
    }
    expect(history.list(999_999)).toEqual(kept.slice(1));
  });
});
