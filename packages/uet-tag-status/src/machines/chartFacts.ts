import { getInitialSnapshot, getNextTransitions } from 'xstate';
import type { ConversionGoalTrackingStatus } from '../valueSets/conversionGoalTrackingStatus.js';
import { UetTagTrackingStatus } from '../valueSets/uetTagTrackingStatus.js';
import { goalMachine } from './goalMachine.js';
import { LAPSES } from './stateTags.js';
import { tagMachine } from './tagMachine.js';

/*
 * Facts about the charts that the engine, the monitor and the simulators need, read off
 * the machines, so that no other code restates them: the cheap ones from the charts'
 * state nodes when this module loads, the ones that need a machine step on first use (a
 * command that never steps a tag, such as a monitor started on empty input, never pays
 * for them).
 */

/**
 * The status a new tag starts in: the tag machine's initial state (SPEC R1).
 *
 * @example
 * ```ts
 * INITIAL_TAG_STATUS; // 'Unverified'
 * ```
 */
export const INITIAL_TAG_STATUS = initialStateOf(tagMachine.root) as UetTagTrackingStatus;

const lapsingTagStatuses = statusesTagged(tagMachine.states);
const lapsingGoalStatuses = statusesTagged(goalMachine.states);

/**
 * Whether a tag in `status` lapses by itself when its activity window runs out without
 * data (SPEC R4): the tag machine's states tagged `lapses`.
 *
 * @example
 * ```ts
 * tagStatusLapses('Active'); // true
 * tagStatusLapses('Inactive'); // false
 * ```
 */
export function tagStatusLapses(status: UetTagTrackingStatus): boolean {
  return isAmong(lapsingTagStatuses, status);
}

/**
 * Whether a goal in `status` lapses by itself when its conversion window runs out with
 * no conversion (SPEC G3): the goal machine's states tagged `lapses`.
 *
 * @example
 * ```ts
 * goalStatusLapses('RecordingConversions'); // true
 * ```
 */
export function goalStatusLapses(status: ConversionGoalTrackingStatus): boolean {
  return isAmong(lapsingGoalStatuses, status);
}

let statusesKeptByActivity: readonly UetTagTrackingStatus[] | undefined;

function readStatusesKeptByActivity(): readonly UetTagTrackingStatus[] {
  const { context } = getInitialSnapshot(tagMachine, {});
  return Object.values(UetTagTrackingStatus).filter((status) => {
    const snapshot = tagMachine.resolveState({ value: status, context });
    const transitions = getNextTransitions(snapshot).filter(
      (transition) => transition.eventType === 'tag.dataReceived',
    );
    const [only] = transitions;
    return (
      transitions.length === 1 &&
      only !== undefined &&
      only.guard === undefined &&
      (only.target === undefined || only.target.length === 0) &&
      only.actions.length === 1 &&
      only.actions[0] === 'recordActivity'
    );
  });
}

/**
 * Whether activity for a tag in `status` changes nothing but its data times: the tag
 * machine handles `tag.dataReceived` in that state by one unguarded transition without a
 * target (so no state is entered and no goal is told) whose only action is
 * `recordActivity` (SPEC R3). True for `Active`. Callers that apply such activity without
 * a machine step move the data times with `earliestReceived` and `latestReceived`, as
 * `recordActivity` does, and only when nothing is due (a silence due first would change
 * the status).
 *
 * @example
 * ```ts
 * activityKeepsStatus('Active'); // true
 * activityKeepsStatus('Inactive'); // false: activity makes the tag Active (R5)
 * ```
 */
export function activityKeepsStatus(status: UetTagTrackingStatus): boolean {
  statusesKeptByActivity ??= readStatusesKeptByActivity();
  return isAmong(statusesKeptByActivity, status);
}

/** The key of the state a chart's node enters first: its `initial` target. */
function initialStateOf(node: {
  readonly initial: { readonly target: readonly { readonly key: string }[] };
}): string {
  const [first] = node.initial.target;
  if (first === undefined) throw new Error(`the chart has no initial state`);
  return first.key;
}

function statusesTagged<TStatus extends string>(
  states: Record<string, { readonly tags: readonly string[] }>,
): readonly TStatus[] {
  return Object.entries(states)
    .filter(([, node]) => node.tags.includes(LAPSES))
    .map(([status]) => status as TStatus);
}

/**
 * Whether `status` is one of `statuses`: a scan of a few strings, which the hot paths
 * (every hit and silence) take faster than a `Set`'s hash lookup.
 */
function isAmong<TStatus extends string>(statuses: readonly TStatus[], status: TStatus): boolean {
  for (let index = 0; index < statuses.length; index++) {
    if (statuses[index] === status) return true;
  }
  return false;
}
