import { describe, expect, it } from 'vitest';
import { HistorySlots } from '../packages/uet-tag-status/src/monitor/HistorySlots.js';

function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (index * 31 + seed) % 256);
}

function opened(slots: HistorySlots, no: number): number[] {
  const length = slots.open(no);
  return [...slots.bytes.subarray(slots.start, slots.start + length)];
}

describe('HistorySlots', () => {
  it('keeps records in their slot up to its room, longer ones in chunks, each readable whole', () => {
    const slots = new HistorySlots(16);
    const lengths = [0, 1, 15, 16, 70, 200, 3];
    for (const [no, length] of lengths.entries()) slots.store(no, bytesOf(length, no), length);
    for (const [no, length] of lengths.entries()) {
      expect(opened(slots, no)).toEqual([...bytesOf(length, no)]);
      expect(slots.isInline).toBe(length <= slots.room);
    }
    // A chained record made short again is back in its slot; a cleared one is empty.
    slots.store(5, bytesOf(4, 9), 4);
    expect(opened(slots, 5)).toEqual([...bytesOf(4, 9)]);
    expect(slots.isInline).toBe(true);
    slots.clear(4);
    expect(opened(slots, 4)).toEqual([]);
    expect(opened(slots, 3)).toEqual([...bytesOf(16, 3)]);
  });

  it('gives tags beyond its first 1,024 a slot when asked, keeping the records it has', () => {
    const slots = new HistorySlots(24);
    slots.store(7, bytesOf(100, 1), 100);
    slots.ensure(5_000);
    expect(slots.capacity).toBe(5_000);
    slots.store(4_999, bytesOf(10, 2), 10);
    expect(opened(slots, 7)).toEqual([...bytesOf(100, 1)]);
    expect(opened(slots, 4_999)).toEqual([...bytesOf(10, 2)]);
  });
});
