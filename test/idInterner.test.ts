import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdInterner } from '../packages/uet-tag/src/replay/IdInterner.js';
import { isValidId } from '../packages/uet-tag-status/src/validation.js';

describe('IdInterner', () => {
  it('reads a cell as the valid id it holds (one without a quote), else undefined, whatever it read before', () => {
    const cell = fc.oneof(
      fc.constantFrom('shop', 'tag-1', 'tag-2', 'a"b', '', ' shop', 'two words', 'é', 'x\u200b'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 30 }),
        fc.constantFrom(1, 2, 4096),
        (rows, slots) => {
          const ids = new IdInterner(slots);
          for (const [before, id, after] of rows) {
            const line = `${before},${id},${after}`;
            const start = before.length + 1;
            const read = ids.read(line, start, start + id.length);
            expect(read).toBe(isValidId(id) && !id.includes('"') ? id : undefined);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('gives the same string for the same id', () => {
    const ids = new IdInterner();
    const first = ids.read('1,shop,x', 2, 6);
    expect(first).toBe('shop');
    expect(ids.read('22,shop', 3, 7)).toBe(first);
    expect(() => new IdInterner(3)).toThrow(RangeError);
  });
});
