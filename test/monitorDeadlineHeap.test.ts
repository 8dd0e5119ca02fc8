import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../packages/uet-tag-status/src/monitor/DeadlineHeap.js';
import { DueSorter } from '../packages/uet-tag-status/src/monitor/DueSorter.js';

/** The obvious model: a map from tag to deadline; the first is the smallest (deadline, tag). */
function firstOf(model: Map<number, number>): number {
  let best = -1;
  for (const [tag, deadline] of model) {
    const bestDeadline = model.get(best);
    if (
      best < 0 ||
      deadline < (bestDeadline as number) ||
      (deadline === bestDeadline && tag < best)
    ) {
      best = tag;
    }
  }
  return best;
}

const operation = fc.oneof(
  fc.record({
    op: fc.constant('set' as const),
    tag: fc.nat(40),
    deadline: fc.integer({ min: 0, max: 30 }),
  }),
  fc.record({ op: fc.constant('delete' as const), tag: fc.nat(40) }),
  fc.record({ op: fc.constant('pop' as const) }),
  fc.record({ op: fc.constant('takeAllDue' as const), now: fc.integer({ min: -1, max: 30 }) }),
);

/** One call on the heap. */
type HeapOperation =
  | { readonly op: 'set'; readonly tag: number; readonly deadline: number }
  | { readonly op: 'delete'; readonly tag: number }
  | { readonly op: 'pop' }
  | { readonly op: 'takeAllDue'; readonly now: number };

/**
 * Runs `operations` on a heap and on the model; after each, the first disagreement (size,
 * top, or the deadline of a tag up to `maxTag`) is returned, or `undefined`.
 */
function disagreement(operations: readonly HeapOperation[], maxTag: number): string | undefined {
  const heap = new DeadlineHeap();
  const sorter = new DueSorter();
  const model = new Map<number, number>();
  for (const [index, step] of operations.entries()) {
    if (step.op === 'takeAllDue') {
      const expected = [...model]
        .filter(([, deadline]) => deadline <= step.now)
        .sort(([tagA, a], [tagB, b]) => a - b || tagA - tagB);
      const taken = heap.takeAllDue(step.now, sorter);
      const got = Array.from({ length: taken }, (_, at) => [sorter.tags[at], sorter.deadlines[at]]);
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        return `step ${index}: took ${JSON.stringify(got)}, not ${JSON.stringify(expected)}`;
      }
      for (const [tag] of expected) model.delete(tag);
    }
    if (step.op === 'set') {
      heap.set(step.tag, step.deadline);
      model.set(step.tag, step.deadline);
    } else if (step.op === 'delete') {
      heap.delete(step.tag);
      model.delete(step.tag);
    } else if (step.op === 'pop') {
      const expected = firstOf(model);
      const popped = heap.pop();
      if (popped !== expected) return `step ${index}: popped ${popped}, not ${expected}`;
      model.delete(expected);
    }
    const first = firstOf(model);
    const firstDeadline = model.get(first) ?? Number.POSITIVE_INFINITY;
    if (heap.size !== model.size) return `step ${index}: size ${heap.size}, not ${model.size}`;
    if (heap.peekTag() !== first || heap.peekDeadline() !== firstDeadline) {
      return `step ${index}: top ${heap.peekTag()} at ${heap.peekDeadline()}, not ${first} at ${firstDeadline}`;
    }
    for (let tag = 0; tag <= maxTag; tag++) {
      if (heap.deadlineOf(tag) !== model.get(tag)) return `step ${index}: tag ${tag}'s deadline`;
    }
  }
  return undefined;
}

/** A `DueSorter` given `deadlines` (tag `i` has the `i`th) and sorted. */
function sortedBySorter(deadlines: readonly number[]): DueSorter {
  const sorter = new DueSorter();
  const room = sorter.room(deadlines.length);
  deadlines.forEach((value, tag) => {
    room.tags[tag] = tag;
    room.deadlines[tag] = value;
  });
  sorter.sort(deadlines.length);
  return sorter;
}

describe('DeadlineHeap', () => {
  it('agrees with the model through thousands of moves of a few tags (stale entries skipped, the heap rebuilt)', () => {
    const fewTags = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          op: fc.constant('set' as const),
          tag: fc.nat(6),
          deadline: fc.integer({ min: 0, max: 50 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), tag: fc.nat(6) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('pop' as const) }) },
    );
    fc.assert(
      fc.property(fc.array(fewTags, { minLength: 3_000, maxLength: 5_000 }), (operations) => {
        expect(disagreement(operations, 6)).toBeUndefined();
      }),
      { numRuns: 10 },
    );
  });

  it('agrees with a map model after every set, delete and pop (earlier and later moves, ties by tag)', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        expect(disagreement(operations, 40)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('pops 200,000 equal deadlines in tag order and then is empty', () => {
    const heap = new DeadlineHeap();
    const count = 200_000;
    for (let tag = count - 1; tag >= 0; tag--) heap.set(tag, 5);
    let previous = -1;
    let popped = 0;
    for (let tag = heap.pop(); tag >= 0; tag = heap.pop()) {
      if (tag <= previous) throw new Error(`tag ${tag} came after ${previous}`);
      previous = tag;
      popped += 1;
    }
    expect(popped).toBe(count);
    expect(heap.peekDeadline()).toBe(Number.POSITIVE_INFINITY);
    expect(heap.peekTag()).toBe(-1);
  });

  it('takes all due deadlines at once in the order pops give them, over a storm of 100,000 tags', () => {
    const popped = new DeadlineHeap();
    const taken = new DeadlineHeap();
    const count = 100_000;
    const deadlineOf = (tag: number) => 1_735_689_600_000 + 86_400_000 + ((tag * 7_919) % 1_000);
    for (let tag = 0; tag < count; tag++) {
      popped.set(tag, deadlineOf(tag));
      taken.set(tag, deadlineOf(tag));
    }
    // A few are not due: they stay on the heap.
    for (let tag = 0; tag < count; tag += 1_000) taken.set(tag, deadlineOf(tag) + 10_000);
    const now = 1_735_689_600_000 + 86_400_000 + 999;
    expect(taken.isMostlyDue(now)).toBe(true);
    const sorter = new DueSorter();
    const due = taken.takeAllDue(now, sorter);
    expect(due).toBe(count - count / 1_000);
    let at = 0;
    for (let tag = popped.pop(); tag >= 0; tag = popped.pop()) {
      if (tag % 1_000 === 0) continue;
      if (sorter.tags[at] !== tag)
        throw new Error(`entry ${at} is tag ${sorter.tags[at]}, not ${tag}`);
      at += 1;
    }
    expect(at).toBe(due);
    expect(taken.size).toBe(count / 1_000);
    expect(taken.isMostlyDue(now)).toBe(false);
    expect(taken.peekDeadline()).toBe(deadlineOf(0) + 10_000);
  });

  it('sorts due entries by deadline, ties by tag, whatever the numbers (fractions, negatives, -0)', () => {
    const deadline = fc.oneof(
      fc.integer({ min: 0, max: 20 }),
      fc.double({ min: -1e15, max: 1e15, noNaN: true }),
      fc.constantFrom(0, -0, 2 ** 53, 1_735_689_600_000.5),
    );
    fc.assert(
      fc.property(fc.array(deadline, { maxLength: 300 }), (deadlines) => {
        const sorter = sortedBySorter(deadlines);
        const expected = deadlines
          .map((value, tag) => [tag, value] as const)
          .sort(([tagA, a], [tagB, b]) => (a === b ? tagA - tagB : a < b ? -1 : 1));
        const got = Array.from({ length: deadlines.length }, (_, at) => [
          sorter.tags[at],
          sorter.deadlines[at],
        ]);
        expect(got).toEqual(expected.map(([tag, value]) => [tag, value]));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts non-negative deadlines by their bits as by their values, ties by tag', () => {
    const deadline = fc.oneof(
      fc.integer({ min: 0, max: 1_000 }),
      fc.double({ min: 0, max: 2 ** 60, noNaN: true }).map((value) => (value === 0 ? 0 : value)),
    );
    fc.assert(
      fc.property(fc.array(deadline, { minLength: 2, maxLength: 500 }), (deadlines) => {
        const sorter = sortedBySorter(deadlines);
        const order = deadlines
          .map((value, tag) => [tag, value] as const)
          .sort(([tagA, a], [tagB, b]) => a - b || tagA - tagB)
          .map(([tag]) => tag);
        expect(Array.from(sorter.tags.subarray(0, deadlines.length))).toEqual(order);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a negative or fractional tag number', () => {
    const heap = new DeadlineHeap();
    expect(() => heap.set(-1, 0)).toThrow(RangeError);
    expect(() => heap.set(1.5, 0)).toThrow(RangeError);
  });
});
