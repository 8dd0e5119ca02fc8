import type { RunsResult, Spread } from '../simulation/simulateRuns.js';
import { formatDuration, formatTime } from '../time.js';
import { subjectLabel } from '../timelines/timeline.js';
import { table } from './formatTimelines.js';
import { percent } from './timelineText.js';

/**
 * The text report of many runs: per tag and goal, the mean, 5th, 50th and 95th
 * percentiles of the time in each status (with the mean's share of the horizon) and of
 * the number of status changes.
 *
 * @example
 * ```ts
 * io.stdout.write(formatRuns(simulateRuns(scenario, 100)));
 * ```
 */
export function formatRuns(result: RunsResult): string {
  const horizon = result.end - result.start;
  const first = result.seeds[0];
  const last = result.seeds.at(-1);
  const lines = [
    `${result.name}: ${result.seeds.length} runs (seeds ${first} to ${last}), ${formatTime(result.start)} to ${formatTime(result.end)} (${formatDuration(horizon, 3)})`,
    '',
  ];
  for (const subject of result.subjects) {
    const what = subject.goalId === undefined ? 'tag' : `${subject.goalType} goal`;
    const rows = Object.entries(subject.timeInStatus).map(([status, spread]) =>
      durationRow(status, spread as Spread, horizon),
    );
    rows.push(countRow('status changes', subject.changes));
    lines.push(`${subjectLabel(subject)} (${what})`);
    lines.push(...table(['', 'mean', 'p5', 'p50', 'p95'], rows).map((line) => `  ${line}`));
    lines.push('');
  }
  return lines.join('\n');
}

function durationRow(status: string, spread: Spread, horizon: number): string[] {
  const cell = (ms: number) => formatDuration(ms, 2);
  return [
    status,
    `${cell(spread.mean)} (${percent(spread.mean, horizon)})`,
    cell(spread.p5),
    cell(spread.p50),
    cell(spread.p95),
  ];
}

function countRow(label: string, spread: Spread): string[] {
  const cell = (value: number) => {
    const rounded = value.toFixed(1);
    return rounded.endsWith('.0') ? rounded.slice(0, -2) : rounded;
  };
  return [label, cell(spread.mean), cell(spread.p5), cell(spread.p50), cell(spread.p95)];
}
