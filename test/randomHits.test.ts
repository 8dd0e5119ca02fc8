import fc from 'fast-check';
import { HOUR_MS } from 'uet-tag-status';
import { describe, expect, it } from 'vitest';
import { OutageStream } from '../packages/uet-tag/src/simulation/OutageStream.js';
import { hourlyRates, RandomHits } from '../packages/uet-tag/src/simulation/RandomHits.js';
import { createRandom, type Random } from '../packages/uet-tag/src/simulation/random.js';
import type { TimeInterval, TrafficShape } from '../packages/uet-tag/src/simulation/scenario.js';

/** `RandomHits.next` as it was written first: every draw's gap computed, no hour skipped. */
function plainHits(
  shape: TrafficShape,
  outages: OutageStream,
  random: Random,
  start: number,
  end: number,
): number[] {
  const rates = hourlyRates(shape);
  const hits: number[] = [];
  let time = start;
  let pieceEnd = 0;
  let pieceRate = 0;
  const enterPiece = () => {
    const hourIndex = Math.floor((time + shape.utcOffsetMs) / HOUR_MS);
    pieceEnd = (hourIndex + 1) * HOUR_MS - shape.utcOffsetMs;
    pieceRate = rates[(((hourIndex + 3 * 24) % 168) + 168) % 168] ?? 0;
  };
  enterPiece();
  for (;;) {
    if (time >= outages.to) {
      outages.advance();
      continue;
    }
    if (time >= outages.from) {
      time = outages.to;
      enterPiece();
      continue;
    }
    if (time >= end) return hits;
    const limit = Math.min(pieceEnd, outages.from, end);
    if (pieceRate > 0) {
      const candidate = time - Math.log(1 - random.next()) / pieceRate;
      if (candidate < limit) {
        time = candidate;
        hits.push(Math.floor(candidate));
        continue;
      }
    }
    time = limit;
    if (limit === pieceEnd) enterPiece();
  }
}

const START = Date.UTC(2024, 0, 1);

describe('RandomHits', () => {
  it('draws exactly the hits of the plain gap arithmetic, whole empty hours skipped without it', () => {
    const weight = fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 10, noNaN: true }));
    fc.assert(
      fc.property(
        fc.constantFrom(1e-6, 0.001, 0.04, 0.5, 1, 7, 60, 3_600),
        fc.array(weight, { minLength: 24, maxLength: 24 }),
        fc.array(weight, { minLength: 7, maxLength: 7 }),
        fc.constantFrom(0, -4 * HOUR_MS, 5.5 * HOUR_MS, 12_345, 0.5),
        fc.array(fc.tuple(fc.nat(60 * 24), fc.nat(60 * 48)), { maxLength: 4 }),
        fc.integer(),
        (ratePerHour, daily, weekly, utcOffsetMs, gaps, seed) => {
          const shape: TrafficShape = {
            ratePerHour,
            daily: daily.some((weight) => weight > 0) ? daily : new Array(24).fill(1),
            weekly: weekly.some((weight) => weight > 0) ? weekly : new Array(7).fill(1),
            utcOffsetMs,
          };
          const outages: TimeInterval[] = [];
          let at = START;
          for (const [before, length] of gaps) {
            const from = at + before * 60_000 + 17;
            outages.push({ from, to: from + length * 60_000 + 1 });
            at = from + length * 60_000 + 2;
          }
          const end = START + (ratePerHour >= 60 ? 2 : 60) * 24 * HOUR_MS;
          const stream = () => new OutageStream(outages, undefined, createRandom(1), START, end);
          const hits = new RandomHits(shape, stream(), createRandom(seed), START, end);
          const drawn: number[] = [];
          for (let hit = hits.next(); hit !== Number.POSITIVE_INFINITY; hit = hits.next()) {
            drawn.push(hit);
          }
          expect(drawn).toEqual(plainHits(shape, stream(), createRandom(seed), START, end));
        },
      ),
      { numRuns: 80 },
    );
  });
});
