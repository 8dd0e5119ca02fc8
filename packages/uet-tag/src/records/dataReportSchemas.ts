import {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import { z } from 'zod';

/*
 * The `--json` reports of `uet-tag status` and `uet-tag reconcile`, version 1: the
 * definitions their shipped JSON Schemas are generated from.
 */

const isoTime = z.iso
  .datetime()
  .meta({ description: 'a time in ISO 8601, UTC, with milliseconds' });
const tagStatus = z.enum(Object.values(UetTagTrackingStatus) as [UetTagTrackingStatus]);
const goalStatus = z.enum(
  Object.values(ConversionGoalTrackingStatus) as [ConversionGoalTrackingStatus],
);
const goalType = z.enum(Object.values(ConversionGoalType) as [ConversionGoalType]);

/**
 * `uet-tag status --json`, version 1: each tag's status and its goals' at `at`.
 *
 * @example
 * ```ts
 * statusReportSchema.parse(JSON.parse(output)).tags[0]?.status; // 'Active'
 * ```
 */
export const statusReportSchema = z
  .strictObject({
    schema: z.literal('status-report.v1'),
    at: isoTime.meta({ description: 'the time the statuses hold at' }),
    storedAt: isoTime.meta({ description: "the monitor's time when it last committed" }),
    tags: z.array(
      z.strictObject({
        tagId: z.string().min(1),
        status: tagStatus,
        since: isoTime.nullable(),
        lastDataAt: isoTime.nullable(),
        tagAvailable: z.boolean(),
        goals: z.array(
          z.strictObject({
            goalId: z.string().min(1),
            goalType,
            status: goalStatus,
            since: isoTime.nullable(),
            lastConversionAt: isoTime.nullable(),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'status-report', title: 'uet-tag status --json, version 1' });

/**
 * `uet-tag reconcile --json`, version 1: every tag and goal of Microsoft's responses, what
 * Microsoft reported, what the model computes, and why they differ.
 *
 * @example
 * ```ts
 * reconcileReportSchema.parse(JSON.parse(output)).differences; // 5
 * ```
 */
export const reconcileReportSchema = z
  .strictObject({
    schema: z.literal('reconcile-report.v1'),
    at: isoTime,
    source: z.string().meta({ description: "where the model's statuses come from" }),
    differences: z.int().min(0),
    objects: z.array(
      z.strictObject({
        kind: z.enum(['tag', 'goal']),
        id: z.string().min(1),
        tagId: z.string().min(1).optional(),
        name: z.string().optional(),
        reported: z.union([tagStatus, goalStatus]).nullable(),
        computed: z.union([tagStatus, goalStatus]).nullable(),
        agrees: z.boolean(),
        explanation: z
          .string()
          .optional()
          .meta({ description: "why they differ, in a marketer's words" }),
      }),
    ),
  })
  .meta({ id: 'reconcile-report', title: 'uet-tag reconcile --json, version 1' });

/** The JSON of `uet-tag status --json`. */
export type StatusReport = z.output<typeof statusReportSchema>;
/** The JSON of `uet-tag reconcile --json`. */
export type ReconcileReport = z.output<typeof reconcileReportSchema>;
