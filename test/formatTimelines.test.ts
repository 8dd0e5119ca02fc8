import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTimelines, table } from '../packages/uet-tag/src/cli/formatTimelines.js';
import { percent } from '../packages/uet-tag/src/cli/timelineText.js';
import { loadScenario, parseScenario } from '../packages/uet-tag/src/simulation/loadScenario.js';
import { simulateScenario } from '../packages/uet-tag/src/simulation/simulateScenario.js';
import { formatDuration, formatTime } from '../packages/uet-tag/src/time.js';
import type {
  SubjectTimeline,
  TrackingStatus,
} from '../packages/uet-tag/src/timelines/timeline.js';
import { subjectLabel } from '../packages/uet-tag/src/timelines/timeline.js';
import { scenarioArbitrary, scenarioFile } from './support/randomScenario.js';

/*
 * The text report writes each timeline's rows as bytes (`writeTimelineText`); it must lay
 * out exactly what the general `table` lays out.
 */

/** A timeline's text as first written: every cell formatted, laid out by `table`. */
function byTable(timeline: SubjectTimeline): string {
  const what = timeline.goalId === undefined ? 'tag' : `${timeline.goalType} goal`;
  const changes = `${timeline.changes} status ${timeline.changes === 1 ? 'change' : 'changes'}`;
  const rows = timeline.intervals.map((interval) => [
    formatTime(interval.from),
    formatTime(interval.to),
    interval.status,
    formatDuration(interval.to - interval.from, 3),
  ]);
  const first = timeline.intervals[0];
  const last = timeline.intervals.at(-1);
  const span = first && last ? last.to - first.from : 0;
  const inStatus = (Object.entries(timeline.timeInStatus) as [TrackingStatus, number][])
    .sort(([, a], [, b]) => b - a)
    .map(([status, ms]) => `${status} ${formatDuration(ms, 3)} (${percent(ms, span)})`)
    .join(', ');
  return [
    `${subjectLabel(timeline)} (${what}): ${changes}`,
    ...table(['from', 'to', 'status', 'duration'], rows).map((line) => `  ${line}`),
    `  time in status: ${inStatus}`,
    '',
  ].join('\n');
}

const byTables = (timelines: readonly SubjectTimeline[]) => timelines.map(byTable).join('\n');

describe('formatTimelines', () => {
  for (const example of ['examples/fortnight.yaml', 'examples/lowTrafficFlapping.yaml']) {
    it(`${example}: the text is the table layout of every interval`, async () => {
      const { timelines } = simulateScenario(await loadScenario(example));
      expect(timelines.length).toBeGreaterThan(1);
      expect(formatTimelines(timelines)).toBe(byTables(timelines));
    });
  }

  it('random scenarios: the text is the table layout of every interval', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (shape) => {
        const scenario = parseScenario(JSON.stringify(scenarioFile(shape)), 'json');
        const { timelines } = simulateScenario(scenario);
        expect(formatTimelines(timelines)).toBe(byTables(timelines));
      }),
      { numRuns: 60, seed: 14 },
    );
  });

  it('hand-made timelines: widths from times with and without ms, before 1970 and after 9999, zero-length and unordered intervals, non-ASCII ids', () => {
    const timelines: SubjectTimeline[] = [
      {
        tagId: 'a "tag"',
        changes: 3,
        timeInStatus: { Unverified: 1_500, Active: 0, Inactive: 86_400_000 },
        intervals: [
          { status: 'Unverified', from: 0, to: 1_500 },
          { status: 'Active', from: 1_500, to: 1_500 },
          { status: 'Inactive', from: 1_000, to: 86_401_000 },
        ],
      },
      {
        tagId: 't',
        goalId: 'g',
        goalType: 'Url',
        changes: 0,
        timeInStatus: { TagInactive: 0 },
        intervals: [{ status: 'TagInactive', from: 5, to: 5 }],
      },
      {
        tagId: 'tâg ✓',
        changes: 1,
        timeInStatus: { Active: 10, Inactive: 20 },
        intervals: [
          // Before 1970 and from year 10000 on, times are written by Date#toISOString.
          { status: 'Active', from: -86_400_001, to: 253_402_300_800_000 },
          { status: 'Inactive', from: 253_402_300_800_000, to: 253_402_300_800_123 },
        ],
      },
    ];
    expect(formatTimelines(timelines)).toBe(byTables(timelines));
  });
});
