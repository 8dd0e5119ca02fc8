import { goalStatusLapses, tagStatusLapses } from '../machines/chartFacts.js';
import type { TagEvent } from '../machines/types.js';
import { windowEndOf } from '../machines/windowArithmetic.js';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import type { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import type { TrackingWindows } from '../windows.js';

/** What {@link nextSilence} reads: a tag's status and latest times, and its goals'. */
export interface SilenceSource {
  readonly status: UetTagTrackingStatus;
  readonly lastDataAt: number | undefined;
  readonly goals: Iterable<{
    readonly goalId: string;
    readonly status: ConversionGoalTrackingStatus;
    readonly lastConversionAt: number | undefined;
  }>;
}

/** A silence that falls due at `at`, as the machine event that reports it. */
export interface DueSilence {
  /** The silence's effective time. */
  readonly at: number;
  /** `tag.silenceElapsed` or `goal.conversionWindowElapsed`. */
  readonly event: TagEvent;
}

/**
 * The effective time of {@link nextSilence}'s silence, without building it (nothing is
 * allocated): `Infinity` when no silence can change a status.
 *
 * @example
 * ```ts
 * const at = nextSilenceAt(facts, DEFAULT_WINDOWS); // e.g. lastDataAt + 24 h for an Active tag
 * ```
 */
export function nextSilenceAt(source: SilenceSource, windows: TrackingWindows): number {
  let next = Number.POSITIVE_INFINITY;
  if (tagStatusLapses(source.status) && source.lastDataAt !== undefined) {
    next = windowEndOf(source.lastDataAt, windows.activityWindowMs);
  }
  for (const goal of source.goals) {
    if (!goalStatusLapses(goal.status) || goal.lastConversionAt === undefined) continue;
    const at = windowEndOf(goal.lastConversionAt, windows.conversionWindowMs);
    if (at < next) next = at;
  }
  return next;
}

/**
 * The earliest silence that can change a status: the activity window of a tag in a
 * status that lapses running out (SPEC R4), or the conversion window of a goal in a
 * status that lapses (G3); which statuses lapse is read off the machines (their `lapses`
 * state tag). On equal times the tag's silence comes first, then goals in attachment order.
 *
 * @example
 * ```ts
 * const due = nextSilence(facts, DEFAULT_WINDOWS);
 * if (due && due.at <= now) stepTag(facts, due.event, DEFAULT_WINDOWS);
 * ```
 */
export function nextSilence(
  source: SilenceSource,
  windows: TrackingWindows,
): DueSilence | undefined {
  const at = nextSilenceAt(source, windows);
  if (at === Number.POSITIVE_INFINITY) return undefined;
  return { at, event: silenceEventAt(source, windows, at) };
}

/**
 * The event of the silence due at `at`, as {@link nextSilenceAt} gives it: the tag's own
 * if it falls due then, else the first goal's (in attachment order) that does. For a
 * caller that has the time already, without {@link nextSilence}'s record around it.
 *
 * @example
 * ```ts
 * const at = nextSilenceAt(facts, DEFAULT_WINDOWS);
 * if (at <= now) stepTag(facts, silenceEventAt(facts, DEFAULT_WINDOWS, at), DEFAULT_WINDOWS);
 * ```
 */
export function silenceEventAt(
  source: SilenceSource,
  windows: TrackingWindows,
  at: number,
): TagEvent {
  if (isTagSilenceAt(source, windows, at)) return { type: 'tag.silenceElapsed', at };
  for (const goal of source.goals) {
    if (!goalStatusLapses(goal.status) || goal.lastConversionAt === undefined) continue;
    if (windowEndOf(goal.lastConversionAt, windows.conversionWindowMs) !== at) continue;
    return { type: 'goal.conversionWindowElapsed', goalId: goal.goalId, at };
  }
  throw new Error(`internal: no silence due at ${at}`);
}

/**
 * Whether the silence due at `at` (as {@link nextSilenceAt} gives it) is the tag's own
 * (`tag.silenceElapsed`, which comes first on equal times), not a goal's.
 *
 * @example
 * ```ts
 * isTagSilenceAt(facts, DEFAULT_WINDOWS, nextSilenceAt(facts, DEFAULT_WINDOWS));
 * ```
 */
export function isTagSilenceAt(
  source: SilenceSource,
  windows: TrackingWindows,
  at: number,
): boolean {
  return (
    tagStatusLapses(source.status) &&
    source.lastDataAt !== undefined &&
    windowEndOf(source.lastDataAt, windows.activityWindowMs) === at
  );
}
