import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { DEPTH_EXPECTED, tooDeepAt } from '../io/jsonDepth.js';
import { formatJsonPath } from '../issues.js';
import { type AdvertisingIssue, AdvertisingObjectError } from './AdvertisingObjectError.js';
import type {
  AdvertisingObjects,
  ApiBatchError,
  ApiConversionGoal,
  ApiUetTag,
  JsonObject,
} from './apiObjects.js';
import { conversionGoalSchema } from './conversionGoalSchema.js';
import { advertisingResponseSchema } from './responseSchemas.js';
import { uetTagSchema } from './uetTagSchema.js';

type Path = (string | number)[];

const DOCUMENT_EXPECTED =
  'a GetUetTagsByIds response {"UetTags":[...]}, a GetConversionGoalsByIds or GetConversionGoalsByTagIds response {"ConversionGoals":[...]}, a UetTag or ConversionGoal object, or an array of such objects';

/** Keys only a ConversionGoal has: an object with one of them is read as a goal. */
const GOAL_KEYS = [
  'Type',
  'TagId',
  'Status',
  'ConversionWindowInMinutes',
  'CountType',
  'Revenue',
  'Scope',
  'GoalCategory',
  'AttributionModelType',
  'UrlExpression',
  'ActionExpression',
  'CategoryExpression',
  'LabelExpression',
  'MinimumDurationInSeconds',
  'MinimumPagesViewed',
  'AppPlatform',
];

/**
 * Parses a JSON text of Microsoft Advertising objects in their REST form (SPEC A1): a
 * whole `GetUetTagsByIds` response (`{"UetTags":[...],"PartialErrors":...}`), a whole
 * `GetConversionGoalsByIds` or `GetConversionGoalsByTagIds` response
 * (`{"ConversionGoals":[...]}`), one `UetTag` or `ConversionGoal` object, or an array of
 * such objects. The shape is told by the keys: a response by its list's key, a goal by
 * `Type` (or another key only goals have), anything else as a tag. Every issue of the
 * document is collected and thrown at once.
 *
 * @example
 * ```ts
 * const { goals } = loadAdvertisingObjects(
 *   '{"ConversionGoals":[{"Id":"46000001","Type":"Url","TagId":26000001,"UrlExpression":"thanks"}]}',
 *   'goals.json',
 * );
 * goals[0]?.path; // 'ConversionGoals[0]'
 * ```
 * @throws {@link AdvertisingObjectError} naming the JSON path, value and expectation of each problem.
 */
export function loadAdvertisingObjects(text: string, source: string): AdvertisingObjects {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new AdvertisingObjectError(source, [
      {
        path: 'document',
        value: text.split(/\r?\n/, 1)[0] ?? '',
        expected: `JSON (${(error as Error).message})`,
      },
    ]);
  }
  const tooDeep = tooDeepAt(document, 'document');
  if (tooDeep !== undefined) {
    throw new AdvertisingObjectError(source, [{ ...tooDeep, expected: DEPTH_EXPECTED }]);
  }
  return readAdvertisingObjects(document, source);
}

/**
 * Reads a file of Microsoft Advertising objects; see {@link loadAdvertisingObjects}.
 *
 * @example
 * ```ts
 * const { tags, goals } = await loadAdvertisingObjectsFile('account/goals.json');
 * ```
 * @throws {@link AdvertisingObjectError} for an unreadable file or an invalid document.
 */
export async function loadAdvertisingObjectsFile(path: string): Promise<AdvertisingObjects> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AdvertisingObjectError(path, [
      { path: 'file', value: path, expected: `a readable file (${reason})` },
    ]);
  }
  return loadAdvertisingObjects(text, path);
}

/**
 * Reads an already parsed JSON document of Microsoft Advertising objects; see
 * {@link loadAdvertisingObjects}.
 *
 * @example
 * ```ts
 * readAdvertisingObjects([{ Id: 26000001, Name: 'Shop' }], 'inline').tags[0]?.path; // '[0]'
 * ```
 * @throws {@link AdvertisingObjectError} naming every problem.
 */
export function readAdvertisingObjects(document: unknown, source: string): AdvertisingObjects {
  const reader = new DocumentReader();
  if (Array.isArray(document)) {
    document.forEach((item, index) => {
      if (item !== null) reader.readObject(item, [index]);
    });
  } else if (isJsonObject(document) && ('UetTags' in document || 'ConversionGoals' in document)) {
    reader.readResponse(document);
  } else if (isJsonObject(document)) {
    reader.readObject(document, []);
  } else {
    reader.issues.push({ path: 'document', value: document, expected: DOCUMENT_EXPECTED });
  }
  reader.checkUniqueIds();
  if (reader.issues.length > 0) throw new AdvertisingObjectError(source, reader.issues);
  return { tags: reader.tags, goals: reader.goals, partialErrors: reader.partialErrors };
}

/** Collects the objects and the issues of one document. */
class DocumentReader {
  readonly tags: ApiUetTag[] = [];
  readonly goals: ApiConversionGoal[] = [];
  readonly partialErrors: ApiBatchError[] = [];
  readonly issues: AdvertisingIssue[] = [];

  readResponse(document: JsonObject): void {
    const result = advertisingResponseSchema.safeParse(document, { reportInput: true });
    if (!result.success) {
      this.issues.push(...toIssues(result.error.issues, document, []));
      return;
    }
    const { UetTags, ConversionGoals, PartialErrors } = result.data;
    UetTags?.forEach((tag, index) => {
      if (tag !== null) this.tags.push(withOrigin(tag, ['UetTags', index], document.UetTags));
    });
    ConversionGoals?.forEach((goal, index) => {
      const path = ['ConversionGoals', index];
      if (goal !== null) this.goals.push(withOrigin(goal, path, document.ConversionGoals));
    });
    PartialErrors?.forEach((error, index) => {
      if (error !== null) {
        this.partialErrors.push({ ...error, path: formatJsonPath(['PartialErrors', index]) });
      }
    });
  }

  readObject(value: unknown, path: Path): void {
    if (!isJsonObject(value)) {
      this.issues.push({
        path: formatJsonPath(path),
        value,
        expected: 'a UetTag or ConversionGoal object',
      });
      return;
    }
    const isGoal = GOAL_KEYS.some((key) => key in value);
    const result = (isGoal ? conversionGoalSchema : uetTagSchema).safeParse(value, {
      reportInput: true,
    });
    if (!result.success) {
      this.issues.push(...toIssues(result.error.issues, value, path));
      return;
    }
    const origin = { path: formatJsonPath(path), original: value };
    if (isGoal) this.goals.push({ ...result.data, ...origin } as ApiConversionGoal);
    else this.tags.push({ ...result.data, ...origin } as ApiUetTag);
  }

  /** Two tags, or two goals, with one id are an error: later lookups by id would be ambiguous. */
  checkUniqueIds(): void {
    for (const [kind, objects] of [
      ['tag', this.tags],
      ['goal', this.goals],
    ] as const) {
      const firstPath = new Map<string, string>();
      for (const object of objects) {
        const earlier = firstPath.get(object.Id);
        if (earlier === undefined) {
          firstPath.set(object.Id, object.path);
          continue;
        }
        this.issues.push({
          path: object.path === 'document' ? 'Id' : `${object.path}.Id`,
          value: (object.original as { Id?: unknown }).Id,
          expected: `an Id no other ${kind} has (${earlier} has it too)`,
        });
      }
    }
  }
}

function withOrigin<T extends object>(
  fields: T,
  path: Path,
  list: unknown,
): T & { path: string; original: JsonObject } {
  const original = (list as JsonObject[])[path[1] as number] as JsonObject;
  return { ...fields, path: formatJsonPath(path), original };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The issues with their full paths; each value is read from the document at that path,
 * so that it is what the document holds there (the raw object for a whole goal, the
 * discriminator for a bad `Type`, `undefined` for a missing field).
 */
function toIssues(
  issues: readonly z.core.$ZodIssue[],
  value: unknown,
  prefix: Path,
): AdvertisingIssue[] {
  return issues.map((issue) => {
    const relative = issue.path as Path;
    return {
      path: formatJsonPath([...prefix, ...relative]),
      value: valueAt(value, relative),
      expected: issue.message,
    };
  });
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
