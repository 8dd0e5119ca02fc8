import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayNestDeeperThan, tooDeepAt } from '../packages/uet-tag/src/io/jsonDepth.js';

/** How deeply arrays and objects nest in `value` (a scalar: 0), by recursion. */
function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const items = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...items.map(depthOf));
}

describe('tooDeepAt', () => {
  it('finds a value too deep exactly when the value nests deeper than the bound, and names it', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat({ max: 7 }), (value, maxDepth) => {
        const found = tooDeepAt(value, 'body', maxDepth);
        expect(found === undefined).toBe(depthOf(value) <= maxDepth);
        if (found !== undefined) {
          expect(found.path).toMatch(/^body/);
          expect(depthOf(found.value)).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('names the first value beyond the bound, in document order', () => {
    expect(tooDeepAt({ a: 1, b: [{ c: [] }], d: [[[]]] }, 'body', 2)).toStrictEqual({
      path: 'body.b[0]',
      value: { c: [] },
    });
  });
});

describe('mayNestDeeperThan', () => {
  it('is true whenever the parsed text nests deeper than the bound, and false for few brackets', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.nat({ max: 7 }), (value, levels) => {
        const text = JSON.stringify(value);
        if (depthOf(value) > levels) expect(mayNestDeeperThan(text, levels)).toBe(true);
        const brackets = text.split('').filter((char) => char === '{' || char === '[').length;
        expect(mayNestDeeperThan(text, levels)).toBe(brackets > levels);
      }),
      { numRuns: 2_000 },
    );
  });
});
