/** What a replay counted of one goal's conversions from hits. */
export interface GoalHitCount {
  readonly goalId: string;
  /** Conversions that hits made (SPEC M7). */
  readonly conversions: number;
  /** Those within the conversion window before the replay's end. */
  readonly recentConversions: number;
  /** The latest of them, UTC epoch ms. */
  readonly lastConversionAt: number | undefined;
}

/** What a replay counted of one tag's hits. */
export interface TagHitCount {
  readonly tagId: string;
  /** Hits of the tag (SPEC U2). */
  readonly hits: number;
  /** Hits within the activity window before the replay's end (`(end - window, end]`). */
  readonly recentHits: number;
  /** The latest hit, UTC epoch ms. */
  readonly lastHitAt: number | undefined;
  /** The goals hits converted, in the order of their first conversion. */
  readonly goals: readonly GoalHitCount[];
}

interface MutableGoalCount {
  goalId: string;
  conversions: number;
  recentConversions: number;
  lastConversionAt: number | undefined;
}

interface MutableTagCount {
  tagId: string;
  hits: number;
  recentHits: number;
  lastHitAt: number | undefined;
  goals: Map<string, MutableGoalCount>;
}

/**
 * Counts the hits of each tag and the conversions they made, and the hits within the
 * activity window before a known end, for reports and reconciliation ("the model saw
 * 1,204 hits in the last 24 hours"). Memory grows with tags and goals, not hits.
 *
 * @example
 * ```ts
 * const tally = new HitTally((at) => at > end - DAY, (at) => at > end - 7 * DAY);
 * tally.hit('26012345', at, ['46001001']);
 * tally.counts(); // [{ tagId: '26012345', hits: 1, recentHits: 1, goals: [...] }]
 * ```
 */
export class HitTally {
  private readonly tags = new Map<string, MutableTagCount>();

  /**
   * @param isRecentHit - whether a hit at this time counts as recent (within the last
   *   activity window).
   * @param isRecentConversion - whether a conversion at this time counts as recent
   *   (within the last conversion window).
   */
  constructor(
    private readonly isRecentHit: (at: number) => boolean = () => false,
    private readonly isRecentConversion: (at: number) => boolean = () => false,
  ) {}

  /** Counts a hit of `tagId` at `at` and the goals it converted. */
  hit(tagId: string, at: number, converted: readonly string[]): void {
    let tag = this.tags.get(tagId);
    if (tag === undefined) {
      tag = { tagId, hits: 0, recentHits: 0, lastHitAt: undefined, goals: new Map() };
      this.tags.set(tagId, tag);
    }
    tag.hits++;
    if (this.isRecentHit(at)) tag.recentHits++;
    tag.lastHitAt = Math.max(tag.lastHitAt ?? at, at);
    for (const goalId of converted) {
      let goal = tag.goals.get(goalId);
      if (goal === undefined) {
        goal = { goalId, conversions: 0, recentConversions: 0, lastConversionAt: undefined };
        tag.goals.set(goalId, goal);
      }
      goal.conversions++;
      if (this.isRecentConversion(at)) goal.recentConversions++;
      goal.lastConversionAt = Math.max(goal.lastConversionAt ?? at, at);
    }
  }

  /** The counts, tags in the order of their first hit. */
  counts(): TagHitCount[] {
    return [...this.tags.values()].map((tag) => ({ ...tag, goals: [...tag.goals.values()] }));
  }
}
