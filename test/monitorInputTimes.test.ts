import { describe, expect, it } from 'vitest';
import {
  createTagMonitor,
  type MonitorStatusChange,
} from '../packages/uet-tag-status/src/index.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * ApplyOptions.atInputTimes: a recorded backlog applied through a monitor reports what a
 * live monitor would have reported while it happened (SPEC D1, D5), never past the clock.
 */

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2);

function monitorAt(now: number) {
  const clock = simulatedClockAt(now);
  const changes: MonitorStatusChange[] = [];
  const monitor = createTagMonitor({ clock, onStatusChange: (change) => changes.push(change) });
  return { clock, monitor, changes };
}

/** The tag's registration, as an input: it is processed at the monitor's time when it is applied. */
const register = {
  kind: 'registerTag',
  tagId: 'shop',
  goals: [{ goalId: 'buy', goalType: 'Url' }],
} as const;

const tagChanges = (changes: readonly MonitorStatusChange[]) =>
  changes
    .filter((change) => change.kind === 'tag')
    .map((change) => `${change.from}->${change.to}@${(change.effectiveAt - T0) / HOUR}h`);

describe('applying inputs at their own times', () => {
  it('D1 D5 a backlog with a 30-hour gap, applied 100 hours later, reports the lapse at 24 h of silence and the return, as a live monitor would have', () => {
    const { clock, monitor, changes } = monitorAt(T0);
    clock.set(T0 + 100 * HOUR);
    const result = monitor.apply(
      [
        register,
        { kind: 'activity', tagId: 'shop', at: T0 },
        { kind: 'activity', tagId: 'shop', at: T0 + 30 * HOUR },
      ],
      { atInputTimes: true },
    );
    expect(result.rejected).toEqual([]);
    expect(tagChanges(changes)).toEqual([
      'Unverified->Active@0h',
      'Active->Inactive@24h',
      'Inactive->Active@30h',
    ]);
  });

  it('D1 the same backlog applied at the clock reports the current status, and no return to Active in the past', () => {
    const { monitor, changes } = monitorAt(T0 + 100 * HOUR);
    monitor.apply([
      register,
      { kind: 'activity', tagId: 'shop', at: T0 },
      { kind: 'activity', tagId: 'shop', at: T0 + 30 * HOUR },
    ]);
    expect(monitor.status('shop').status).toBe('Inactive');
    expect(tagChanges(changes)).not.toContain('Inactive->Active@30h');
  });

  it('D6 the monitor time never passes the clock: an input ahead of it within the skew is processed at the clock, one beyond it is rejected', () => {
    const { monitor } = monitorAt(T0 + 10 * HOUR);
    monitor.registerTag('shop');
    const result = monitor.apply(
      [
        { kind: 'activity', tagId: 'shop', at: T0 + 10 * HOUR + 1_000 },
        { kind: 'activity', tagId: 'shop', at: T0 + 12 * HOUR },
      ],
      { atInputTimes: true },
    );
    expect(result.rejected.map(({ index, error }) => [index, error.code])).toEqual([
      [1, 'futureTime'],
    ]);
    expect(monitor.now()).toBe(T0 + 10 * HOUR);
  });

  it('D6 older inputs in a backlog are processed at the time already reached, and move nothing back', () => {
    const { clock, monitor, changes } = monitorAt(T0);
    clock.set(T0 + 100 * HOUR);
    monitor.apply(
      [
        register,
        { kind: 'activity', tagId: 'shop', at: T0 + 5 * HOUR },
        { kind: 'activity', tagId: 'shop', at: T0 },
        { kind: 'conversion', tagId: 'shop', goalId: 'buy', at: T0 + 2 * HOUR },
      ],
      { atInputTimes: true },
    );
    expect(monitor.status('shop').goals.map((goal) => goal.status)).toEqual([
      'RecordingConversions',
    ]);
    expect(Math.max(...changes.map((change) => change.noticedAt))).toBe(T0 + 5 * HOUR);
  });
});
