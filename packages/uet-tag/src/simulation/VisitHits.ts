import type { UetHit } from 'uet-tag-status';
import type { RandomHits } from './RandomHits.js';
import { exponential, geometric, type Random } from './random.js';
import type { VisitModel, WeightedPage } from './visitModel.js';

/** A hit of a visit not yet handed out. */
interface PendingHit {
  readonly at: number;
  /** Breaks ties in the order the hits were made. */
  readonly order: number;
  readonly hit: UetHit;
}

/**
 * A tag's hits as visits make them (SPEC M5): each time the tag's traffic draws (a
 * `RandomHits`) starts a visit, by a new visitor, on a landing page; the visit then views
 * further pages (a geometric number, mean `pagesPerVisit`), an exponential time apart, and
 * each page view may send custom events. A share of visits land from an ad click (the
 * landing page's URL carries `msclkid`, SPEC M6). Hits are handed out in time order, one
 * at a time; only the hits of visits still under way are held.
 *
 * @example
 * ```ts
 * const hits = new VisitHits('26012345', model, visitStarts, random);
 * for (let at = hits.next(); at !== Infinity; at = hits.next()) matcher.match(hits.current, at);
 * ```
 */
export class VisitHits {
  /** The hit last handed out by {@link VisitHits.next}. */
  current: UetHit;
  private readonly heap: PendingHit[] = [];
  private nextStart: number;
  private visits = 0;
  private order = 0;

  constructor(
    private readonly tagId: string,
    private readonly model: VisitModel,
    private readonly starts: RandomHits,
    private readonly random: Random,
    private readonly end: number,
  ) {
    this.current = { tagId, eventType: 'pageLoad' };
    this.nextStart = starts.next();
  }

  /** The next hit's time (integer ms), its hit in {@link VisitHits.current}; `Infinity` after the end. */
  next(): number {
    while (
      this.nextStart !== Number.POSITIVE_INFINITY &&
      (this.heap.length === 0 || this.nextStart <= (this.heap[0] as PendingHit).at)
    ) {
      this.startVisit(this.nextStart);
      this.nextStart = this.starts.next();
    }
    const first = this.pop();
    if (first === undefined) return Number.POSITIVE_INFINITY;
    this.current = first.hit;
    return first.at;
  }

  private startVisit(start: number): void {
    const { model, random } = this;
    this.visits++;
    const visitorId = `v${this.visits}`;
    const sessionId = `s${this.visits}`;
    const clicked = random.next() < model.adClickShare;
    const clickId = clicked ? `c${this.visits}` : undefined;
    const pages = model.pages.length === 0 ? 1 : 1 + geometric(random, 1 / model.pagesPerVisit);
    let at = start;
    for (let index = 0; index < pages && at < this.end; index++) {
      const chosen = pick(index === 0 ? model.landingPages : model.pages, random);
      const pageUrl =
        index === 0 && clickId !== undefined
          ? `${chosen}${chosen.includes('?') ? '&' : '?'}msclkid=${clickId}`
          : chosen;
      const base = { tagId: this.tagId, pageUrl, visitorId, sessionId };
      const click = clickId === undefined ? {} : { clickId: `${clickId}-${index === 0 ? 1 : 0}` };
      this.push(at, { ...base, ...click, eventType: 'pageLoad' });
      for (const event of model.events) {
        if (random.next() >= event.probability) continue;
        at += Math.floor(exponential(random, 1 / model.msPerPage) / 4);
        const value =
          event.value === undefined
            ? {}
            : {
                eventValue:
                  Math.round(
                    (event.value.min + random.next() * (event.value.max - event.value.min)) * 100,
                  ) / 100,
              };
        this.push(at, {
          ...base,
          ...click,
          eventType: 'custom',
          eventAction: event.action,
          ...(event.category === undefined ? {} : { eventCategory: event.category }),
          ...(event.label === undefined ? {} : { eventLabel: event.label }),
          ...value,
        });
      }
      at += Math.max(1, Math.floor(exponential(random, 1 / model.msPerPage)));
    }
  }

  private push(at: number, hit: UetHit): void {
    if (at >= this.end) return;
    const heap = this.heap;
    const item = { at, order: this.order++, hit };
    heap.push(item);
    for (let index = heap.length - 1; index > 0; ) {
      const parent = (index - 1) >> 1;
      if (!before(item, heap[parent] as PendingHit)) break;
      heap[index] = heap[parent] as PendingHit;
      heap[parent] = item;
      index = parent;
    }
  }

  private pop(): PendingHit | undefined {
    const heap = this.heap;
    const first = heap[0];
    const last = heap.pop();
    if (first === undefined || last === undefined || heap.length === 0) return first;
    heap[0] = last;
    for (let index = 0; ; ) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < heap.length && before(heap[left] as PendingHit, heap[smallest] as PendingHit))
        smallest = left;
      if (right < heap.length && before(heap[right] as PendingHit, heap[smallest] as PendingHit))
        smallest = right;
      if (smallest === index) break;
      const swap = heap[index] as PendingHit;
      heap[index] = heap[smallest] as PendingHit;
      heap[smallest] = swap;
      index = smallest;
    }
    return first;
  }
}

function before(a: PendingHit, b: PendingHit): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

function pick(pages: readonly WeightedPage[], random: Random): string {
  let total = 0;
  for (const page of pages) total += page.weight;
  let draw = random.next() * total;
  for (const page of pages) {
    draw -= page.weight;
    if (draw < 0) return page.url;
  }
  return (pages.at(-1) as WeightedPage).url;
}
