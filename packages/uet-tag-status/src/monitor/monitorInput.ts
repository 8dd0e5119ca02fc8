import type { GoalStatusChange, TagStatusChange } from '../runtime/statusChange.js';
import type { TrackingInputError } from '../TrackingInputError.js';
import type { GoalDefinition } from '../uet/goalDefinition.js';
import type { UetHit } from '../uet/UetHit.js';
import type { ConversionGoalType } from '../valueSets/conversionGoalType.js';

/**
 * When an input that takes effect at the monitor's time was made, UTC epoch ms (optional).
 * The monitor checks it (SPEC D3, D4) and applies the input when it receives it (registering,
 * removing, attaching, detaching, access changes are not replayed from history); a replay
 * of the same records places the input at this time.
 */
interface StampedOptionally {
  readonly at?: number;
}

/** Registers a tag (SPEC R1), optionally with goals. */
export interface RegisterTagInput extends StampedOptionally {
  readonly kind: 'registerTag';
  readonly tagId: string;
  /** Goals attached at once, in this order (as {@link AttachGoalInput} attaches them). */
  readonly goals?: readonly GoalDefinition[];
  /**
   * Whether the account has access to the tag (SPEC G4).
   * @default true
   */
  readonly tagAvailable?: boolean;
}

/** Removes a tag with its goals and history. */
export interface RemoveTagInput extends StampedOptionally {
  readonly kind: 'removeTag';
  readonly tagId: string;
}

/**
 * Attaches a conversion goal to a tag. A goal given with its definition (`url`, `event`,
 * `minimumDurationSeconds`, `minimumPagesViewed`, `status`, `conversionWindowMinutes`) is
 * checked whole and matched against the tag's hits ({@link HitInput}); a goal whose
 * `status` is `Deleted` is not attached, and detaches the goal of its id if there is one
 * (SPEC A2).
 */
export interface AttachGoalInput extends GoalDefinition, StampedOptionally {
  readonly kind: 'attachGoal';
  readonly tagId: string;
}

/** Detaches a conversion goal from a tag. */
export interface DetachGoalInput extends StampedOptionally {
  readonly kind: 'detachGoal';
  readonly tagId: string;
  readonly goalId: string;
}

/** Activity data received from a tag at `at` (SPEC R2, R3, R5, T3). */
export interface ActivityInput {
  readonly kind: 'activity';
  readonly tagId: string;
  /** When the data was received, UTC epoch ms. */
  readonly at: number;
}

/** A conversion recorded for a goal at `at` (SPEC G3; through the tag it is activity too, G6). */
export interface ConversionInput {
  readonly kind: 'conversion';
  readonly tagId: string;
  readonly goalId: string;
  /** When the conversion was received, UTC epoch ms. */
  readonly at: number;
  /**
   * The goal's type, where the record declares it: with `autoRegister`, a conversion of a
   * goal not attached yet attaches it with this type first.
   */
  readonly goalType?: ConversionGoalType;
}

/**
 * A UET hit received at `at` (SPEC U1–U5, M1–M7): activity of the tag it names (U2), and
 * a conversion, dated `at`, of every goal of that tag whose definition it matches (M7);
 * one input, so the statuses it changes are reported as one step (decision 17).
 *
 * @example
 * ```ts
 * monitor.apply([
 *   { kind: 'hit', at: Date.now(), hit: '/action/0?ti=5&evt=pageLoad&p=https%3A%2F%2Fcontoso.com%2Fthanks' },
 *   { kind: 'hit', at: Date.now(), hit: { tagId: '5', eventType: 'custom', eventAction: 'purchase', eventValue: 30 } },
 * ]);
 * ```
 */
export interface HitInput {
  readonly kind: 'hit';
  /** When the hit was received, UTC epoch ms (SPEC T3, U5). */
  readonly at: number;
  /**
   * The hit: its fields ({@link UetHit}), or the beacon as sent, a request target or URL
   * (`/action/0?ti=…`, `https://bat.bing.com/action/0?…`) or its raw query string
   * (`ti=…&evt=…`), read as `parseBeacon` and `parseBeaconQuery` read them.
   */
  readonly hit: UetHit | string;
}

/** The account lost or regained access to a tag (SPEC G4), at the monitor's time. */
export interface AccessInput extends StampedOptionally {
  readonly kind: 'accessLost' | 'accessRestored';
  readonly tagId: string;
}

/** Any input a monitor accepts, one at a time or in a batch. */
export type MonitorInput =
  | RegisterTagInput
  | RemoveTagInput
  | AttachGoalInput
  | DetachGoalInput
  | ActivityInput
  | ConversionInput
  | HitInput
  | AccessInput;

/**
 * Every `kind` of {@link MonitorInput}.
 *
 * @example
 * ```ts
 * if (!MONITOR_INPUT_KINDS.includes(line.kind)) console.error(`unknown kind ${line.kind}`);
 * ```
 */
export const MONITOR_INPUT_KINDS: readonly MonitorInput['kind'][] = [
  'registerTag',
  'removeTag',
  'attachGoal',
  'detachGoal',
  'activity',
  'conversion',
  'hit',
  'accessLost',
  'accessRestored',
];

/** A reported status change, with its sequence number in the monitor's history. */
export type MonitorStatusChange = (TagStatusChange | GoalStatusChange) & {
  /** Unique and increasing in the order changes are reported, across restarts too. */
  readonly seq: number;
};

/** Receives each status change once it is durable. */
export type MonitorChangeListener = (change: MonitorStatusChange) => void;

/** An input of a batch that was rejected, and why; the batch's other inputs were applied. */
export interface RejectedInput {
  /** The input's position in the batch. */
  readonly index: number;
  readonly error: TrackingInputError;
}

/** What one batch did. */
export interface BatchResult {
  /** How many inputs were applied. */
  readonly applied: number;
  /** The inputs that were rejected, by increasing index. */
  readonly rejected: readonly RejectedInput[];
  /** The status changes the batch caused (silences that fell due included), in order. */
  readonly changes: readonly MonitorStatusChange[];
}
