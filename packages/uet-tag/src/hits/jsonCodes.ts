/**
 * Small readings of JSON text by character code, for the HAR scanner: white space, what a
 * value starts with, where a string and an open value close.
 */
import type { JsonKind } from './HarStructure.js';

/** Whether `code` is JSON white space (space, tab, line feed, carriage return). */
export const isJsonSpace = (code: number): boolean =>
  code === 32 || code === 10 || code === 13 || code === 9;

/** The kind a value starting with `code` has. */
export function kindOf(code: number): JsonKind {
  if (code === 123) return 'object';
  if (code === 91) return 'array';
  if (code === 34) return 'string';
  if (code === 116 || code === 102) return 'boolean';
  if (code === 110) return 'null';
  return 'number';
}

/** The kind with its article, as messages name it: `an object`, `a string`. */
export function article(kind: JsonKind): string {
  return kind === 'object' || kind === 'array' ? `an ${kind}` : `a ${kind}`;
}

/** Whether a JSON value can start with `code`. */
export function isValueStart(code: number): boolean {
  return (
    code === 123 ||
    code === 91 ||
    code === 34 ||
    code === 45 ||
    (code >= 48 && code <= 57) ||
    code === 116 ||
    code === 102 ||
    code === 110
  );
}

/** The index of the quote that closes a string whose text goes on from `from`; -1 when the text ends first. */
export function closingQuote(text: string, from: number): number {
  let quote = text.indexOf('"', from);
  while (quote >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/** How far the scan of an open object, array or string has gone, between pieces of its text. */
export interface OpenValue {
  /** Where the scan goes on. */
  scan: number;
  /** Brackets open. */
  depth: number;
  /** Whether the scan stopped inside a string. */
  inString: boolean;
}

/**
 * Goes on through the object, array or string of `text` that `open` has begun: strings are
 * skipped to their closing quote with `indexOf`, brackets counted. The index after the
 * value once it closes; -1 when the text ends first (`open` then says where to go on).
 * Whether the value is JSON is not asked: `JSON.parse` reads it next.
 */
export function openValueEnd(text: string, open: OpenValue): number {
  const length = text.length;
  let i = open.scan;
  let depth = open.depth;
  if (open.inString) {
    const close = closingQuote(text, i);
    if (close < 0) {
      open.scan = length;
      return -1;
    }
    open.inString = false;
    i = close + 1;
    if (depth === 0) return i;
  }
  while (i < length) {
    const code = text.charCodeAt(i++);
    if (code === 34) {
      const close = closingQuote(text, i);
      if (close < 0) {
        open.inString = true;
        open.depth = depth;
        open.scan = length;
        return -1;
      }
      i = close + 1;
      if (depth === 0) return i;
    } else if (code === 123 || code === 91) depth++;
    else if ((code === 125 || code === 93) && --depth === 0) return i;
  }
  open.depth = depth;
  open.scan = i;
  return -1;
}
