/**
 * A seeded source of uniform random numbers in `[0, 1)`: the same seed always gives the
 * same sequence, on every platform.
 */
export interface Random {
  /** The next number, uniform in `[0, 1)`, with 32 bits of resolution. */
  next(): number;
}

/**
 * A deterministic random source (the sfc32 generator, seeded through splitmix32), so a
 * scenario replays exactly from its seed. Separate streams come from
 * {@link deriveSeed}, so that adding a goal does not change a tag's hits.
 *
 * @example
 * ```ts
 * const random = createRandom(42);
 * random.next(); // the same number on every run
 * ```
 */
export function createRandom(seed: number): Random {
  return new Sfc32(seed);
}

/** The sfc32 generator; its state lives in fields so V8 keeps it in registers. */
class Sfc32 implements Random {
  private a: number;
  private b: number;
  private c: number;
  private counter = 1;

  constructor(seed: number) {
    const mix = splitmix32(seed >>> 0);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    for (let warmUp = 0; warmUp < 12; warmUp++) this.next();
  }

  next(): number {
    const { a, b, c } = this;
    const result = (((a + b) | 0) + this.counter) | 0;
    this.counter = (this.counter + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.c = (rotated + result) | 0;
    return (result >>> 0) / 4_294_967_296;
  }
}

/**
 * A seed for one independent stream, mixed from a base seed and a path of numbers
 * (for example tag index, purpose, goal index).
 *
 * @example
 * ```ts
 * const hits = createRandom(deriveSeed(42, 0, 1));
 * ```
 */
export function deriveSeed(seed: number, ...path: readonly number[]): number {
  let hash = seed >>> 0;
  for (const part of path) hash = splitmix32((hash ^ Math.imul(part + 1, 0x9e3779b9)) >>> 0)();
  return hash;
}

/**
 * An exponentially distributed gap with the given rate (events per unit of time).
 *
 * @example
 * ```ts
 * exponential(random, 1 / 60_000); // ms until the next hit at one a minute
 * ```
 */
export function exponential(random: Random, rate: number): number {
  return -Math.log(1 - random.next()) / rate;
}

/**
 * How many failures come before the first success of trials with probability `p`
 * (a geometric draw): the hits to skip before the next conversion.
 *
 * @example
 * ```ts
 * geometric(random, 0.02); // about 49 on average
 * ```
 */
export function geometric(random: Random, p: number): number {
  if (p >= 1) return 0;
  if (p <= 0) return Number.POSITIVE_INFINITY;
  return Math.floor(Math.log(1 - random.next()) / Math.log(1 - p));
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
