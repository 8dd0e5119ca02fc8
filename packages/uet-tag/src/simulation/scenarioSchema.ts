import {
  ConversionGoalType,
  DEFAULT_WINDOWS,
  type ConversionGoalType as GoalType,
  HOUR_MS,
  isTagBasedGoalType,
  MAX_GOALS_PER_TAG,
} from 'uet-tag-status';
import { z } from 'zod';
import { conversionGoalSchema } from '../advertising/conversionGoalSchema.js';
import { idSchema } from '../records/idSchema.js';
import { offsetMs, parseDuration, parseTime } from '../time.js';
import { MAX_HITS_PER_MS, peakHitsPerMs } from './RandomHits.js';
import { resolveApiGoals, resolveVisits } from './resolveVisits.js';
import type {
  AccessChange,
  GoalScenario,
  Scenario,
  TagScenario,
  TimeInterval,
  TrafficShape,
} from './scenario.js';
import { visitsSchema } from './visitsSchema.js';

const TIME_EXPECTED =
  'a time: integer UTC epoch ms, an ISO 8601 date-time with its zone (2024-03-01T09:00:00Z, 2024-03-01T09:00:00-04:00), or +<duration> after start (+36h)';
const ABSOLUTE_TIME_EXPECTED =
  'a time: integer UTC epoch ms or an ISO 8601 date-time with its zone (2024-03-01T00:00:00Z)';
const DURATION_EXPECTED =
  'a duration: integer ms or a number with units ms, s, m, h, d, w (90m, 1d12h)';

const time = z.custom<string | number>((value) => parseTime(value, 0) !== undefined, {
  error: TIME_EXPECTED,
});
const absoluteTime = z.custom<string | number>((value) => parseTime(value) !== undefined, {
  error: ABSOLUTE_TIME_EXPECTED,
});
const duration = z.custom<string | number>((value) => (parseDuration(value) ?? 0) > 0, {
  error: `${DURATION_EXPECTED}, greater than zero`,
});

const nonNegative = (what: string) =>
  z.number({ error: `${what}: a number >= 0` }).min(0, { error: `${what}: a number >= 0` });
const weights = (count: number, what: string) =>
  z
    .array(nonNegative('a weight'), { error: `${count} weights (${what})` })
    .length(count, { error: `exactly ${count} weights (${what})` })
    .refine((list) => list.some((weight) => weight > 0), {
      error: `${count} weights (${what}), at least one above 0`,
    });
const interval = z.strictObject(
  { from: time, to: time },
  { error: 'an interval { from: <time>, to: <time> }' },
);

const trafficSchema = z.strictObject(
  {
    ratePerHour: nonNegative('mean hits per hour'),
    daily: weights(24, 'one per local hour, 0 to 23').optional(),
    weekly: weights(7, 'one per local day, Monday to Sunday').optional(),
    utcOffset: z
      .string({ error: 'a UTC offset such as +02:00 or -04:00' })
      .regex(/^[+-]\d{2}:[0-5]\d$/, { error: 'a UTC offset such as +02:00 or -04:00' })
      .optional(),
  },
  { error: 'an object { ratePerHour, daily?, weekly?, utcOffset? }' },
);

const goalSchema = z.strictObject(
  {
    id: idSchema,
    type: z.enum(Object.values(ConversionGoalType) as [GoalType, ...GoalType[]], {
      error: `one of ${Object.values(ConversionGoalType).join(', ')}`,
    }),
    attachedAt: time.optional(),
    conversions: z.array(time, { error: 'a list of times' }).optional(),
    conversionRate: z
      .number({ error: 'a probability from 0 to 1' })
      .min(0, { error: 'a probability from 0 to 1' })
      .max(1, { error: 'a probability from 0 to 1' })
      .optional(),
    conversionsPerHour: nonNegative('mean conversions per hour').optional(),
    outages: z.array(interval, { error: 'a list of intervals' }).optional(),
  },
  { error: 'a goal { id, type, attachedAt?, conversions?, conversionRate?, ... }' },
);

const tagSchema = z.strictObject(
  {
    id: idSchema,
    installedAt: time.optional(),
    hits: z.array(time, { error: 'a list of times' }).optional(),
    traffic: trafficSchema.optional(),
    outages: z.array(interval, { error: 'a list of intervals' }).optional(),
    randomOutages: z
      .strictObject(
        {
          perWeek: z
            .number({ error: 'mean outages per week: a number > 0' })
            .positive({ error: 'mean outages per week: a number > 0' }),
          minDuration: duration,
          maxDuration: duration,
        },
        { error: 'an object { perWeek, minDuration, maxDuration }' },
      )
      .optional(),
    accessLost: z
      .array(
        z.strictObject(
          { from: time, to: time.optional() },
          { error: 'an interval { from: <time>, to?: <time> }' },
        ),
        { error: 'a list of intervals' },
      )
      .optional(),
    goals: z
      .array(goalSchema, { error: 'a list of goals' })
      .max(MAX_GOALS_PER_TAG, { error: `a list of at most ${MAX_GOALS_PER_TAG} goals` })
      .optional(),
    conversionGoals: z
      .array(conversionGoalSchema, { error: 'a list of ConversionGoal objects' })
      .max(MAX_GOALS_PER_TAG, { error: `a list of at most ${MAX_GOALS_PER_TAG} goals` })
      .optional(),
    visits: visitsSchema.optional(),
  },
  {
    error:
      'a tag { id, installedAt?, hits?, traffic?, outages?, goals?, conversionGoals?, visits?, ... }',
  },
);

/** The scenario file as written, before times are resolved. */
const scenarioFileSchema = z.strictObject(
  {
    name: z.string({ error: 'a non-empty name' }).min(1, { error: 'a non-empty name' }),
    description: z.string({ error: 'a text' }).optional(),
    start: absoluteTime,
    end: time,
    seed: z
      .number({ error: 'an integer from 0 to 4294967295' })
      .int({ error: 'an integer from 0 to 4294967295' })
      .min(0, { error: 'an integer from 0 to 4294967295' })
      .max(4_294_967_295, { error: 'an integer from 0 to 4294967295' })
      .optional(),
    windows: z
      .strictObject(
        { activity: duration.optional(), conversion: duration.optional() },
        { error: 'an object { activity?, conversion? } of durations' },
      )
      .optional(),
    tags: z
      .array(tagSchema, { error: 'a list of tags' })
      .min(1, { error: 'a list of at least one tag' }),
  },
  { error: 'a scenario object { name, start, end, tags, ... }' },
);

type ScenarioFile = z.infer<typeof scenarioFileSchema>;
type IssueSink = (path: (string | number)[], value: unknown, expected: string) => void;

/**
 * The schema of a scenario file (JSON or YAML, same shape): validates the structure, then
 * resolves every time to UTC epoch ms and checks what depends on other fields (times
 * within the horizon, intervals in order, unique ids). Its output is a {@link Scenario}.
 *
 * @example
 * ```ts
 * const result = scenarioSchema.safeParse(YAML.parse(text), { reportInput: true });
 * if (result.success) simulateScenario(result.data);
 * ```
 */
export const scenarioSchema = scenarioFileSchema.transform((file, context): Scenario => {
  const report: IssueSink = (path, value, expected) => {
    context.issues.push({ code: 'custom', path, input: value, message: expected });
  };
  return resolveScenario(file, report);
});

function resolveScenario(file: ScenarioFile, report: IssueSink): Scenario {
  const start = parseTime(file.start) ?? 0;
  const end = parseTime(file.end, start) ?? 0;
  if (end <= start) report(['end'], file.end, 'a time after start');
  const horizon = { start, end: Math.max(end, start + 1) };
  const at = (path: (string | number)[], value: string | number, inclusiveEnd = false): number => {
    const resolved = parseTime(value, start) ?? start;
    const past = inclusiveEnd ? resolved > horizon.end : resolved >= horizon.end;
    if (end > start && (resolved < horizon.start || past)) {
      report(path, value, `a time within the horizon [start, end${inclusiveEnd ? ']' : ')'}`);
    }
    return resolved;
  };

  const tagIds = new Set<string>();
  const tags = file.tags.map((tag, tagIndex): TagScenario => {
    const path = ['tags', tagIndex];
    if (tagIds.has(tag.id)) report([...path, 'id'], tag.id, 'a tag id not used by another tag');
    tagIds.add(tag.id);
    const installedAt =
      tag.installedAt === undefined ? start : at([...path, 'installedAt'], tag.installedAt);
    const outages = intervals(tag.outages ?? [], [...path, 'outages'], at, report);
    const hits = times(
      tag.hits ?? [],
      [...path, 'hits'],
      at,
      (hit) => {
        if (hit < installedAt) return 'a time at or after the tag is installed (installedAt)';
        const inOutage = outages.some((outage) => hit >= outage.from && hit < outage.to);
        return inOutage ? 'a time outside every outage' : undefined;
      },
      report,
    );
    const randomOutages = tag.randomOutages && {
      perWeek: tag.randomOutages.perWeek,
      minDurationMs: parseDuration(tag.randomOutages.minDuration) ?? 1,
      maxDurationMs: parseDuration(tag.randomOutages.maxDuration) ?? 1,
    };
    if (randomOutages && randomOutages.maxDurationMs < randomOutages.minDurationMs) {
      report(
        [...path, 'randomOutages', 'maxDuration'],
        tag.randomOutages?.maxDuration,
        'a duration at least minDuration',
      );
    }
    const traffic = tag.traffic && resolveTraffic(tag.traffic);
    if (traffic !== undefined && !(peakHitsPerMs(traffic) <= MAX_HITS_PER_MS)) {
      report(
        [...path, 'traffic', 'ratePerHour'],
        traffic.ratePerHour,
        `a rate whose busiest hour, after the daily and weekly weights, is at most ${MAX_HITS_PER_MS * HOUR_MS} hits per hour (the weights scale the mean rate by their ratio to their mean)`,
      );
    }
    const goals = resolveGoals(tag.goals ?? [], path, { start, installedAt }, at, report);
    const api = resolveApiGoals(
      tag.conversionGoals ?? [],
      tag.id,
      new Set(goals.map((goal) => goal.id)),
      path,
      start,
      report,
    );
    if (goals.length + api.goals.length > MAX_GOALS_PER_TAG) {
      report(
        [...path, 'conversionGoals'],
        api.goals.length,
        `at most ${MAX_GOALS_PER_TAG} goals on one tag, goals and conversionGoals together`,
      );
    }
    if (tag.visits !== undefined && traffic === undefined) {
      report(
        [...path, 'traffic'],
        undefined,
        'traffic { ratePerHour, ... }: with visits, it says when visits begin',
      );
    }
    return {
      id: tag.id,
      installedAt,
      hits,
      traffic,
      outages,
      randomOutages,
      access: accessChanges(tag.accessLost ?? [], [...path, 'accessLost'], at, report),
      goals: [...goals, ...api.goals],
      ...(tag.visits === undefined ? {} : { visits: resolveVisits(tag.visits) }),
      ...(api.definitions.length === 0 ? {} : { definitions: api.definitions }),
    };
  });

  return {
    name: file.name,
    description: file.description,
    start,
    end: horizon.end,
    seed: file.seed ?? 1,
    windows: {
      activityWindowMs: parseDuration(file.windows?.activity) ?? DEFAULT_WINDOWS.activityWindowMs,
      conversionWindowMs:
        parseDuration(file.windows?.conversion) ?? DEFAULT_WINDOWS.conversionWindowMs,
    },
    tags,
  };
}

type ResolveAt = (
  path: (string | number)[],
  value: string | number,
  inclusiveEnd?: boolean,
) => number;

function resolveGoals(
  goals: NonNullable<ScenarioFile['tags'][number]['goals']>,
  tagPath: (string | number)[],
  { start, installedAt }: { start: number; installedAt: number },
  at: ResolveAt,
  report: IssueSink,
): GoalScenario[] {
  const goalIds = new Set<string>();
  return goals.map((goal, goalIndex) => {
    const path = [...tagPath, 'goals', goalIndex];
    if (goalIds.has(goal.id)) {
      report([...path, 'id'], goal.id, 'a goal id not used by another goal of the tag');
    }
    goalIds.add(goal.id);
    const attachedAt =
      goal.attachedAt === undefined ? start : at([...path, 'attachedAt'], goal.attachedAt);
    const conversions = times(
      goal.conversions ?? [],
      [...path, 'conversions'],
      at,
      (time) => {
        if (time < attachedAt) return "a time at or after the goal's attachedAt";
        const throughTag = isTagBasedGoalType(goal.type) && time < installedAt;
        return throughTag ? 'a time at or after the tag is installed (installedAt)' : undefined;
      },
      report,
    );
    if (goal.conversionsPerHour !== undefined && isTagBasedGoalType(goal.type)) {
      report(
        [...path, 'conversionsPerHour'],
        goal.conversionsPerHour,
        `no conversionsPerHour for a ${goal.type} goal: its conversions come through the tag's hits, so give conversionRate`,
      );
    }
    return {
      id: goal.id,
      type: goal.type,
      attachedAt,
      conversions,
      conversionRate: goal.conversionRate ?? 0,
      conversionsPerHour: goal.conversionsPerHour ?? 0,
      outages: intervals(goal.outages ?? [], [...path, 'outages'], at, report),
    };
  });
}

function resolveTraffic(
  traffic: NonNullable<ScenarioFile['tags'][number]['traffic']>,
): TrafficShape {
  return {
    ratePerHour: traffic.ratePerHour,
    daily: traffic.daily ?? new Array<number>(24).fill(1),
    weekly: traffic.weekly ?? new Array<number>(7).fill(1),
    utcOffsetMs: traffic.utcOffset === undefined ? 0 : offsetMs(traffic.utcOffset),
  };
}

/** Resolves a list of times, reports each one `problem` names, and sorts them. */
function times(
  values: readonly (string | number)[],
  path: (string | number)[],
  at: ResolveAt,
  problem: (time: number) => string | undefined,
  report: IssueSink,
): number[] {
  const resolved = values.map((value, index) => {
    const time = at([...path, index], value);
    const expected = problem(time);
    if (expected !== undefined) report([...path, index], value, expected);
    return time;
  });
  return resolved.sort((a, b) => a - b);
}

function intervals(
  values: readonly { from: string | number; to: string | number }[],
  path: (string | number)[],
  at: ResolveAt,
  report: IssueSink,
): TimeInterval[] {
  const resolved = values.map((value, index) => {
    const from = at([...path, index, 'from'], value.from);
    const to = at([...path, index, 'to'], value.to, true);
    if (to <= from) report([...path, index, 'to'], value.to, 'a time after from');
    return { from, to };
  });
  resolved.sort((a, b) => a.from - b.from);
  const merged: TimeInterval[] = [];
  for (const next of resolved) {
    const last = merged.at(-1);
    if (last !== undefined && next.from <= last.to) {
      merged[merged.length - 1] = { from: last.from, to: Math.max(last.to, next.to) };
    } else {
      merged.push(next);
    }
  }
  return merged;
}

function accessChanges(
  values: readonly { from: string | number; to?: string | number | undefined }[],
  path: (string | number)[],
  at: ResolveAt,
  report: IssueSink,
): AccessChange[] {
  const changes: AccessChange[] = [];
  let previousEnd: number | undefined;
  values.forEach((value, index) => {
    const from = at([...path, index, 'from'], value.from);
    if (previousEnd !== undefined && from <= previousEnd) {
      report(
        [...path, index, 'from'],
        value.from,
        'a time after the previous interval ends (intervals in order, not overlapping)',
      );
    }
    changes.push({ at: from, available: false });
    if (value.to === undefined) {
      previousEnd = Number.POSITIVE_INFINITY;
      return;
    }
    const to = at([...path, index, 'to'], value.to, true);
    if (to <= from) report([...path, index, 'to'], value.to, 'a time after from');
    changes.push({ at: to, available: true });
    previousEnd = to;
  });
  return changes;
}
