import {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  MAX_TIME_MS,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import { z } from 'zod';

/*
 * The shapes of what the commands print: the status-change record (the JSON of the core's
 * one change record) and each `--json` report, version 1. These are the definitions the
 * shipped JSON Schemas (`schemas/*.v1.json`) are generated from, and the report builders
 * are typed by them.
 */

const epochMs = z.int().min(0).meta({ description: 'UTC epoch milliseconds' });
const isoTime = z.iso.datetime().meta({
  description: 'the same time in ISO 8601, UTC, with milliseconds (2024-03-04T10:00:46.718Z)',
});
const tagStatus = z.enum(Object.values(UetTagTrackingStatus) as [UetTagTrackingStatus]);
const goalStatus = z.enum(
  Object.values(ConversionGoalTrackingStatus) as [ConversionGoalTrackingStatus],
);
const goalType = z.enum(Object.values(ConversionGoalType) as [ConversionGoalType]);
const status = z.union([tagStatus, goalStatus]);
const windows = z.strictObject({
  activityWindowMs: z.int().positive(),
  conversionWindowMs: z.int().positive(),
});

const changeTimes = {
  tagId: z.string().min(1),
  effectiveAt: epochMs,
  effectiveTime: isoTime,
  noticedAt: epochMs,
  noticedTime: isoTime,
  seq: z.int().positive().optional().meta({
    description:
      "the sequence number, where the processor numbers changes (the monitor; a cluster's change log numbers them per shard)",
  }),
  shard: z.int().min(0).optional().meta({
    description: "the tag's shard, in a cluster's change log (uet-tag monitor --db postgresql://)",
  }),
  tagSeq: z.int().positive().optional().meta({
    description:
      "the change's number within its tag, from 1 without gaps, in a cluster's change log: what a consumer deduplicates by, with tagId",
  }),
  position: z
    .string()
    .regex(/^\d{1,20}\.\d{1,4}\.\d{1,16}$/)
    .optional()
    .meta({
      description:
        "the change's place in a cluster's change stream, <transaction>.<shard>.<seq> (uet-tag monitor --db postgresql://): what --from resumes after, the id GET /changes gives the change",
    }),
};

/**
 * A status change as every command prints it and every library component makes it
 * (`JSON.stringify` of a change), version 1.
 *
 * @example
 * ```ts
 * changeRecordSchema.parse(JSON.parse(JSON.stringify(change)));
 * ```
 */
export const changeRecordSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('tag'), from: tagStatus, to: tagStatus, ...changeTimes }),
    z.strictObject({
      kind: z.literal('goal'),
      goalId: z.string().min(1),
      from: goalStatus,
      to: goalStatus,
      ...changeTimes,
    }),
  ])
  .meta({
    id: 'status-change',
    title: 'uet-tag status change, version 1',
    description:
      'One status change of a tag or goal, with its effective time (SPEC D5) and the time it was noticed, each as epoch ms and ISO 8601.',
  });

const interval = z.strictObject({
  status,
  from: epochMs,
  fromTime: isoTime,
  to: epochMs,
  toTime: isoTime,
  durationMs: z.int().min(0),
});

const timeline = z.strictObject({
  tagId: z.string().min(1),
  goalId: z.string().min(1).optional(),
  goalType: goalType.optional(),
  changes: z.int().min(0).meta({ description: 'how many times the status changed' }),
  timeInStatus: z.partialRecord(status, z.int().min(0)),
  intervals: z.array(interval),
});

const horizon = {
  start: epochMs.max(MAX_TIME_MS),
  startTime: isoTime,
  end: epochMs,
  endTime: isoTime,
  windows,
};

/**
 * `uet-tag simulate --json`, version 1.
 *
 * @example
 * ```ts
 * simulateReportSchema.parse(JSON.parse(output));
 * ```
 */
export const simulateReportSchema = z
  .strictObject({
    schema: z.literal('simulate-report.v1'),
    name: z.string(),
    seed: z.int().min(0),
    ...horizon,
    inputs: z.strictObject({ hits: z.int().min(0), conversions: z.int().min(0) }),
    timelines: z.array(timeline),
    changes: z.array(changeRecordSchema),
  })
  .meta({ id: 'simulate-report', title: 'uet-tag simulate --json, version 1' });

const malformedLine = z.strictObject({
  line: z.int().positive(),
  reason: z.string(),
  text: z.string(),
});

/**
 * `uet-tag replay --json`, version 1. A file that holds no records has `format` null
 * when it had no non-blank line, no timelines, and `statistics.records` 0.
 *
 * @example
 * ```ts
 * replayReportSchema.parse(JSON.parse(output));
 * ```
 */
export const replayReportSchema = z
  .strictObject({
    schema: z.literal('replay-report.v1'),
    source: z.string(),
    format: z.enum(['ndjson', 'csv', 'clf', 'tsv', 'har', 'capi']).nullable(),
    ...horizon,
    statistics: z.strictObject({
      lines: z.int().min(0),
      records: z.int().min(0),
      filtered: z.int().min(0),
      malformed: z.int().min(0),
      malformedLines: z.array(malformedLine),
      late: z.int().min(0),
      afterUntil: z.int().min(0),
      firstAt: epochMs.nullable(),
      firstTime: isoTime.nullable(),
      lastAt: epochMs.nullable(),
      lastTime: isoTime.nullable(),
    }),
    hits: z.array(
      z.strictObject({
        tagId: z.string(),
        hits: z.int().min(0),
        recentHits: z.int().min(0),
        lastHitAt: epochMs.nullable(),
        goals: z.array(
          z.strictObject({
            goalId: z.string(),
            conversions: z.int().min(0),
            recentConversions: z.int().min(0),
            lastConversionAt: epochMs.nullable(),
          }),
        ),
      }),
    ),
    timelines: z.array(timeline),
    changes: z.array(changeRecordSchema),
  })
  .meta({ id: 'replay-report', title: 'uet-tag replay --json, version 1' });

const spread = z.strictObject({
  mean: z.number(),
  min: z.number(),
  p5: z.number(),
  p50: z.number(),
  p95: z.number(),
  max: z.number(),
});

/**
 * `uet-tag simulate --runs <n> --json`, version 1.
 *
 * @example
 * ```ts
 * runsReportSchema.parse(JSON.parse(output));
 * ```
 */
export const runsReportSchema = z
  .strictObject({
    schema: z.literal('runs-report.v1'),
    name: z.string(),
    start: epochMs,
    startTime: isoTime,
    end: epochMs,
    endTime: isoTime,
    seeds: z.array(z.int().min(0)),
    subjects: z.array(
      z.strictObject({
        tagId: z.string().min(1),
        goalId: z.string().min(1).optional(),
        goalType: goalType.optional(),
        timeInStatus: z.partialRecord(status, spread),
        changes: spread,
      }),
    ),
  })
  .meta({ id: 'runs-report', title: 'uet-tag simulate --runs --json, version 1' });

/** `uet-tag simulate --json`, as printed. */
export type SimulateReport = z.input<typeof simulateReportSchema>;
/** `uet-tag replay --json`, as printed. */
export type ReplayReport = z.input<typeof replayReportSchema>;
/** `uet-tag simulate --runs --json`, as printed. */
export type RunsReport = z.input<typeof runsReportSchema>;
/** A timeline of a report, as printed. */
export type TimelineJson = z.input<typeof timeline>;
