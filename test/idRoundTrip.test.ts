import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../packages/uet-tag/src/sqlite/index.js';
import { createMemoryStore, createTagMonitor } from '../packages/uet-tag-status/src/index.js';
import type { MonitorStore } from '../packages/uet-tag-status/src/monitor/store/monitorStore.js';
import { ID_PATTERN, isValidId, MAX_ID_LENGTH } from '../packages/uet-tag-status/src/validation.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * D4: an id is well-formed Unicode of 1 to 256 code points without white space, control
 * or format characters, compared exactly as given (no normalization). Every id the monitor
 * accepts comes back from every store exactly, in its histories, statuses and change log.
 */

const T0 = Date.UTC(2026, 10, 1);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'uet-ids-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let files = 0;
const stores: Record<string, () => { store: () => MonitorStore }> = {
  memory: () => {
    const store = createMemoryStore();
    return { store: () => store };
  },
  sqlite: () => {
    files += 1;
    const file = path.join(scratch, `ids-${files}.db`);
    return { store: () => createSqliteStore({ path: file }) };
  },
};

/** Ids from the whole of Unicode: astral characters, combining marks, both normal forms. */
const anyId = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
    fc.constantFrom('café', 'cafe\u0301', '𝔘𝔈𝔗', '👩🏽‍💻', 'ﷺ', '\uE000private', '0'),
  )
  .filter(isValidId);

describe('ids through every store', () => {
  for (const [name, make] of Object.entries(stores)) {
    it(`D4 every accepted id comes back from the ${name} store exactly, in statuses, histories and the change log`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(anyId, { minLength: 1, maxLength: 4 }),
          anyId,
          (tagIds, goalId) => {
            const opened = make();
            const clock = simulatedClockAt(T0);
            const monitor = createTagMonitor({ clock, store: opened.store() });
            for (const tagId of tagIds) {
              monitor.registerTag(tagId, { goals: [{ goalId, goalType: 'Url' }] });
              monitor.recordActivity(tagId, T0);
              monitor.recordConversion(tagId, goalId, T0);
            }
            monitor.close();
            const reopened = createTagMonitor({ clock, store: opened.store() });
            const statuses = [...reopened.statuses()];
            expect(statuses.map((status) => status.tagId)).toEqual(tagIds);
            for (const status of statuses) {
              expect(status.goals.map((goal) => goal.goalId)).toEqual([goalId]);
              expect(status.goals[0]?.status).toBe('RecordingConversions');
              expect(
                reopened.history(status.tagId).every((change) => change.tagId === status.tagId),
              ).toBe(true);
            }
            const logged = reopened
              .changesAfter(0, 1_000)
              .map((change) => (change.kind === 'goal' ? change.goalId : change.tagId));
            expect(new Set(logged)).toEqual(new Set([...tagIds, goalId]));
            reopened.close();
          },
        ),
        { numRuns: name === 'sqlite' ? 40 : 150 },
      );
    });
  }

  it('D4 the composed and decomposed forms of one word are two ids, each kept as given', () => {
    const monitor = createTagMonitor({ clock: simulatedClockAt(T0) });
    monitor.registerTag('café');
    monitor.registerTag('cafe\u0301');
    monitor.recordActivity('café', T0);
    expect(monitor.status('café').status).toBe('Active');
    expect(monitor.status('cafe\u0301').status).toBe('Unverified');
  });

  it('D4 counts an id in code points: 256 astral characters are accepted, 257 are not', () => {
    expect(isValidId('𝔘'.repeat(MAX_ID_LENGTH))).toBe(true);
    expect(isValidId('𝔘'.repeat(MAX_ID_LENGTH + 1))).toBe(false);
    expect(isValidId('x'.repeat(MAX_ID_LENGTH + 1))).toBe(false);
  });

  it('D4 accepts exactly the ids of 1 to 256 code points that ID_PATTERN matches, ASCII or not (property)', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
      fc.constantFrom('\u00a0', '\u200b', '\u00ad', 'é', '\ud800', '𝔘', '\u2028'),
    );
    const ids = fc.oneof(
      fc.array(unit, { maxLength: 12 }).map((units) => units.join('')),
      fc.tuple(fc.integer({ min: 250, max: 260 }), unit).map(([n, last]) => 'a'.repeat(n) + last),
    );
    fc.assert(
      fc.property(ids, (id) => {
        const codePoints = [...id].length;
        const expected = codePoints >= 1 && codePoints <= MAX_ID_LENGTH && ID_PATTERN.test(id);
        expect(isValidId(id)).toBe(expected);
      }),
      { numRuns: 5_000 },
    );
  });

  it.each([
    ['a lone high surrogate', 'tag\uD800'],
    ['a lone low surrogate', '\uDC00tag'],
    ['a zero-width space', 'tag\u200B1'],
    ['a right-to-left override', 'tag\u202E1'],
    ['a byte order mark', '\uFEFFtag'],
    ['a soft hyphen', 'ta\u00ADg'],
    ['a NUL', 'tag\u0000'],
    ['a no-break space', 'tag\u00A01'],
    ['a line separator', 'tag\u20281'],
  ])('D4 refuses an id with %s, naming the field and echoing the value', (_, tagId) => {
    const monitor = createTagMonitor({ clock: simulatedClockAt(T0) });
    expect(() => monitor.registerTag(tagId)).toThrowError(
      expect.objectContaining({ code: 'invalidId', field: 'tagId', value: tagId }),
    );
    expect([...monitor.statuses()]).toEqual([]);
  });
});
