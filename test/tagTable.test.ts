import { describe, expect, it } from 'vitest';
import { createTagFacts } from '../packages/uet-tag-status/src/engine/tagFacts.js';
import {
  numberInEntry,
  statusInEntry,
  TagTable,
} from '../packages/uet-tag-status/src/monitor/TagTable.js';

/** The number and status an id's entry says. */
function entry(table: TagTable, tagId: string) {
  const found = table.entryOf(tagId);
  return found === undefined ? undefined : [numberInEntry(found), statusInEntry(found)];
}

describe('TagTable', () => {
  it('keeps each id entry in step with the status written, through removal and reuse of the number', () => {
    const table = new TagTable();
    const a = table.add('a', createTagFacts());
    const b = table.add('b', createTagFacts());
    expect([entry(table, 'a'), entry(table, 'b')]).toEqual([
      [a, 'Unverified'],
      [b, 'Unverified'],
    ]);
    table.write(b, { ...table.view(b), status: 'Active', firstDataAt: 5, lastDataAt: 5 });
    expect(entry(table, 'b')).toEqual([b, 'Active']);
    table.write(b, { ...table.view(b), status: 'Inactive' });
    expect(entry(table, 'b')).toEqual([b, 'Inactive']);
    expect(entry(table, 'a')).toEqual([a, 'Unverified']);

    table.remove(b);
    expect(entry(table, 'b')).toBeUndefined();
    expect(table.add('c', createTagFacts())).not.toBe(b);
    table.release();
    expect(table.add('d', createTagFacts())).toBe(b);
    expect(entry(table, 'd')).toEqual([b, 'Unverified']);
  });

  it('activityView gives the data times with the status the caller knows, and writeDataTimes keeps them', () => {
    const table = new TagTable();
    const no = table.add('a', {
      ...createTagFacts(),
      status: 'Active',
      firstDataAt: 5,
      lastDataAt: 9,
    });
    const facts = table.activityView(no, 'Active');
    expect(facts).toEqual({ status: 'Active', firstDataAt: 5, lastDataAt: 9 });
    facts.lastDataAt = 12;
    table.writeDataTimes(no, facts);
    expect(table.view(no)).toMatchObject({ status: 'Active', firstDataAt: 5, lastDataAt: 12 });
    const fresh = table.add('b', createTagFacts());
    expect(() => table.activityView(fresh, 'Active')).toThrowError(
      'internal: tag b has no data times',
    );
  });
});
