import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DEPTH_EXPECTED, mayNestDeeperThan, tooDeepAt } from '../io/jsonDepth.js';
import { splitLines } from '../io/splitLines.js';
import { CapiReadError } from './CapiReadError.js';
import type { CapiIssue, CapiValidationOptions, CapiValidationResult } from './capiRequest.js';
import { validateCapiRequest } from './validateCapiRequest.js';

/**
 * One request body read from a file, with its outcome.
 *
 * @example
 * ```ts
 * for await (const { line, result } of readCapiRequestFile('events.ndjson', { now })) console.log(line, result.status);
 * ```
 */
export interface CapiRequestRecord {
  /** The 1-based line the body is on (NDJSON), or 1 for a file holding one body. */
  readonly line: number;
  readonly result: CapiValidationResult;
}

/**
 * How a file of requests is written: one body per line, or one body in the whole file.
 *
 * @example
 * ```ts
 * readCapiRequestFile('events.txt', { now, format: 'ndjson' });
 * ```
 */
export type CapiFileFormat = 'ndjson' | 'json';

/**
 * Parses and validates one request body given as JSON text. Text that is not JSON is
 * refused like any invalid request: status 400, one issue on `body` with the code
 * `InvalidJson`.
 *
 * @example
 * ```ts
 * validateCapiRequestText('{"data":[', { now: Date.now() }).issues[0]?.errorCode; // 'InvalidJson'
 * ```
 */
export function validateCapiRequestText(
  text: string,
  options: CapiValidationOptions,
): CapiValidationResult {
  const read = readCapiRequestText(text);
  return 'refused' in read ? read.refused : validateCapiRequest(read.body, options);
}

/**
 * The first half of {@link validateCapiRequestText}: the body a request's text holds, or
 * the refusal of text that is not JSON or nests too deeply (status 400, code
 * `InvalidJson`), for a caller that reads the body before validating it.
 *
 * @example
 * ```ts
 * readCapiRequestText('{"data":[]}'); // { body: { data: [] } }
 * ```
 */
export function readCapiRequestText(
  text: string,
): { readonly body: unknown } | { readonly refused: CapiValidationResult } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return {
      refused: unreadableLine(`The request body is not JSON (${(error as Error).message}).`),
    };
  }
  // A body of no more than MAX_JSON_DEPTH brackets cannot nest too deeply (most): not walked.
  const tooDeep = mayNestDeeperThan(text) ? tooDeepAt(body, 'body') : undefined;
  if (tooDeep !== undefined) {
    return {
      refused: unreadableLine(
        `The request body nests too deeply at ${tooDeep.path}: ${DEPTH_EXPECTED}.`,
      ),
    };
  }
  return { body };
}

/** A body that cannot even be read as JSON: refused whole, on `body`, code `InvalidJson`. */
function unreadableLine(errorMessage: string): CapiValidationResult {
  return {
    status: 400,
    events: [],
    issues: [{ propertyName: 'body', errorMessage, errorCode: 'InvalidJson', isWarning: false }],
    eventCount: 0,
    continueOnValidationError: false,
  };
}

/**
 * Reads request bodies written one per line (NDJSON) from a byte stream, validating
 * each as it arrives; blank lines are skipped. Each record carries its line number, so
 * that every issue can be traced to its line.
 *
 * @example
 * ```ts
 * for await (const { line, result } of readCapiRequestLines(process.stdin, { now: Date.now() })) {
 *   for (const issue of result.issues) console.error(formatCapiIssue(issue, line));
 * }
 * ```
 */
export async function* readCapiRequestLines(
  chunks: AsyncIterable<Uint8Array | string>,
  options: CapiValidationOptions,
): AsyncGenerator<CapiRequestRecord> {
  for await (const line of splitLines(chunks)) {
    if (line.kind === 'problem') {
      yield { line: line.problem.number, result: unreadableLine(line.problem.message) };
    } else if (line.text.trim() !== '') {
      yield { line: line.number, result: validateCapiRequestText(line.text, options) };
    }
  }
}

/**
 * Reads a file of request bodies: `.ndjson` or `.jsonl` one body per line, `.json` one
 * body in the whole file (or as `format` says).
 *
 * @example
 * ```ts
 * for await (const record of readCapiRequestFile('events.ndjson', { now: Date.now() })) {
 *   if (record.result.status === 200) apply(record.result.events);
 * }
 * ```
 * @throws {@link CapiReadError} for a file that cannot be read or whose kind is unknown.
 */
export async function* readCapiRequestFile(
  path: string,
  options: CapiValidationOptions & { readonly format?: CapiFileFormat },
): AsyncGenerator<CapiRequestRecord> {
  const format = options.format ?? formatOf(path);
  if (format === 'json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new CapiReadError(path, `not readable (${(error as NodeJS.ErrnoException).code})`);
    }
    yield { line: 1, result: validateCapiRequestText(text, options) };
    return;
  }
  const stream = createReadStream(path);
  try {
    yield* readCapiRequestLines(stream, options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new CapiReadError(path, `not readable (${code})`);
  } finally {
    stream.destroy();
  }
}

/**
 * One issue as a line of text, with the line of its body when known.
 *
 * @example
 * ```ts
 * formatCapiIssue({ index: 4, propertyName: 'data[4].eventTime', errorMessage: "'eventTime' is required.",
 *   errorCode: 'Empty', isWarning: false }, 12);
 * // "line 12: data[4].eventTime: 'eventTime' is required. (error Empty)"
 * ```
 */
export function formatCapiIssue(issue: CapiIssue, line?: number): string {
  const where = line === undefined ? '' : `line ${line}: `;
  const kind = issue.isWarning ? 'warning' : 'error';
  return `${where}${issue.propertyName}: ${issue.errorMessage} (${kind} ${issue.errorCode})`;
}

function formatOf(path: string): CapiFileFormat {
  if (/\.(?:ndjson|jsonl)$/i.test(path)) return 'ndjson';
  if (/\.json$/i.test(path)) return 'json';
  throw new CapiReadError(path, 'a file name ending in .ndjson, .jsonl or .json is needed');
}
