import { describe, expect, it } from 'vitest';
import {
  ChangeHistory,
  type HistoryEntry,
} from '../packages/uet-tag-status/src/monitor/ChangeHistory.js';

const DAY_MS = 86_400_000;

/** A tag's change with sequence number `seq`, effective at `effectiveAt`, noticed `delay` later. */
function entry(seq: number, effectiveAt: number, delay: number, goalId?: string): HistoryEntry {
  return {
    seq,
    goalId,
    from: 'Active',
    to: 'Inactive',
    effectiveAt,
    noticedAt: effectiveAt + delay,
  };
}

describe('ChangeHistory', () => {
  it('D5 gives back every kept field exactly, sequence numbers and noticing delays too wide for 32 bits included', () => {
    const history = new ChangeHistory(10);
    const kept = [
      entry(1_000, 1_735_689_600_000, 0),
      entry(1_001, 1_735_689_600_000, 250),
      entry(1_000 + 2 ** 33, 1_735_689_600_500, -300_000, 'buy'),
      entry(2 ** 52, 1_735_689_600_700, 40 * DAY_MS),
      entry(999, 1_735_689_600_800, 0.5),
      entry(2_000, 1_735_689_600_900, -40 * DAY_MS),
    ];
    for (const change of kept) history.add(3, change);
    expect(history.list(3)).toEqual(kept);
    expect(history.list(2)).toEqual([]);
  });

  it('keeps the newest `limit` changes per tag, reports each dropped one, and reuses their room', () => {
    const history = new ChangeHistory(2);
    const dropped: (number | undefined)[] = [];
    for (let seq = 1; seq <= 5; seq++) dropped.push(history.add(0, entry(seq, seq * 10, seq)));
    history.add(1, entry(6, 60, 2 ** 40));
    expect(dropped).toEqual([undefined, undefined, 1, 2, 3]);
    expect(history.list(0)).toEqual([entry(4, 40, 4), entry(5, 50, 5)]);
    expect(history.size).toBe(3);
    history.clear(1);
    expect(history.list(1)).toEqual([]);
    // A freed entry that held a wide delay holds a narrow one now, read as such.
    history.add(0, entry(7, 70, 7));
    expect(history.list(0)).toEqual([entry(5, 50, 5), entry(7, 70, 7)]);
    expect(history.size).toBe(2);
  });

  it('queued changes of more than 256 statuses read back in order, as added one by one', () => {
    const history = new ChangeHistory(3);
    const expected: HistoryEntry[][] = [[], []];
    for (let seq = 1; seq <= 600; seq++) {
      const no = seq % 2;
      const change: HistoryEntry = {
        seq,
        goalId: undefined,
        from: `status-${seq}`,
        to: `status-${seq + 1}`,
        effectiveAt: DAY_MS * seq,
        noticedAt: DAY_MS * seq,
      };
      history.queue(no, change.seq, change.from, change.to, change.effectiveAt, change.noticedAt);
      expected[no] = [...(expected[no] as HistoryEntry[]), change].slice(-3);
    }
    expect(history.list(0)).toEqual(expected[0]);
    expect(history.list(1)).toEqual(expected[1]);
    expect(history.size).toBe(6);
  });
});
