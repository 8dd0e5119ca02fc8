import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { DEPTH_EXPECTED, tooDeepAt } from '../io/jsonDepth.js';
import { schemaIssues } from '../issues.js';
import { ScenarioError } from './ScenarioError.js';
import type { Scenario } from './scenario.js';
import { scenarioSchema } from './scenarioSchema.js';

/** How a scenario text is written. */
export type ScenarioFormat = 'json' | 'yaml';

/**
 * Parses and validates a scenario written as JSON or YAML. Every problem is collected
 * and thrown together; nothing runs from an invalid scenario.
 *
 * @example
 * ```ts
 * const scenario = parseScenario('{"name":"x","start":0,"end":"+1d","tags":[{"id":"t"}]}', 'json');
 * scenario.end; // 86_400_000
 * ```
 * @throws {@link ScenarioError} naming the path, value and expectation of each problem.
 */
export function parseScenario(text: string, format: ScenarioFormat, source = 'scenario'): Scenario {
  const document = format === 'json' ? parseJson(text, source) : parseYaml(text, source);
  const tooDeep = tooDeepAt(document, 'scenario');
  if (tooDeep !== undefined) {
    throw new ScenarioError(source, [{ ...tooDeep, expected: DEPTH_EXPECTED }]);
  }
  const result = scenarioSchema.safeParse(document, { reportInput: true });
  if (!result.success) throw new ScenarioError(source, schemaIssues(result.error, 'scenario'));
  return result.data;
}

/**
 * Reads a scenario file: `.json` as JSON, `.yaml` or `.yml` as YAML; `-` reads the scenario
 * from `stdin` (the process's by default) as YAML, which also reads JSON.
 *
 * @example
 * ```ts
 * const scenario = await loadScenario('examples/weekendOutage.yaml');
 * ```
 * @throws {@link ScenarioError} for an unreadable file, an unknown extension or an invalid scenario.
 */
export async function loadScenario(
  path: string,
  stdin: AsyncIterable<string | Uint8Array> = process.stdin,
): Promise<Scenario> {
  const format = path === '-' ? 'yaml' : formatOf(path);
  const source = path === '-' ? 'stdin' : path;
  let text: string;
  try {
    text = path === '-' ? await readAll(stdin) : await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ScenarioError(source, [
      { path: 'file', value: path, expected: `a readable file (${reason})` },
    ]);
  }
  return parseScenario(text, format, source);
}

/** The whole text of a stream, read as UTF-8. */
async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

function formatOf(path: string): ScenarioFormat {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  throw new ScenarioError(path, [
    { path: 'file', value: path, expected: 'a file name ending in .json, .yaml or .yml' },
  ]);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(source, [
      { path: 'scenario', value: firstLine(text), expected: `JSON (${(error as Error).message})` },
    ]);
  }
}

function parseYaml(text: string, source: string): unknown {
  const document = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const errors = document.errors;
  if (errors.length > 0) {
    throw new ScenarioError(
      source,
      errors.map((error) => {
        const offset = error.pos[0];
        const before = text.slice(0, offset).split(/\r?\n/);
        const line = before.length;
        const column = (before.at(-1)?.length ?? 0) + 1;
        return {
          path: `line ${line}, column ${column}`,
          value: text.split(/\r?\n/)[line - 1],
          expected: `YAML (${error.message})`,
        };
      }),
    );
  }
  try {
    return document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    throw new ScenarioError(source, [
      {
        path: 'scenario',
        value: firstLine(text),
        expected: `YAML whose aliases (*name) expand to a bounded document (at most ${MAX_YAML_ALIAS_COUNT} uses of one anchor): ${error.message}`,
      },
    ]);
  }
}

/**
 * How many times one anchor of a YAML scenario may be used: the `yaml` library's own bound
 * against documents that expand exponentially ("billion laughs").
 */
const MAX_YAML_ALIAS_COUNT = 100;

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}
