import { DAY_MS } from 'uet-tag-status';
import { exponential, type Random } from './random.js';
import type { RandomOutages, TimeInterval } from './scenario.js';

const WEEK_MS = 7 * DAY_MS;

/**
 * A tag's outages in time order, lazily: the explicit ones merged with random ones
 * (starts at a mean rate per week, each lasting a uniform duration between two bounds),
 * overlapping ones joined. Holds one interval at a time, so a year of outages costs
 * nothing up front.
 *
 * @example
 * ```ts
 * const outages = new OutageStream([{ from: 10, to: 20 }], undefined, random, 0, 100);
 * outages.from; // 10
 * outages.advance();
 * outages.from; // Infinity: no more outages
 * ```
 */
export class OutageStream {
  /** The start of the current outage; `Infinity` when there are no more. */
  from = Number.POSITIVE_INFINITY;
  /** The end of the current outage (exclusive). */
  to = Number.POSITIVE_INFINITY;
  private explicitIndex = 0;
  private randomFrom = Number.POSITIVE_INFINITY;
  private randomTo = Number.POSITIVE_INFINITY;
  private readonly ratePerMs: number;

  constructor(
    private readonly explicit: readonly TimeInterval[],
    private readonly random: RandomOutages | undefined,
    private readonly draw: Random,
    start: number,
    private readonly end: number,
  ) {
    this.ratePerMs = random === undefined ? 0 : random.perWeek / WEEK_MS;
    if (random !== undefined) this.drawRandom(start);
    this.advance();
  }

  /** Moves to the next outage, joining every one that overlaps it. */
  advance(): void {
    const first = this.take();
    if (first === undefined) {
      this.from = Number.POSITIVE_INFINITY;
      this.to = Number.POSITIVE_INFINITY;
      return;
    }
    const { from } = first;
    let { to } = first;
    while (Math.min(this.nextExplicitFrom(), this.randomFrom) <= to) {
      const next = this.take();
      if (next === undefined) break;
      to = Math.max(to, next.to);
    }
    this.from = from;
    this.to = to;
  }

  private nextExplicitFrom(): number {
    return this.explicit[this.explicitIndex]?.from ?? Number.POSITIVE_INFINITY;
  }

  private take(): TimeInterval | undefined {
    const explicitFrom = this.nextExplicitFrom();
    if (explicitFrom === Number.POSITIVE_INFINITY && this.randomFrom === Number.POSITIVE_INFINITY) {
      return undefined;
    }
    if (explicitFrom <= this.randomFrom) {
      return this.explicit[this.explicitIndex++];
    }
    const interval = { from: this.randomFrom, to: this.randomTo };
    this.drawRandom(this.randomFrom);
    return interval;
  }

  private drawRandom(after: number): void {
    const random = this.random;
    if (random === undefined) return;
    const from = Math.floor(after + exponential(this.draw, this.ratePerMs));
    if (from >= this.end) {
      this.randomFrom = Number.POSITIVE_INFINITY;
      this.randomTo = Number.POSITIVE_INFINITY;
      return;
    }
    const span = random.maxDurationMs - random.minDurationMs;
    this.randomFrom = from;
    this.randomTo = from + random.minDurationMs + Math.floor(this.draw.next() * (span + 1));
  }
}
