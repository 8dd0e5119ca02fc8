interface Clicks {
  /** Click times, ascending. */
  readonly times: number[];
  /** When the newest click is forgotten. */
  expiresAt: number;
}

/**
 * The ad clicks of many visitors (SPEC M6), in bounded memory: each click is kept for
 * `keepMs` (the longest conversion window of the visitor's tag) after its own time, as
 * read on the caller's clock `now`, the latest hit time seen.
 *
 * Visitors live in a `Map` in the order of their latest click; each new click moves the
 * visitor to the end, and {@link ClickTracker.sweep}, which the owner calls once per hit,
 * forgets from the front the visitors whose newest click has expired.
 *
 * @example
 * ```ts
 * const clicks = new ClickTracker();
 * clicks.record('tag\u0000visitor', 1_000, 43_200 * 60_000, 1_000);
 * clicks.latestUpTo('tag\u0000visitor', 5_000, 43_200 * 60_000, 5_000); // 1000
 * ```
 */
export class ClickTracker {
  private readonly visitors = new Map<string, Clicks>();

  /** Records a click at `at` for the visitor `key`. */
  record(key: string, at: number, keepMs: number, now: number): void {
    let clicks = this.visitors.get(key);
    if (clicks === undefined) {
      clicks = { times: [], expiresAt: 0 };
    } else {
      const { times } = clicks;
      let expired = 0;
      while (expired < times.length && (times[expired] as number) + keepMs <= now) expired++;
      if (expired > 0) times.splice(0, expired);
      this.visitors.delete(key);
    }
    const { times } = clicks;
    let position = times.length;
    while (position > 0 && (times[position - 1] as number) > at) position--;
    if (times[position - 1] !== at) times.splice(position, 0, at);
    clicks.expiresAt = (times[times.length - 1] as number) + keepMs;
    this.visitors.set(key, clicks);
  }

  /**
   * The latest click of the visitor dated `upTo` or before and still remembered at `now`
   * (its time plus `keepMs` after `now`); `undefined` if there is none.
   */
  latestUpTo(key: string, upTo: number, keepMs: number, now: number): number | undefined {
    const times = this.visitors.get(key)?.times;
    if (times === undefined) return undefined;
    for (let i = times.length - 1; i >= 0; i--) {
      const at = times[i] as number;
      if (at <= upTo) return at + keepMs > now ? at : undefined;
    }
    return undefined;
  }

  /** Forgets the visitors at the front of the map whose clicks have all expired. */
  sweep(now: number): void {
    for (const [key, clicks] of this.visitors) {
      if (clicks.expiresAt > now) return;
      this.visitors.delete(key);
    }
  }

  /** Forgets every visitor whose clicks have all expired and returns how many are left; O(visitors kept). */
  countKept(now: number): number {
    for (const [key, clicks] of this.visitors)
      if (clicks.expiresAt <= now) this.visitors.delete(key);
    return this.visitors.size;
  }

  /** Forgets the visitors whose key starts with `prefix`; O(visitors kept). */
  forgetPrefix(prefix: string): void {
    for (const key of this.visitors.keys()) if (key.startsWith(prefix)) this.visitors.delete(key);
  }
}
