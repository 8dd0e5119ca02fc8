import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestFilter } from '../packages/uet-tag/src/replay/requestFilter.js';
import { isBeaconTarget, mayBeBeaconTarget } from '../packages/uet-tag-status/src/index.js';

/** Request targets near the beacon paths: their pieces, joined at random. */
const target = fc
  .array(
    fc.constantFrom(
      '/',
      '//',
      'https://',
      'bat.bing.com',
      '/action',
      '/actionp',
      '/0',
      '/01',
      '?ti=5',
      '#x',
      'a',
      '.html',
    ),
    { maxLength: 6 },
  )
  .map((pieces) => pieces.join(''));

/** A line holding `target` between other text, as an access log holds a request's target. */
const framed = fc.tuple(fc.string({ maxLength: 8 }), target, fc.constantFrom('', '\t', ' ', '"'));

describe('the request filter reads a target in place', () => {
  it('U1 a target the in-place check rules out is never a beacon', () => {
    fc.assert(
      fc.property(framed, ([before, request, after]) => {
        const line = `${before}${request}${after}tail`;
        const start = before.length;
        const end = start + request.length;
        if (!mayBeBeaconTarget(line, start, end)) expect(isBeaconTarget(request)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it('U1 a beacon target in a line is a hit of its tag, and a plain path activity', () => {
    const toOutcome = createRequestFilter({ tagId: 'site' });
    const line = 'GET /action/0?ti=26012345&evt=pageLoad HTTP/1.1';
    const outcome = toOutcome(line, 4, 38, 200, 1_000);
    expect(outcome).toMatchObject({
      kind: 'record',
      record: { kind: 'hit', at: 1_000, hit: { tagId: '26012345' } },
    });
    const plain = toOutcome('GET /index.html HTTP/1.1', 4, 15, 200, 2_000);
    expect(plain).toEqual({
      kind: 'record',
      record: { kind: 'activity', tagId: 'site', at: 2_000 },
    });
  });

  it('G6 with patterns, the target read in place is what they match', () => {
    const toOutcome = createRequestFilter({
      tagId: 'site',
      excludePaths: [/^\/health$/],
      goalPaths: [{ goalId: 'thanks', goalType: 'Url', path: /^\/thanks/ }],
    });
    const line = 'x /health y /thanks.html z';
    expect(toOutcome(line, 2, 9, 200, 1_000)).toEqual({ kind: 'filtered' });
    expect(toOutcome(line, 12, 24, 200, 1_000)).toMatchObject({
      kind: 'record',
      record: { kind: 'conversion', goalId: 'thanks', at: 1_000 },
    });
    expect(toOutcome(line, 25, 26, 200, 1_000)).toMatchObject({ record: { kind: 'activity' } });
  });
});
