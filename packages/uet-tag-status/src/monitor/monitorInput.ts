import type { GoalStatusChange, TagStatusChange } from '../runtime/statusChange.js';
import type { TrackingInputError } from '../TrackingInputError.js';
import type { GoalDefinition } from '../uet/goalDefinition.js';
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
  /** Goals attached at once, in this order. */
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

/** Attaches a conversion goal to a tag. */
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
