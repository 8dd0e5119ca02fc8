import { describe, expect, it, vi } from 'vitest';
import { stepThroughMachines } from '../packages/uet-tag-status/src/engine/stepThroughMachines.js';
import { createTagMonitor } from '../packages/uet-tag-status/src/index.js';
import { DAY_MS } from '../packages/uet-tag-status/src/windows.js';
import { simulatedClockAt } from './support/testClocks.js';

/*
 * The monitor takes a full machine step once per kind of tag and event (StepMemo), and
 * applies that step to every other tag of the kind: here counted, by a spy on the one
 * function that steps the machines. That the memo's steps equal full ones is proven in
 * stepMemo.test.ts and by the monitor's property tests.
 */
vi.mock('../packages/uet-tag-status/src/engine/stepThroughMachines.js', async (original) => {
  const actual =
    await original<typeof import('../packages/uet-tag-status/src/engine/stepThroughMachines.js')>();
  return { ...actual, stepThroughMachines: vi.fn(actual.stepThroughMachines) };
});

const TAGS = 1_000;
const T0 = Date.UTC(2024, 4, 6);

describe('the monitor steps tags by kind', () => {
  it("R2 R4 R5 1,000 tags' first activity, then their silences and their return, take a few full steps", () => {
    const clock = simulatedClockAt(T0);
    const monitor = createTagMonitor({ clock });
    const tagIds = Array.from({ length: TAGS }, (_, index) => `tag-${index}`);
    for (const tagId of tagIds) monitor.registerTag(tagId);
    const steps = vi.mocked(stepThroughMachines);
    steps.mockClear();
    // Each tag's first data (Unverified to Active), a day of silence (to Inactive), data again.
    monitor.apply(tagIds.map((tagId) => ({ kind: 'activity', tagId, at: T0 })));
    clock.increment(DAY_MS + 1);
    monitor.apply(tagIds.map((tagId) => ({ kind: 'activity', tagId, at: T0 + DAY_MS + 1 })));
    expect(monitor.tagsInStatus('Active')).toHaveLength(TAGS);
    expect(monitor.history('tag-7').map((change) => change.to)).toEqual([
      'Active',
      'Inactive',
      'Active',
    ]);
    expect(steps.mock.calls.length).toBeGreaterThan(0);
    expect(steps.mock.calls.length).toBeLessThan(50);
    monitor.close();
  });
});
