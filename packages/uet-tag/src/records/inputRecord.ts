import {
  ConversionGoalType,
  hitOf,
  MAX_GOALS_PER_TAG,
  MAX_TIME_MS,
  MONITOR_INPUT_KINDS,
  type MonitorInput,
  TrackingInputError,
  type UetHit,
} from 'uet-tag-status';
import { z } from 'zod';
import { conversionGoalSchema } from '../advertising/conversionGoalSchema.js';
import { goalDefinitionOf } from '../advertising/goalDefinitionOf.js';
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

/**
 * A `ConversionGoal` in the API's REST JSON shape (SPEC A1), read as a goal definition
 * that hits are matched against; its `TagId`, when given, must be the record's tag.
 */
const conversionGoal = conversionGoalSchema.meta({
  id: 'conversion-goal',
  description:
    "A ConversionGoal of Campaign Management v13 in its REST JSON shape (Id, Type, TagId, Status, ConversionWindowInMinutes, UrlExpression/UrlOperator, Action/Category/Label Expression and Operator, Value/ValueOperator, MinimumDurationInSeconds, MinimumPagesViewed): matched against the tag's hits",
});

/** Reads an API goal as a definition; `path` is the record's path to it, for messages. */
function definitionIn(
  goal: z.output<typeof conversionGoalSchema>,
  tagId: string,
  path: (string | number)[],
  context: z.RefinementCtx,
) {
  if (goal.TagId !== undefined && goal.TagId !== tagId) {
    context.issues.push({
      code: 'custom',
      path: [...path, 'TagId'],
      input: goal.TagId,
      message: `the record's tagId, ${JSON.stringify(tagId)}, or nothing`,
    });
    return z.NEVER;
  }
  try {
    return goalDefinitionOf(goal, '');
  } catch (error) {
    if (!(error instanceof TrackingInputError)) throw error;
    context.issues.push({
      code: 'custom',
      path: [...path, error.field.replace(/^\./, '')],
      input: error.value,
      message: error.expected,
    });
    return z.NEVER;
  }
}

const registerTag = z
  .strictObject({
    kind: z.literal('registerTag'),
    tagId: idSchema,
    goals: z
      .array(goal, { error: 'a list of goals' })
      .max(MAX_GOALS_PER_TAG, { error: `a list of at most ${MAX_GOALS_PER_TAG} goals` })
      .optional(),
    conversionGoals: z
      .array(conversionGoal, { error: 'a list of ConversionGoal objects' })
      .max(MAX_GOALS_PER_TAG, {
        error: `a list of at most ${MAX_GOALS_PER_TAG} ConversionGoal objects`,
      })
      .optional()
      .meta({ description: "Goals in the API's shape, attached after `goals`, in this order" }),
    tagAvailable: z.boolean({ error: 'true or false' }).optional(),
    at: madeAt,
  })
  .transform(({ conversionGoals, ...record }, context) => {
    if (conversionGoals === undefined) return record;
    const definitions = conversionGoals.map((apiGoal, index) =>
      definitionIn(apiGoal, record.tagId, ['conversionGoals', index], context),
    );
    return { ...record, goals: [...(record.goals ?? []), ...definitions] };
  });
const removeTag = z.strictObject({ kind: z.literal('removeTag'), tagId: idSchema, at: madeAt });
const ATTACH_EXPECTED = "goalId and goalType, or conversionGoal (the API's shape), not both";
const attachGoal = z
  .strictObject({
    kind: z.literal('attachGoal'),
    tagId: idSchema,
    goalId: idSchema.optional(),
    goalType: goalType.optional(),
    conversionGoal: conversionGoal.optional(),
    at: madeAt,
  })
  .transform(({ conversionGoal: apiGoal, ...record }, context) => {
    const short = record.goalId !== undefined || record.goalType !== undefined;
    if (apiGoal !== undefined && !short) {
      const definition = definitionIn(apiGoal, record.tagId, ['conversionGoal'], context);
      return { kind: record.kind, tagId: record.tagId, at: record.at, ...definition };
    }
    if (apiGoal === undefined && record.goalId !== undefined && record.goalType !== undefined) {
      return { ...record, goalId: record.goalId, goalType: record.goalType };
    }
    context.issues.push({
      code: 'custom',
      path: apiGoal === undefined ? [record.goalId === undefined ? 'goalId' : 'goalType'] : [],
      input: apiGoal === undefined ? undefined : record,
      message: ATTACH_EXPECTED,
    });
    return z.NEVER;
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
const text = z.string({ error: 'a string' }).optional();
const finite = z.number({ error: 'a finite number' }).optional();
/** A hit's fields, as `UetHit` names them (SPEC U3). */
const hitFields = z.strictObject(
  {
    tagId: idSchema,
    eventType: z.string({ error: 'the evt value: pageLoad, custom, …' }).min(1, {
      error: 'the evt value: pageLoad, custom, …',
    }),
    pageUrl: text,
    referrer: text,
    pageTitle: text,
    eventAction: text,
    eventCategory: text,
    eventLabel: text,
    eventValue: finite,
    revenue: finite,
    currency: text,
    pageLoadId: text,
    sessionId: text,
    visitorId: text,
    clickId: text,
    consent: text,
  },
  { error: 'a hit: its fields { tagId, eventType, … }, a beacon URL or its query string' },
);
/** A beacon as sent: a request target, a URL, or its raw query string (SPEC U1). */
const beacon = z
  .string()
  .transform((value, context) => {
    try {
      return hitOf('beacon', value);
    } catch (error) {
      if (!(error instanceof TrackingInputError)) throw error;
      context.issues.push({
        code: 'custom',
        path: [error.field],
        input: error.value,
        message: error.expected,
      });
      return z.NEVER;
    }
  })
  .meta({
    description:
      'A UET beacon as sent: /action/0?ti=…, https://bat.bing.com/action/0?…, or its query string ti=…&evt=…',
  });
const HIT_EXPECTED = 'the hit: its fields (hit) or the beacon as sent (beacon), one of them';
/** A UET hit: its fields (`hit`) or the beacon as sent (`beacon`), read into its fields. */
const hit = z
  .strictObject({
    kind: z.literal('hit'),
    at: time,
    hit: hitFields.optional(),
    beacon: beacon.optional(),
  })
  .transform(({ beacon: sent, ...record }, context) => {
    if ((sent === undefined) === (record.hit === undefined)) {
      context.issues.push({
        code: 'custom',
        path: ['hit'],
        input: record.hit,
        message: HIT_EXPECTED,
      });
      return z.NEVER;
    }
    return { kind: record.kind, at: record.at, hit: (record.hit ?? sent) as UetHit };
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
      hit,
      accessLost,
      accessRestored,
    ],
    { error: `a record whose kind is one of ${MONITOR_INPUT_KINDS.join(', ')}` },
  )
  .meta({
    id: 'input-record',
    title: 'uet-tag input record, version 1',
    description:
      "One input of uet-tag monitor, uet-tag replay and the service: registering or removing a tag, attaching or detaching a goal (with its definition in the API's shape, conversionGoal(s)), activity, a conversion, a UET hit matched against the goals, access lost or restored.",
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
