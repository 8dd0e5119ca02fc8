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

describe('DeadlineHeap', () => {
  it('agrees with a map model after every set, delete and pop (earlier and later moves, ties by tag)', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 300 }), (operations) => {
        const heap = new DeadlineHeap();
        const model = new Map<number, number>();
        for (const step of operations) {
          if (step.op === 'set') {
            heap.set(step.tag, step.deadline);
            model.set(step.tag, step.deadline);
          } else if (step.op === 'delete') {
            heap.delete(step.tag);
            model.delete(step.tag);
          } else {
            const expected = firstOf(model);
            expect(heap.pop()).toBe(expected);
            model.delete(expected);
          }
          expect(heap.size).toBe(model.size);
          expect(heap.peekTag()).toBe(firstOf(model));
          for (let tag = 0; tag <= 40; tag++) expect(heap.deadlineOf(tag)).toBe(model.get(tag));
        }
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
