import {
  ConversionGoalType,
  MAX_GOALS_PER_TAG,
  MAX_TIME_MS,
  MONITOR_INPUT_KINDS,
  type MonitorInput,
} from 'uet-tag-status';
import { z } from 'zod';
import { type Issue, listIssues, schemaIssues } from '../issues.js';
import { parseTime } from '../time.js';
import { idSchema } from './idSchema.js';

/**
 * The input record, version 1: the one vocabulary of every command and endpoint that reads
 * inputs (`uet-tag monitor`, `uet-tag replay`, the service's `POST /inputs`). One JSON
 * object per NDJSON line, with a `kind`; times (`at`) are integer UTC epoch milliseconds
 * or ISO 8601 date-times with their zone. JSON Schema: `input-record.v1.json`.
 */
export const INPUT_RECORD_VERSION = 1;

const TIME_EXPECTED = `a time: integer UTC epoch ms (0 to ${MAX_TIME_MS}) or an ISO 8601 date-time with its zone (2024-03-01T09:00:00Z, 2024-03-01T09:00:00-04:00)`;

const time = z
  .union(
    [
      z
        .int({ error: TIME_EXPECTED })
        .min(0, { error: TIME_EXPECTED })
        .max(MAX_TIME_MS, { error: TIME_EXPECTED }),
      z.iso.datetime({ offset: true, error: TIME_EXPECTED }),
    ],
    { error: TIME_EXPECTED },
  )
  .transform((value, context) => {
    const at = parseTime(value);
    if (at !== undefined) return at;
    context.issues.push({ code: 'custom', input: value, message: TIME_EXPECTED });
    return z.NEVER;
  })
  .meta({ description: TIME_EXPECTED });

const goalTypes = Object.values(ConversionGoalType) as [
  ConversionGoalType,
  ...ConversionGoalType[],
];
const goalType = z.enum(goalTypes, { error: `one of ${goalTypes.join(', ')}` });
const goal = z.strictObject(
  { goalId: idSchema, goalType },
  { error: 'a goal { goalId, goalType }' },
);

/** When an input that takes effect on arrival was made; see `StampedOptionally` in the core. */
const madeAt = time.optional();

const registerTag = z.strictObject({
  kind: z.literal('registerTag'),
  tagId: idSchema,
  goals: z
    .array(goal, { error: 'a list of goals' })
    .max(MAX_GOALS_PER_TAG, { error: `a list of at most ${MAX_GOALS_PER_TAG} goals` })
    .optional(),
  tagAvailable: z.boolean({ error: 'true or false' }).optional(),
  at: madeAt,
});
const removeTag = z.strictObject({ kind: z.literal('removeTag'), tagId: idSchema, at: madeAt });
const attachGoal = z.strictObject({
  kind: z.literal('attachGoal'),
  tagId: idSchema,
  goalId: idSchema,
  goalType,
  at: madeAt,
});
const detachGoal = z.strictObject({
  kind: z.literal('detachGoal'),
  tagId: idSchema,
  goalId: idSchema,
  at: madeAt,
});
const activity = z.strictObject({ kind: z.literal('activity'), tagId: idSchema, at: time });
const conversion = z.strictObject({
  kind: z.literal('conversion'),
  tagId: idSchema,
  goalId: idSchema,
  at: time,
  goalType: goalType.optional(),
});
const accessLost = z.strictObject({ kind: z.literal('accessLost'), tagId: idSchema, at: madeAt });
const accessRestored = z.strictObject({
  kind: z.literal('accessRestored'),
  tagId: idSchema,
  at: madeAt,
});

/**
 * The schema of an input record (see {@link INPUT_RECORD_VERSION}); its output is a
 * monitor input, with every time in UTC epoch ms.
 *
 * @example
 * ```ts
 * inputRecordSchema.parse({ kind: 'activity', tagId: 'shop', at: '2024-03-01T09:00:00Z' });
 * // { kind: 'activity', tagId: 'shop', at: 1709283600000 }
 * ```
 */
export const inputRecordSchema = z
  .discriminatedUnion(
    'kind',
    [
      registerTag,
      removeTag,
      attachGoal,
      detachGoal,
      activity,
      conversion,
      accessLost,
      accessRestored,
    ],
    { error: `a record whose kind is one of ${MONITOR_INPUT_KINDS.join(', ')}` },
  )
  .meta({
    id: 'input-record',
    title: 'uet-tag input record, version 1',
    description:
      'One input of uet-tag monitor, uet-tag replay and the service: registering or removing a tag, attaching or detaching a goal, activity, a conversion, access lost or restored.',
  });

/** An input record, read: a monitor input with every time in UTC epoch ms. */
export type InputRecord = MonitorInput & z.output<typeof inputRecordSchema>;

/** What reading one record gives: the record, or every problem found. */
export type InputRecordResult =
  | { readonly ok: true; readonly record: InputRecord }
  | { readonly ok: false; readonly issues: readonly Issue[]; readonly message: string };

/**
 * Reads one input record from a parsed JSON value (or a CSV row's fields).
 *
 * @example
 * ```ts
 * const result = parseInputRecord({ kind: 'activity', tagId: 'shop', at: 1709283600000 });
 * if (!result.ok) console.error(result.message); // 'tagId: ... is not valid: expected ...'
 * ```
 */
export function parseInputRecord(value: unknown): InputRecordResult {
  const result = inputRecordSchema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, record: result.data as InputRecord };
  const issues = schemaIssues(result.error, 'record');
  return { ok: false, issues, message: listIssues(issues).join('; ') };
}

/**
 * Reads one NDJSON line as an input record.
 *
 * @example
 * ```ts
 * parseInputLine('{"kind":"activity","tagId":"shop","at":"2024-03-01T09:00:00Z"}');
 * ```
 */
export function parseInputLine(text: string): InputRecordResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = `not JSON (${(error as Error).message})`;
    return { ok: false, issues: [{ path: 'record', value: undefined, expected: 'JSON' }], message };
  }
  return parseInputRecord(value);
}
