import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConversionMatcher } from '../packages/uet-tag-status/src/uet/createConversionMatcher.js';
import type { UetHit } from '../packages/uet-tag-status/src/uet/UetHit.js';
import { defined, goals, hitsFor, MINUTE, TAGS } from './support/matchingArbitraries.js';
import { createReferenceMatcher } from './support/referenceMatcher.js';

/*
 * M1–M6, A2: the indexed matcher against the plain reference of test/support, on random
 * goals and random visits. Expressions and field values are drawn from a small alphabet
 * so that matches are frequent; times move forward by steps from 0 to 40 minutes, and
 * now and then back by a few minutes (hits out of order); visitors, sessions, clicks and
 * tags are drawn from small sets so that visits continue, split and close.
 */

describe('the indexed matcher against the plain reference', () => {
  it('M1 M2 M3 M4 M5 M6 A2 give the same goal ids for every hit, in both attribution modes', () => {
    fc.assert(
      fc.property(
        goals.chain((tagGoals) => fc.tuple(fc.constant(tagGoals), hitsFor(tagGoals))),
        fc.constantFrom('none', 'click' as const),
        fc.constantFrom(5 * MINUTE, 30 * MINUTE),
        ([tagGoals, hits], attribution, visitTimeoutMs) => {
          const options = { attribution, visitTimeoutMs };
          const matcher = createConversionMatcher(options);
          const reference = createReferenceMatcher(options);
          for (const tagId of TAGS) {
            const list = tagGoals
              .filter((entry) => entry.tagId === tagId)
              .map((entry) => entry.goal);
            matcher.setGoals(tagId, list);
            reference.setGoals(tagId, list);
          }
          let at = 10 * 24 * 60 * MINUTE;
          for (const [fields, delta] of hits) {
            at = Math.max(0, at + delta);
            const beacon = defined(fields) as UetHit;
            expect(matcher.match(beacon, at)).toEqual(reference.match(beacon, at));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
