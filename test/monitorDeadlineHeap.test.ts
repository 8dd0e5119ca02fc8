import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../packages/uet-tag-status/src/monitor/DeadlineHeap.js';

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
);

/** One call on the heap. */
type HeapOperation =
  | { readonly op: 'set'; readonly tag: number; readonly deadline: number }
  | { readonly op: 'delete'; readonly tag: number }
  | { readonly op: 'pop' };

/**
 * Runs `operations` on a heap and on the model; after each, the first disagreement (size,
 * top, or the deadline of a tag up to `maxTag`) is returned, or `undefined`.
 */
function disagreement(operations: readonly HeapOperation[], maxTag: number): string | undefined {
  const heap = new DeadlineHeap();
  const model = new Map<number, number>();
  for (const [index, step] of operations.entries()) {
    if (step.op === 'set') {
      heap.set(step.tag, step.deadline);
      model.set(step.tag, step.deadline);
    } else if (step.op === 'delete') {
      heap.delete(step.tag);
      model.delete(step.tag);
    } else {
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

  it('rejects a negative or fractional tag number', () => {
    const heap = new DeadlineHeap();
    expect(() => heap.set(-1, 0)).toThrow(RangeError);
    expect(() => heap.set(1.5, 0)).toThrow(RangeError);
  });
});
