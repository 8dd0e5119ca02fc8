import { HOUR_MS } from 'uet-tag-status';
import type { OutageStream } from './OutageStream.js';
import type { Random } from './random.js';
import type { TrafficShape } from './scenario.js';

const HOURS_PER_WEEK = 168;
/** 1970-01-01 was a Thursday: day 3 of a week that starts on Monday. */
const EPOCH_WEEKDAY = 3;

/**
 * A tag's random hits, one at a time in time order: a Poisson process whose rate is
 * constant within each local hour (the mean rate times the hour's daily weight and the
 * day's weekly weight, both normalised to a mean of 1), with no hits during outages.
 * Gaps are drawn exactly per piece (memoryless restarts at each hour and outage
 * boundary), so no hit is materialised ahead of time.
 *
 * @example
 * ```ts
 * const hits = new RandomHits(shape, outages, random, start, end);
 * for (let at = hits.next(); at !== Infinity; at = hits.next()) count++;
 * ```
 */
export class RandomHits {
  private readonly ratesPerMs: Float64Array;
  /** Per hour of the week, {@link missFrom} of its rate. */
  private readonly missesFrom: Float64Array;
  private readonly offset: number;
  private time: number;
  private pieceEnd = 0;
  private pieceRate = 0;
  /** The start of the piece when it is a whole hour of integer times, else `NaN`. */
  private hourStart = Number.NaN;
  /** {@link missFrom} of the piece's rate. */
  private pieceMissFrom = 1;
  /** The piece's hour of the week, Monday 00:00 local time first. */
  private hourOfWeek = 0;

  constructor(
    shape: TrafficShape,
    private readonly outages: OutageStream,
    private readonly random: Random,
    start: number,
    private readonly end: number,
  ) {
    this.ratesPerMs = hourlyRates(shape);
    this.missesFrom = this.ratesPerMs.map(missFrom);
    this.time = start;
    this.offset = shape.utcOffsetMs;
    this.enterPiece();
  }

  /** The next hit's time (integer ms), or `Infinity` after the horizon's end. */
  next(): number {
    const outages = this.outages;
    for (;;) {
      if (this.time >= outages.to) {
        outages.advance();
        continue;
      }
      if (this.time >= outages.from) {
        this.time = outages.to;
        this.enterPiece();
        continue;
      }
      if (this.time >= this.end) return Number.POSITIVE_INFINITY;
      const limit = Math.min(this.pieceEnd, outages.from, this.end);
      if (this.pieceRate > 0) {
        const draw = this.random.next();
        // A draw that surely gives a gap of an hour or more, over a whole hour: no hit in
        // it, as the gap's arithmetic below would find, without its logarithm.
        const missed =
          draw >= this.pieceMissFrom && this.time === this.hourStart && limit === this.pieceEnd;
        if (missed) {
          const hit = this.skipEmptyHours(Math.min(outages.from, this.end));
          if (hit !== undefined) return hit;
          continue;
        }
        const candidate = this.time - Math.log(1 - draw) / this.pieceRate;
        if (candidate < limit) {
          this.time = candidate;
          return Math.floor(candidate);
        }
      }
      this.time = limit;
      if (limit === this.pieceEnd) this.enterPiece();
    }
  }

  /**
   * After a whole hour without a hit, what {@link RandomHits.next} would do hour by hour
   * (the same draws, one per hour of positive rate), kept to the whole hours that end by
   * `stop` (the next outage or the end) and without entering each piece: the hit of the
   * first hour that has one, or `undefined` with the clock at the first hour not skipped.
   */
  private skipEmptyHours(stop: number): number | undefined {
    const { ratesPerMs, missesFrom, random } = this;
    const safeStop = Math.min(stop, Number.MAX_SAFE_INTEGER);
    let start = this.pieceEnd;
    let hourOfWeek = this.hourOfWeek;
    for (; start + HOUR_MS <= safeStop; start += HOUR_MS) {
      hourOfWeek = hourOfWeek === HOURS_PER_WEEK - 1 ? 0 : hourOfWeek + 1;
      const rate = ratesPerMs[hourOfWeek] as number;
      if (!(rate > 0)) continue;
      const draw = random.next();
      if (draw >= (missesFrom[hourOfWeek] as number)) continue;
      const candidate = start - Math.log(1 - draw) / rate;
      if (candidate < start + HOUR_MS) {
        this.time = start;
        this.enterPiece();
        this.time = candidate;
        return Math.floor(candidate);
      }
    }
    this.time = start;
    this.enterPiece();
    return undefined;
  }

  private enterPiece(): void {
    const local = this.time + this.offset;
    const hourIndex = Math.floor(local / HOUR_MS);
    this.pieceEnd = (hourIndex + 1) * HOUR_MS - this.offset;
    const hourOfWeek =
      (((hourIndex + EPOCH_WEEKDAY * 24) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
    this.hourOfWeek = hourOfWeek;
    this.pieceRate = this.ratesPerMs[hourOfWeek] ?? 0;
    this.pieceMissFrom = this.missesFrom[hourOfWeek] ?? 1;
    this.hourStart = Number.isSafeInteger(this.pieceEnd) ? this.pieceEnd - HOUR_MS : Number.NaN;
  }
}

/** Draws are multiples of this (32 bits of resolution, see `Random`). */
const DRAW_STEP = 2 ** -32;
/**
 * How many steps of draws above the exact threshold a draw must be to count as surely
 * missing: far beyond any rounding in the logarithm, which is monotone to within an ulp.
 */
const MISS_MARGIN = 4_096;
/** {@link missFrom} by rate, shared by every tag of a run. */
const MISSES_FROM = new Map<number, number>();
/**
 * The most rates {@link MISSES_FROM} keeps: past it, it starts again, so that scenarios of
 * ever new rates (a tag's own rate times each hour's weight) keep memory flat.
 */
const MAX_REMEMBERED_RATES = 4_096;

/**
 * The draw from which a gap drawn at `ratePerMs` (as `RandomHits.next` draws it) is at
 * least an hour, with a margin: the smallest such draw found by bisection over the
 * draws, plus {@link MISS_MARGIN} steps (1 or more: none). A draw at or above it over a
 * whole hour of integer times `[t, t + 1 h)` gives a candidate `t + gap` of `t + 1 h` or
 * later (rounding is monotone and `t + 1 h` is exact), so no hit in that hour.
 */
function missFrom(ratePerMs: number): number {
  if (!(ratePerMs > 0)) return 1;
  let from = MISSES_FROM.get(ratePerMs);
  if (from !== undefined) return from;
  let low = 0;
  let high = 2 ** 32;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (-Math.log(1 - middle * DRAW_STEP) / ratePerMs >= HOUR_MS) high = middle;
    else low = middle + 1;
  }
  from = Math.min(1, (low + MISS_MARGIN) * DRAW_STEP);
  if (MISSES_FROM.size >= MAX_REMEMBERED_RATES) MISSES_FROM.clear();
  MISSES_FROM.set(ratePerMs, from);
  return from;
}

/**
 * The highest rate a traffic shape may reach in its busiest hour: 1,000 hits per ms
 * (3.6 billion per hour). Hit times are integer ms on a double-precision clock; far beyond
 * this the gaps drawn become too small to move the clock, and a simulation would not end.
 */
export const MAX_HITS_PER_MS = 1000;

/**
 * The rate in hits per ms of a shape's busiest hour of the week (its mean rate times the
 * hour's normalised daily and weekly weights); `NaN` or `Infinity` when weights overflow.
 *
 * @example
 * ```ts
 * peakHitsPerMs(shape) <= MAX_HITS_PER_MS; // the shape can be simulated
 * ```
 */
export function peakHitsPerMs(shape: TrafficShape): number {
  let peak = 0;
  for (const rate of hourlyRates(shape)) {
    if (!(rate <= peak)) peak = rate;
  }
  return peak;
}

/**
 * The rate per ms of each hour of the week, Monday 00:00 first, mean = ratePerHour.
 *
 * @example
 * ```ts
 * hourlyRates(shape)[0]; // hits per ms on Mondays from 00:00 to 01:00, local time
 * ```
 */
export function hourlyRates(shape: TrafficShape): Float64Array {
  const dailyMean = mean(shape.daily);
  const weeklyMean = mean(shape.weekly);
  const rates = new Float64Array(HOURS_PER_WEEK);
  for (let hour = 0; hour < HOURS_PER_WEEK; hour++) {
    const daily = (shape.daily[hour % 24] ?? 0) / dailyMean;
    const weekly = (shape.weekly[Math.floor(hour / 24)] ?? 0) / weeklyMean;
    rates[hour] = (shape.ratePerHour / HOUR_MS) * daily * weekly;
  }
  return rates;
}

/** The mean of non-negative weights, scaled by the largest so that no sum overflows (1e308 weights). */
function mean(values: readonly number[]): number {
  let largest = 0;
  for (const value of values) if (value > largest) largest = value;
  if (largest === 0) return 0;
  let sum = 0;
  for (const value of values) sum += value / largest;
  return (sum / values.length) * largest;
}
