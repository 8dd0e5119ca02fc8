import type { StepTemplate } from './stepTemplate.js';

/**
 * How many kinds that followed a kind are remembered on it, the latest first: a tag's
 * steps go round a few kinds (activity on an inactive tag, its silence, activity again),
 * so the kind of a step is mostly one that followed the kind of the step before, and is
 * found by checking the tag's times against it, without ranking them.
 */
const SUCCESSORS = 8;

/**
 * One kind of tag and event, as `StepMemo` tells kinds apart, with what a step does to it
 * (or `undefined`: full steps), and the kinds that followed it.
 */
export interface Kind {
  readonly event: number;
  /** The event's type, whose code is `event`. */
  readonly eventType: string;
  readonly target: number;
  /** The type of the goal the event attaches (`undefined` for other events). */
  readonly attachedType: string | undefined;
  readonly status: string;
  readonly tagAvailable: boolean;
  readonly goalTypes: readonly string[];
  readonly goalStatuses: readonly string[];
  readonly ranks: Int32Array;
  /** Its defined times' indices, earliest first, and 1 by position for a tie (see `TimeRanks.follows`). */
  readonly order: Int32Array;
  readonly ties: Uint8Array;
  readonly template: StepTemplate | undefined;
  /** Kinds stepped right after this one, the latest first (at most {@link SUCCESSORS}). */
  readonly successors: Kind[];
}

/** Remembers that `next` was stepped right after `kind`, as the first of its successors. */
export function followedBy(kind: Kind, next: Kind): void {
  const { successors } = kind;
  if (successors[0] === next) return;
  // Moved to the front by hand: `splice` and `unshift` are calls into the runtime.
  let index = successors.indexOf(next);
  if (index < 0) {
    // A new one: in a new last place, or in the place of the oldest when full.
    if (successors.length < SUCCESSORS) successors.push(next);
    index = successors.length - 1;
  }
  for (; index > 0; index--) successors[index] = successors[index - 1] as Kind;
  successors[0] = next;
}
