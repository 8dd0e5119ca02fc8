import type { ConversionGoalType, GoalDefinition, TrackingWindows } from 'uet-tag-status';
import type { VisitModel } from './visitModel.js';

/** A half-open interval of time `[from, to)`, UTC epoch ms. */
export interface TimeInterval {
  readonly from: number;
  readonly to: number;
}

/** A random arrival process of hits: a mean rate shaped by hour of day and day of week. */
export interface TrafficShape {
  /** Mean hits per hour over a week, before outages. */
  readonly ratePerHour: number;
  /** Relative weight of each local hour of the day, 0 to 23 (24 values). */
  readonly daily: readonly number[];
  /** Relative weight of each local day of the week, Monday to Sunday (7 values). */
  readonly weekly: readonly number[];
  /** The local time's offset from UTC for the shapes, ms (for example −4 h for EDT). */
  readonly utcOffsetMs: number;
}

/** Random outages: starts arrive at a mean rate, each lasts between two durations. */
export interface RandomOutages {
  /** Mean outages per week. */
  readonly perWeek: number;
  /** The shortest outage, ms. */
  readonly minDurationMs: number;
  /** The longest outage, ms. */
  readonly maxDurationMs: number;
}

/** A conversion goal of a simulated tag, with its conversions. */
export interface GoalScenario {
  /** The goal's id, unique within its tag. */
  readonly id: string;
  /** The goal's type (SPEC G1, G5). */
  readonly type: ConversionGoalType;
  /** When the goal is attached to the tag. */
  readonly attachedAt: number;
  /** Explicit conversion times, sorted. */
  readonly conversions: readonly number[];
  /** The probability that a random hit of the tag also converts for this goal. */
  readonly conversionRate: number;
  /** Mean conversions per hour of an independent process (tagless goal types only). */
  readonly conversionsPerHour: number;
  /** Intervals in which no random conversion happens, sorted, not overlapping. */
  readonly outages: readonly TimeInterval[];
}

/** A tag's access being lost or restored (SPEC G4). */
export interface AccessChange {
  readonly at: number;
  readonly available: boolean;
}

/** One simulated tag: its traffic, outages, access and goals. */
export interface TagScenario {
  /** The tag's id. */
  readonly id: string;
  /** When the tag code was put on the site: no random hit before it. */
  readonly installedAt: number;
  /** Explicit hit times, sorted. */
  readonly hits: readonly number[];
  /** The random traffic, if any. */
  readonly traffic: TrafficShape | undefined;
  /** Intervals with no random traffic, sorted, not overlapping. */
  readonly outages: readonly TimeInterval[];
  /** Random outages added to {@link TagScenario.outages}, if any. */
  readonly randomOutages: RandomOutages | undefined;
  /** Access lost and restored, in time order, alternating, starting with a loss. */
  readonly access: readonly AccessChange[];
  /** The goals, in the order they are listed (those of `conversionGoals` last). */
  readonly goals: readonly GoalScenario[];
  /**
   * With visits: what each visit does; the random traffic's times are when visits begin,
   * and every hit is matched against {@link TagScenario.definitions} (SPEC M1–M7).
   */
  readonly visits?: VisitModel;
  /** The definitions of the goals given in the API's shape (`conversionGoals`), in order. */
  readonly definitions?: readonly GoalDefinition[];
}

/** A validated scenario, every time resolved to UTC epoch ms. */
export interface Scenario {
  /** A short name, printed with the results. */
  readonly name: string;
  /** What the scenario shows. */
  readonly description: string | undefined;
  /** The horizon's start: every tag exists from here, `Unverified` (SPEC R1). */
  readonly start: number;
  /** The horizon's end: hits are drawn before it; statuses are reported up to it. */
  readonly end: number;
  /** The seed of every random draw. */
  readonly seed: number;
  /** The windows (SPEC T2). */
  readonly windows: TrackingWindows;
  /** The tags, in the order they are listed. */
  readonly tags: readonly TagScenario[];
}
