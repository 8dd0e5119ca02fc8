import { describe, expect, it } from 'vitest';
import { createTagMonitor } from '../packages/uet-tag-status/src/index.js';
import { createTagRuntime } from '../packages/uet-tag-status/src/runtime/createTagRuntime.js';
import type { StatusChange } from '../packages/uet-tag-status/src/runtime/statusChange.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * Late facts never make a goal report a status that did not hold (SPEC D1 with G3, G4,
 * D5; decisions 10 and 7): a goal decides at the fact's time but never before its own
 * last decision, and one input's changes hold no status for no time.
 */

const WINDOWS = { activityWindowMs: 2_000, conversionWindowMs: 6_000 };

/** The same inputs through a tag's runtime and through a monitor; both must report alike. */
const ENGINES = {
  runtime: (now: number) => {
    const clock = simulatedClockAt(now);
    const changes: string[] = [];
    const runtime = createTagRuntime({
      tagId: 'shop',
      clock,
      windows: WINDOWS,
      onStatusChange: (change) => changes.push(described(change)),
    });
    return {
      clock,
      changes,
      attach: () => runtime.attachGoal({ goalId: 'buy', goalType: 'Url' }),
      activity: (at: number) => runtime.recordActivity(at),
      conversion: (at: number) => runtime.recordConversion('buy', at),
      lose: () => runtime.loseTagAccess(),
      restore: () => runtime.restoreTagAccess(),
      goal: () => runtime.goalStatus('buy'),
    };
  },
  monitor: (now: number) => {
    const clock = simulatedClockAt(now);
    const changes: string[] = [];
    const monitor = createTagMonitor({
      clock,
      windows: WINDOWS,
      onStatusChange: (change) => changes.push(described(change)),
    });
    monitor.registerTag('shop');
    return {
      clock,
      changes,
      attach: () => monitor.attachGoal('shop', { goalId: 'buy', goalType: 'Url' }),
      activity: (at: number) => monitor.recordActivity('shop', at),
      conversion: (at: number) => monitor.recordConversion('shop', 'buy', at),
      lose: () => monitor.loseTagAccess('shop'),
      restore: () => monitor.restoreTagAccess('shop'),
      goal: () => monitor.status('shop').goals[0]?.status,
    };
  },
};

function described(change: StatusChange): string {
  const subject = change.kind === 'tag' ? 'tag' : change.goalId;
  return `${subject} ${change.from}->${change.to} @${change.effectiveAt}`;
}

describe.each(Object.entries(ENGINES))('late facts (%s)', (_, start) => {
  it('D1 G3 G4 a late activity that revives the tag after access was lost and restored does not revive a conversion that had aged out', () => {
    const tag = start(0);
    tag.attach();
    tag.activity(0);
    tag.conversion(0);
    tag.clock.set(6_800);
    tag.lose();
    tag.restore();
    tag.changes.length = 0;
    tag.activity(5_000);
    // At 6800 the conversion at 0 is 6.8 s old, older than the 6 s window.
    expect(tag.changes).toEqual([
      'tag Inactive->Active @5000',
      'buy TagInactive->NoRecentConversions @6800',
    ]);
    expect(tag.goal()).toBe('NoRecentConversions');
  });

  it('D1 G3 a late conversion is weighed when it happened: recording from then, lapsing a window later', () => {
    const tag = start(0);
    tag.attach();
    for (let at = 0; at <= 9_000; at += 1_500) {
      tag.clock.set(at);
      tag.activity(at);
    }
    tag.changes.length = 0;
    // The tag stayed Active, so the goal last decided at 0; the conversion is 7 s late.
    tag.conversion(2_000);
    expect(tag.changes).toEqual([
      'buy NoRecentConversions->RecordingConversions @2000',
      'buy RecordingConversions->NoRecentConversions @8000',
    ]);
  });

  it("D1 G3 a late conversion older than the goal's last decision is weighed at that decision: it revives nothing", () => {
    const tag = start(0);
    tag.attach();
    tag.activity(0);
    tag.clock.set(8_000);
    tag.activity(8_000);
    tag.changes.length = 0;
    // The goal decided at 2000 (the tag lapsed) and at 8000 (it came back): at 8000 a
    // conversion at 1500 is 6.5 s old.
    tag.conversion(1_500);
    expect(tag.changes).toEqual([]);
    expect(tag.goal()).toBe('NoRecentConversions');
  });

  it("D1 D5 a late activity from before a goal was attached dates the goal's change at its attachment, the tag's at the activity", () => {
    const tag = start(1_000);
    tag.attach();
    tag.clock.set(1_500);
    tag.activity(600);
    expect(tag.changes).toEqual([
      'tag Unverified->Active @600',
      'buy TagUnverified->NoRecentConversions @1000',
    ]);
  });

  it('D1 D5 a goal reports no status that held for no time', () => {
    const tag = start(1_000);
    tag.attach();
    tag.changes.length = 0;
    tag.clock.set(10_000);
    tag.activity(7_000);
    // The tag was Active from 7000 and Inactive from 9000; the goal, attached at 1000,
    // decided at 7000 (no conversion) and at 9000, when the tag lapsed.
    expect(tag.changes).toEqual([
      'tag Unverified->Active @7000',
      'buy TagUnverified->NoRecentConversions @7000',
      'tag Active->Inactive @9000',
      'buy NoRecentConversions->TagInactive @9000',
    ]);
  });
});
