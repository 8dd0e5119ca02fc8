import { activityKeepsStatus } from '../machines/chartFacts.js';
import { earliestReceived, latestReceived } from '../machines/receivedTimes.js';
import type { TagEvent } from '../machines/types.js';
import type { TagFacts } from './tagFacts.js';

/**
 * Applies an input that cannot change any status without a machine step, and says
 * whether it did: activity for a tag whose status the tag machine keeps on activity
 * (`activityKeepsStatus`, read off the chart: `Active`). It only moves the tag's data
 * times, exactly as the machine's `recordActivity` action would. Everything else, and
 * every conversion, takes a full machine step.
 *
 * Precondition: every silence due by `event.now` was already applied, so the status
 * holds at `event.now`. Tests compare this path with full machine steps on randomized
 * histories.
 *
 * @example
 * ```ts
 * if (!applyFastPath(facts, event)) changes = stepThroughMachines(facts, event, windows);
 * ```
 */
export function applyFastPath(facts: TagFacts, event: TagEvent): boolean {
  return event.type === 'tag.dataReceived' && applyActivityFastPath(facts, event.at);
}

/** The facts that activity on the fast path reads and moves. */
export type ActivityFacts = Pick<TagFacts, 'status' | 'firstDataAt' | 'lastDataAt'>;

/**
 * `applyFastPath` for activity, on just the facts it needs: activity at `at` for a
 * tag whose status it keeps only moves the tag's data times. Says whether it applied the
 * activity (same precondition).
 *
 * @example
 * ```ts
 * const facts = { status: 'Active' as const, firstDataAt: 10, lastDataAt: 20 };
 * applyActivityFastPath(facts, 30); // true; facts.lastDataAt is 30
 * ```
 */
export function applyActivityFastPath(facts: ActivityFacts, at: number): boolean {
  if (!activityKeepsStatus(facts.status)) return false;
  facts.firstDataAt = earliestReceived(facts.firstDataAt, at);
  facts.lastDataAt = latestReceived(facts.lastDataAt, at);
  return true;
}
