/**
 * Where a visit stands after a hit: what Duration and PagesViewedPerVisit goals test.
 * A goal with threshold `t` is reached by this hit when `lastedBefore < t <= lasted`.
 *
 * @example
 * ```ts
 * const progress: VisitProgress = { lastedBefore: 50_000, lasted: 70_000, pages: 3 }; // a 60 s goal converts
 * ```
 */
export interface VisitProgress {
  /** How long the visit had lasted before this hit, in ms; -1 when the hit opened it. */
  readonly lastedBefore: number;
  /** How long it has lasted with this hit: from its earliest hit to its latest, in ms. */
  readonly lasted: number;
  /** Pages viewed in the visit so far, this hit included. */
  readonly pages: number;
}

interface Visit {
  firstAt: number;
  lastAt: number;
  sessionId: string | undefined;
  pages: number;
}

/**
 * The open visits of many visitors (SPEC M5), in bounded memory. A visit is keyed by
 * tag and visitor; it stays open while each hit comes less than `timeoutMs` after the
 * visit's latest hit; a `sessionId` different from the visit's opens a new visit, while a
 * hit without one never does.
 *
 * Time is the caller's clock `now`, the latest hit time seen. A visit whose latest hit is
 * `timeoutMs` or more before `now` is closed: it is forgotten, and no hit can join it. A
 * hit dated before the visit's latest one (hits arrive a little out of order) joins it
 * all the same, and moves its start back if it is earlier; how long a visit has lasted is
 * therefore never negative and never decreases. A hit that cannot join an open visit and
 * is itself `timeoutMs` or more before `now`, or that is dated before the latest hit of a
 * visit with another session, belonged to a visit already closed: it gets no progress.
 *
 * Visits live in a `Map` in the order of their latest update; each update moves a visit
 * to the end, and {@link VisitTracker.sweep}, which the owner calls once per hit, forgets
 * closed visits from the front. A visit is thus forgotten at the latest `timeoutMs` after
 * its last update, even when a late hit delayed the sweep.
 *
 * @example
 * ```ts
 * const visits = new VisitTracker(30 * 60_000);
 * visits.observe('tag\u0000visitor', 'session', 0, 0, true); // { lastedBefore: -1, lasted: 0, pages: 1 }
 * visits.observe('tag\u0000visitor', 'session', 60_000, 60_000, true); // { lastedBefore: 0, lasted: 60000, pages: 2 }
 * ```
 */
export class VisitTracker {
  private readonly visits = new Map<string, Visit>();
  private readonly progress = { lastedBefore: -1, lasted: 0, pages: 0 };

  constructor(private readonly timeoutMs: number) {}

  /**
   * Adds a hit to its visit, opening one if needed, and returns where the visit stands
   * (an object reused by the next call), or `undefined` for a hit of a visit already closed.
   *
   * @param isPage - whether the hit is a page view (a `pageLoad`).
   */
  observe(
    key: string,
    sessionId: string | undefined,
    at: number,
    now: number,
    isPage: boolean,
  ): VisitProgress | undefined {
    let visit = this.visits.get(key);
    if (visit !== undefined && visit.lastAt + this.timeoutMs <= now) {
      this.visits.delete(key);
      visit = undefined;
    }
    if (visit !== undefined) {
      const otherSession =
        sessionId !== undefined && visit.sessionId !== undefined && sessionId !== visit.sessionId;
      if (otherSession ? at < visit.lastAt : at <= visit.firstAt - this.timeoutMs) return undefined;
      if (otherSession) visit = undefined;
    }
    const progress = this.progress;
    if (visit === undefined) {
      if (at + this.timeoutMs <= now) return undefined;
      visit = { firstAt: at, lastAt: at, sessionId, pages: 0 };
      progress.lastedBefore = -1;
    } else {
      progress.lastedBefore = visit.lastAt - visit.firstAt;
      if (at < visit.firstAt) visit.firstAt = at;
      if (at > visit.lastAt) visit.lastAt = at;
      visit.sessionId ??= sessionId;
    }
    this.visits.delete(key);
    this.visits.set(key, visit);
    if (isPage) visit.pages++;
    progress.lasted = visit.lastAt - visit.firstAt;
    progress.pages = visit.pages;
    return progress;
  }

  /** Forgets the closed visits at the front of the map. */
  sweep(now: number): void {
    for (const [key, visit] of this.visits) {
      if (visit.lastAt + this.timeoutMs > now) return;
      this.visits.delete(key);
    }
  }

  /** Forgets every closed visit and returns how many are open at `now`; O(visits kept). */
  countOpen(now: number): number {
    for (const [key, visit] of this.visits) {
      if (visit.lastAt + this.timeoutMs <= now) this.visits.delete(key);
    }
    return this.visits.size;
  }

  /** Forgets the visits whose key starts with `prefix`; O(visits kept). */
  forgetPrefix(prefix: string): void {
    for (const key of this.visits.keys()) if (key.startsWith(prefix)) this.visits.delete(key);
  }
}
