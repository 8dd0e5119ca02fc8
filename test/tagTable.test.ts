import { describe, expect, it } from 'vitest';
import { createTagFacts } from '../packages/uet-tag-status/src/engine/tagFacts.js';
import { TagTable } from '../packages/uet-tag-status/src/monitor/TagTable.js';

/** The number an id maps to, and that tag's status. */
function entry(table: TagTable, tagId: string) {
  const no = table.numberOf(tagId);
  return no === undefined ? undefined : [no, table.statusOf(no)];
}

describe('TagTable', () => {
  it('maps each id to its number and keeps the status written, through removal and reuse of the number', () => {
    const table = new TagTable();
    const a = table.add('a', createTagFacts());
    const b = table.add('b', createTagFacts());
    expect([entry(table, 'a'), entry(table, 'b')]).toEqual([
      [a, 'Unverified'],
      [b, 'Unverified'],
    ]);
    const version = table.version;
    table.write(b, { ...table.view(b), status: 'Active', firstDataAt: 5, lastDataAt: 5 });
    expect(entry(table, 'b')).toEqual([b, 'Active']);
    // A status change leaves the id map, and so numbers read ahead, as they were.
    expect(table.version).toBe(version);
    table.write(b, { ...table.view(b), status: 'Inactive' });
    expect(entry(table, 'b')).toEqual([b, 'Inactive']);
    expect(entry(table, 'a')).toEqual([a, 'Unverified']);

    table.remove(b);
    expect(table.version).not.toBe(version);
    expect(entry(table, 'b')).toBeUndefined();
    expect(table.add('c', createTagFacts())).not.toBe(b);
    table.release();
    expect(table.add('d', createTagFacts())).toBe(b);
    expect(entry(table, 'd')).toEqual([b, 'Unverified']);
  });

  it('activityView gives the data times and the status, and writeDataTimes keeps them', () => {
    const table = new TagTable();
    const no = table.add('a', {
      ...createTagFacts(),
      status: 'Active',
      firstDataAt: 5,
      lastDataAt: 9,
    });
    const facts = table.activityView(no);
    expect(facts).toEqual({ status: 'Active', firstDataAt: 5, lastDataAt: 9 });
    facts.lastDataAt = 12;
    table.writeDataTimes(no, facts);
    expect(table.view(no)).toMatchObject({ status: 'Active', firstDataAt: 5, lastDataAt: 12 });
    const fresh = table.add('b', createTagFacts());
    expect(() => table.activityView(fresh)).toThrowError('internal: tag b has no data times');
  });
});
