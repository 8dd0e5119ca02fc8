/** A page a visit can view, with its weight among the others of its list. */
export interface WeightedPage {
  /** The page's URL, as the tag would send it in `p`. */
  readonly url: string;
  /** Its weight (relative; the list's weights need not sum to 1). */
  readonly weight: number;
}

/** A custom event a page view may send, with its probability. */
export interface VisitEvent {
  readonly action: string;
  readonly category?: string;
  readonly label?: string;
  /** The event value: fixed, or drawn uniformly from `[min, max]` (two decimals). */
  readonly value?: { readonly min: number; readonly max: number };
  /** The chance, from 0 to 1, that a page view sends it. */
  readonly probability: number;
}

/**
 * How a scenario tag's visits look (the tag's `traffic` says when visits begin): the
 * landing page and the further pages with their weights, how many pages and how long
 * between them, the events pages send, and the share of visits that come from an ad click.
 */
export interface VisitModel {
  readonly landingPages: readonly WeightedPage[];
  /** Further pages; a visit views only its landing page when empty. */
  readonly pages: readonly WeightedPage[];
  /** The mean number of pages a visit views (at least 1; geometric). */
  readonly pagesPerVisit: number;
  /** The mean time between two hits of a visit, ms (exponential). */
  readonly msPerPage: number;
  readonly events: readonly VisitEvent[];
  /** The share of visits, from 0 to 1, that land from an ad click (`msclkid`, SPEC M6). */
  readonly adClickShare: number;
}
