import { isoTime } from 'uet-tag-status';
import type { ReplayReport, RunsReport, TimelineJson } from '../records/reportSchemas.js';
import type { ReplayResult } from '../replay/replayFile.js';
import type { RunsResult } from '../simulation/simulateRuns.js';
import type { SubjectTimeline } from '../timelines/timeline.js';

/*
 * The `--json` reports, version 1, built to the shapes of `records/reportSchemas.ts` (the
 * definitions of the shipped JSON Schemas). Every time is given as epoch ms and as ISO
 * 8601; status changes are the one change record.
 */

/**
 * Timelines as plain JSON.
 *
 * @example
 * ```ts
 * JSON.stringify(timelinesJson(result.timelines));
 * ```
 */
export function timelinesJson(timelines: readonly SubjectTimeline[]): TimelineJson[] {
  return timelines.map((timeline) => ({
    tagId: timeline.tagId,
    ...(timeline.goalId === undefined
      ? {}
      : { goalId: timeline.goalId, goalType: timeline.goalType }),
    changes: timeline.changes,
    timeInStatus: timeline.timeInStatus,
    intervals: timeline.intervals.map((interval) => ({
      status: interval.status,
      from: interval.from,
      fromTime: isoTime(interval.from),
      to: interval.to,
      toTime: isoTime(interval.to),
      durationMs: interval.to - interval.from,
    })),
  }));
}

/**
 * `uet-tag replay --json`.
 *
 * @example
 * ```ts
 * io.stdout.write(JSON.stringify(replayReport(await replayFile(path)), null, 2));
 * ```
 */
export function replayReport(result: ReplayResult): ReplayReport {
  const { statistics } = result;
  return {
    schema: 'replay-report.v1',
    source: result.source,
    format: result.format ?? null,
    ...horizonJson(result),
    statistics: {
      lines: statistics.lines,
      records: statistics.records,
      filtered: statistics.filtered,
      malformed: statistics.malformed,
      malformedLines: [...statistics.malformedLines],
      late: statistics.late,
      afterUntil: statistics.afterUntil,
      firstAt: statistics.firstAt ?? null,
      firstTime: statistics.firstAt === undefined ? null : isoTime(statistics.firstAt),
      lastAt: statistics.lastAt ?? null,
      lastTime: statistics.lastAt === undefined ? null : isoTime(statistics.lastAt),
    },
    hits: result.hits.map((tag) => ({
      tagId: tag.tagId,
      hits: tag.hits,
      recentHits: tag.recentHits,
      lastHitAt: tag.lastHitAt ?? null,
      goals: tag.goals.map((goal) => ({
        ...goal,
        lastConversionAt: goal.lastConversionAt ?? null,
      })),
    })),
    timelines: timelinesJson(result.timelines),
    changes: changesJson(result),
  };
}

/**
 * `uet-tag simulate --runs <n> --json`.
 *
 * @example
 * ```ts
 * io.stdout.write(JSON.stringify(runsReport(simulateRuns(scenario, 100)), null, 2));
 * ```
 */
export function runsReport(runs: RunsResult): RunsReport {
  return {
    schema: 'runs-report.v1',
    name: runs.name,
    start: runs.start,
    startTime: isoTime(runs.start),
    end: runs.end,
    endTime: isoTime(runs.end),
    seeds: [...runs.seeds],
    subjects: runs.subjects.map((subject) => ({
      tagId: subject.tagId,
      ...(subject.goalId === undefined
        ? {}
        : { goalId: subject.goalId, goalType: subject.goalType }),
      timeInStatus: subject.timeInStatus,
      changes: subject.changes,
    })),
  };
}

function horizonJson(result: ReplayResult) {
  return {
    start: result.start,
    startTime: isoTime(result.start),
    end: result.end,
    endTime: isoTime(result.end),
    windows: result.windows,
  };
}

/** The changes: each one prints as the JSON of the one change record. */
function changesJson(result: ReplayResult): ReplayReport['changes'] {
  return [...result.changes];
}
