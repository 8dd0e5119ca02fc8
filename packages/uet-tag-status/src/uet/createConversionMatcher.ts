import { TrackingInputError } from '../TrackingInputError.js';
import { assertEpochMs, assertId } from '../validation.js';
import { ClickTracker } from './ClickTracker.js';
import { compileTagGoals, type TagGoals } from './compileTagGoals.js';
import { checkGoalDefinition, type GoalDefinition } from './goalDefinition.js';
import { isAdClick } from './isAdClick.js';
import { firstAbove } from './sortedSearch.js';
import type { UetHit } from './UetHit.js';
import { type VisitProgress, VisitTracker } from './VisitTracker.js';

/** How long a visit lasts without a hit by default: the UET session cookie's 30 minutes (SPEC M5). */
export const DEFAULT_VISIT_TIMEOUT_MS = 30 * 60_000;

/**
 * Options of {@link createConversionMatcher}.
 *
 * @example
 * ```ts
 * const options: ConversionMatcherOptions = { attribution: 'click', visitTimeoutMs: 15 * 60_000 };
 * ```
 */
export interface ConversionMatcherOptions {
  /**
   * `none`: every match converts. `click`: a match converts only if the same visitor made
   * an ad click within the goal's conversion window before it (SPEC M6).
   * @default 'none'
   */
  readonly attribution?: 'none' | 'click';
  /**
   * How long a visit stays open after its latest hit, in ms (SPEC M5).
   * @default 1_800_000 (30 minutes, {@link DEFAULT_VISIT_TIMEOUT_MS})
   */
  readonly visitTimeoutMs?: number;
}

/**
 * Tells which conversion goals each UET hit converts (SPEC M1–M6), for many tags at once.
 * Create one with {@link createConversionMatcher}.
 *
 * @example
 * ```ts
 * const matcher: ConversionMatcher = createConversionMatcher();
 * matcher.setGoals('5', goals);
 * for (const goalId of matcher.match(hit, receivedAt)) recordConversion(goalId, receivedAt);
 * ```
 */
export interface ConversionMatcher {
  /**
   * Replaces a tag's goals (attachment order kept); compiles their index. Deleted goals
   * are dropped; Paused goals never convert (A2). The tag's open visits and remembered
   * clicks are kept. Validates every goal first and changes nothing if one is refused.
   *
   * @throws {@link TrackingInputError} for a bad tag id, a goal `checkGoalDefinition`
   * refuses (field `goals[i]…`), or two goals with one id (`duplicateGoal`).
   */
  setGoals(tagId: string, goals: readonly GoalDefinition[]): void;
  /** Forgets a tag: its goals, its open visits and its visitors' clicks. */
  removeTag(tagId: string): void;
  /**
   * The goals of hit.tagId that this hit converts, at time `at` (UTC epoch ms), in
   * attachment order. Updates visit and click state.
   *
   * @throws {@link TrackingInputError} `invalidTime` when `at` is not epoch milliseconds.
   */
  match(hit: UetHit, at: number): readonly string[];
  /** How many visits are open (bounded memory: only open visits are kept). O(visits kept). */
  readonly openVisits: number;
  /** How many visitors have ad clicks remembered (`click` attribution only). O(visitors kept). */
  readonly visitorsWithClicks: number;
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Creates a {@link ConversionMatcher}: the goal matching of SPEC M1–M6, indexed so that a
 * hit costs about the same with one goal on its tag as with a thousand.
 *
 * - M3: a `Url` goal converts on a `pageLoad` hit whose `pageUrl` matches.
 * - M4: an `Event` goal converts on a `custom` hit meeting all its conditions.
 * - M5: visits are the hits of one tag and one visitor (`visitorId`), each less than
 *   `visitTimeoutMs` after the visit's latest; a new `sessionId` opens a new visit; a hit
 *   without a visitor id is a visit on its own. A `Duration` goal converts once per visit,
 *   on the first hit (of any kind) at which the visit has lasted its minimum since its
 *   first hit; a `PagesViewedPerVisit` goal once per visit, on the `pageLoad` that brings
 *   the visit's page count to its minimum (every `pageLoad` counts as a page). State is
 *   kept only for tags with such goals, from the time they were set; how hits that
 *   arrive out of order are placed is described at `VisitTracker`.
 * - M6, `click` attribution: a match converts only if the visitor's latest ad click at or
 *   before the hit (the hit itself included, `isAdClick`) lies within the goal's
 *   conversion window before it: `at - click < window`. A hit without a visitor id can be
 *   credited only by its own click. Clicks are kept per tag and visitor for the tag's
 *   longest window after them, by the matcher's clock (the latest hit time seen), and
 *   only for tags with goals; a click forgotten that way credits nothing even for a hit
 *   that arrives late. Whether a visit goal reached its minimum is decided once, credited
 *   or not.
 * - A2: `Paused` goals never convert and `Deleted` goals are dropped.
 * - M7 is the caller's business: every hit is also activity of its tag, and each goal id
 *   returned is a conversion dated `at`.
 *
 * @example
 * ```ts
 * const matcher = createConversionMatcher({ attribution: 'click' });
 * matcher.setGoals('5', [{ goalId: 'thanks', goalType: 'Url', url: { operator: 'Contains', expression: '/thanks' } }]);
 * matcher.match(parseBeacon('/action/0?ti=5&evt=pageLoad&vid=v&p=https%3A%2F%2Fcontoso.com%2F%3Fmsclkid%3Dab'), 0); // []
 * matcher.match(parseBeacon('/action/0?ti=5&evt=pageLoad&vid=v&p=https%3A%2F%2Fcontoso.com%2Fthanks'), 60_000); // ['thanks']
 * ```
 * @throws {@link TrackingInputError} `invalidOption` for an unknown attribution or a
 * timeout that is not a positive integer of ms.
 */
export function createConversionMatcher(options: ConversionMatcherOptions = {}): ConversionMatcher {
  const attribution = options.attribution ?? 'none';
  const timeoutMs = options.visitTimeoutMs ?? DEFAULT_VISIT_TIMEOUT_MS;
  if (attribution !== 'none' && attribution !== 'click') {
    throw new TrackingInputError('invalidOption', 'attribution', attribution, "'none' or 'click'");
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new TrackingInputError(
      'invalidOption',
      'visitTimeoutMs',
      timeoutMs,
      'a positive integer of ms',
    );
  }
  const byClick = attribution === 'click';
  const tags = new Map<string, TagGoals>();
  const visits = new VisitTracker(timeoutMs);
  const clicks = new ClickTracker();
  const found: number[] = [];
  const lone = { lastedBefore: -1, lasted: 0, pages: 0 };
  let now = 0;

  function collectVisitGoals(
    goals: TagGoals,
    hit: UetHit,
    key: string | undefined,
    at: number,
  ): void {
    const isPage = hit.eventType === 'pageLoad';
    let progress: VisitProgress | undefined;
    if (key === undefined) {
      lone.pages = isPage ? 1 : 0;
      progress = lone;
    } else {
      progress = visits.observe(key, hit.sessionId, at, now, isPage);
    }
    if (progress === undefined) return;
    const thresholds = goals.durationThresholdsMs;
    for (let i = firstAbove(thresholds, progress.lastedBefore); i < thresholds.length; i++) {
      if ((thresholds[i] as number) > progress.lasted) break;
      found.push(goals.durationGoals[i] as number);
    }
    if (isPage) {
      const converted = goals.pageGoals.get(progress.pages);
      if (converted !== undefined) for (const goal of converted) found.push(goal);
    }
  }

  /** Keeps in `found` the goals an ad click credits (SPEC M6). */
  function keepCredited(goals: TagGoals, hit: UetHit, key: string | undefined, at: number): void {
    const clicked = isAdClick(hit);
    const keepMs = goals.keepClicksMs;
    let clickAt: number | undefined;
    if (key === undefined) {
      clickAt = clicked && at + keepMs > now ? at : undefined;
    } else {
      if (clicked) clicks.record(key, at, keepMs, now);
      if (found.length > 0) clickAt = clicks.latestUpTo(key, at, keepMs, now);
    }
    let kept = 0;
    for (const goal of found) {
      if (clickAt !== undefined && at - clickAt < (goals.windowsMs[goal] as number))
        found[kept++] = goal;
    }
    found.length = kept;
  }

  return {
    setGoals(tagId, goals) {
      assertId('tagId', tagId);
      if (!Array.isArray(goals)) {
        throw new TrackingInputError(
          'invalidGoalDefinition',
          'goals',
          goals,
          'an array of goal definitions',
        );
      }
      const checked = goals.map((goal, index) => checkGoalDefinition(`goals[${index}]`, goal));
      const seen = new Set<string>();
      checked.forEach(({ goalId }, index) => {
        if (seen.has(goalId)) {
          throw new TrackingInputError(
            'duplicateGoal',
            `goals[${index}].goalId`,
            goalId,
            'an id no other goal of the tag has',
          );
        }
        seen.add(goalId);
      });
      tags.set(tagId, compileTagGoals(checked));
    },

    removeTag(tagId) {
      tags.delete(tagId);
      visits.forgetPrefix(`${tagId}\u0000`);
      clicks.forgetPrefix(`${tagId}\u0000`);
    },

    match(hit, at) {
      assertEpochMs('at', at);
      if (at > now) now = at;
      visits.sweep(now);
      if (byClick) clicks.sweep(now);
      const goals = tags.get(hit.tagId);
      if (goals === undefined) return NONE;
      found.length = 0;
      if (hit.eventType === 'pageLoad') {
        if (goals.url !== undefined && hit.pageUrl !== undefined)
          goals.url.collect(hit.pageUrl, found);
      } else if (hit.eventType === 'custom' && goals.event !== undefined) {
        goals.event.collect(hit, found);
      }
      const key = hit.visitorId === undefined ? undefined : `${hit.tagId}\u0000${hit.visitorId}`;
      if (goals.hasVisitGoals) collectVisitGoals(goals, hit, key, at);
      if (byClick) keepCredited(goals, hit, key, at);
      if (found.length === 0) return NONE;
      if (found.length > 1) found.sort((a, b) => a - b);
      return found.map((goal) => goals.goalIds[goal] as string);
    },

    get openVisits() {
      return visits.countOpen(now);
    },

    get visitorsWithClicks() {
      return clicks.countKept(now);
    },
  };
}
