import { describe, expect, it } from 'vitest';
import { HistoryCodec } from '../packages/uet-tag-status/src/monitor/HistoryCodec.js';

const T0 = 1_735_689_600_000;
const DAY_MS = 86_400_000;

describe('HistoryCodec', () => {
  it('writes ten changes of a storm of a million tags in 60 bytes, and reads them back', () => {
    const codec = new HistoryCodec();
    const bytes = new Uint8Array(256);
    // The base: the first change the history keeps (tag 0's first activity).
    codec.writeCodes(
      bytes,
      true,
      0,
      0,
      1,
      codec.codeOf('Unverified'),
      codec.codeOf('Active'),
      false,
      T0,
      T0,
    );
    codec.writeAt = 0;
    const changes = Array.from({ length: 10 }, (_, change) => ({
      seq: (change + 1) * 1_000_000 + 999_999,
      silenced: change % 2 === 0,
      at: T0 + Math.floor(change / 2 + 1) * DAY_MS,
    }));
    let previous = { seq: 0, at: 0 };
    for (const [index, change] of changes.entries()) {
      const [from, to] = change.silenced ? ['Active', 'Inactive'] : ['Inactive', 'Active'];
      codec.writeCodes(
        bytes,
        index === 0,
        previous.seq,
        previous.at,
        change.seq,
        codec.codeOf(from as string),
        codec.codeOf(to as string),
        false,
        change.at,
        change.at,
      );
      previous = change;
    }
    expect(codec.writeAt).toBe(60);
    codec.readAt = 0;
    for (const [index, change] of changes.entries()) {
      codec.read(bytes, index === 0);
      expect([codec.seq, codec.effectiveAt, codec.noticedAt, codec.isGoal]).toEqual([
        change.seq,
        change.at,
        change.at,
        false,
      ]);
      expect(codec.statusOf(codec.to)).toBe(change.silenced ? 'Inactive' : 'Active');
    }
    expect(codec.readAt).toBe(60);
  });

  it('keeps a change whole (27 bytes) when a step is not a whole number within 2^48', () => {
    const codec = new HistoryCodec();
    const bytes = new Uint8Array(64);
    codec.writeCodes(
      bytes,
      true,
      0,
      0,
      5,
      codec.codeOf('Active'),
      codec.codeOf('Inactive'),
      true,
      T0,
      T0 + 0.25,
    );
    expect(codec.writeAt).toBe(27);
    codec.readAt = 0;
    codec.read(bytes, true);
    expect([codec.seq, codec.effectiveAt, codec.noticedAt, codec.isGoal]).toEqual([
      5,
      T0,
      T0 + 0.25,
      true,
    ]);
  });
});
