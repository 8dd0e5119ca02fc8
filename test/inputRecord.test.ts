import { describe, expect, it } from 'vitest';
import { parseInputLine } from '../packages/uet-tag/src/records/inputRecord.js';

const T = '2024-03-01T09:00:00Z';
const AT = Date.parse(T);

describe('input records (version 1)', () => {
  const good: { name: string; line: object; record: object }[] = [
    {
      name: 'T1 activity with an ISO time',
      line: { kind: 'activity', tagId: 'shop', at: T },
      record: { kind: 'activity', tagId: 'shop', at: AT },
    },
    {
      name: 'T1 activity with epoch ms',
      line: { kind: 'activity', tagId: 'shop', at: AT },
      record: { kind: 'activity', tagId: 'shop', at: AT },
    },
    {
      name: 'T1 a time with an offset is converted to UTC',
      line: { kind: 'activity', tagId: 'shop', at: '2024-03-01T05:00:00-04:00' },
      record: { kind: 'activity', tagId: 'shop', at: AT },
    },
    {
      name: 'G3 a conversion, with the goal type it declares',
      line: { kind: 'conversion', tagId: 'shop', goalId: 'buy', at: T, goalType: 'Url' },
      record: { kind: 'conversion', tagId: 'shop', goalId: 'buy', at: AT, goalType: 'Url' },
    },
    {
      name: 'R1 registering a tag with goals',
      line: {
        kind: 'registerTag',
        tagId: 'shop',
        goals: [{ goalId: '10', goalType: 'Event' }],
        tagAvailable: false,
      },
      record: {
        kind: 'registerTag',
        tagId: 'shop',
        goals: [{ goalId: '10', goalType: 'Event' }],
        tagAvailable: false,
      },
    },
    {
      name: 'G4 access lost, stamped',
      line: { kind: 'accessLost', tagId: 'shop', at: T },
      record: { kind: 'accessLost', tagId: 'shop', at: AT },
    },
    {
      name: 'G4 access restored, not stamped',
      line: { kind: 'accessRestored', tagId: 'shop' },
      record: { kind: 'accessRestored', tagId: 'shop' },
    },
  ];
  for (const c of good) {
    it(c.name, () => {
      expect(parseInputLine(JSON.stringify(c.line))).toEqual({ ok: true, record: c.record });
    });
  }

  const bad: { name: string; line: string; message: string }[] = [
    {
      name: 'D4 a bad tag id names the field and the value',
      line: JSON.stringify({ kind: 'activity', tagId: 'two words', at: AT }),
      message:
        'tagId: "two words" is not valid: expected a string of 1 to 256 visible characters (no white space, control or format character, or lone surrogate)',
    },
    {
      name: 'D4 a negative time',
      line: JSON.stringify({ kind: 'activity', tagId: 'shop', at: -1 }),
      message: 'at: -1 is not valid: expected a time',
    },
    {
      name: 'D4 a time without its zone',
      line: JSON.stringify({ kind: 'activity', tagId: 'shop', at: '2024-03-01T09:00:00' }),
      message: 'at: "2024-03-01T09:00:00" is not valid: expected a time',
    },
    {
      name: 'T1 a time beyond what a date can hold',
      line: JSON.stringify({ kind: 'activity', tagId: 'shop', at: 8_640_000_000_000_001 }),
      message: 'at: 8640000000000001 is not valid: expected a time',
    },
    {
      name: 'D4 activity without a time',
      line: JSON.stringify({ kind: 'activity', tagId: 'shop' }),
      message: 'at: missing: expected a time',
    },
    {
      name: 'D4 an unknown kind names the kind',
      line: JSON.stringify({ kind: 'launch', tagId: 'shop' }),
      message: 'kind: "launch" is not valid: expected a record whose kind is one of registerTag',
    },
    {
      name: 'D4 a record without a kind',
      line: JSON.stringify({ tagId: 'shop', at: AT }),
      message: 'kind: missing: expected a record whose kind is one of',
    },
    {
      name: 'D4 an unknown goal type, spelled as the API does not',
      line: JSON.stringify({ kind: 'attachGoal', tagId: 'shop', goalId: 'g', goalType: 'url' }),
      message: 'goalType: "url" is not valid: expected one of Url, Duration',
    },
    {
      name: 'D4 an unknown field is named, so that a misspelling is not silently ignored',
      line: JSON.stringify({ kind: 'activity', tagId: 'shop', at: AT, tagid: 'x' }),
      message: 'tagid: "x" is not valid: expected a known field name',
    },
    {
      name: 'D4 not an object',
      line: '[1,2]',
      message: 'record: [1,2] is not valid: expected a record whose kind is one of',
    },
    { name: 'D4 not JSON', line: '{"kind":', message: 'not JSON (' },
  ];
  for (const c of bad) {
    it(c.name, () => {
      const result = parseInputLine(c.line);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(c.message);
    });
  }

  it('D4 a long bad value is echoed as a bounded prefix', () => {
    const result = parseInputLine(
      JSON.stringify({ kind: 'activity', tagId: 'x '.repeat(50_000), at: AT }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message.length).toBeLessThan(300);
      expect(result.message).toContain('(100000 characters)');
    }
  });
});
