import { isJsonSpace } from './jsonCodes.js';

/**
 * The first character of a JSON value's text that JSON's grammar does not allow, or the
 * end of the text when the value is cut short: `index` is where, `found` the character
 * (`undefined` when the text ended first).
 */
export interface JsonFault {
  /** Where reading stopped, as an index into the text. */
  readonly index: number;
  /** The character found there; `undefined` when the text ended before the value did. */
  readonly found: string | undefined;
}

/** What the reader expects next. */
enum Expect {
  Value,
  /** A value or the end of the array just opened. */
  ValueOrClose,
  /** A key, or the end of the object just opened. */
  KeyOrClose,
  Key,
  Colon,
  /** A comma or the end of the container. */
  CommaOrClose,
}

const isDigit = (code: number) => code >= 48 && code <= 57;
const isHex = (code: number) =>
  isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

/**
 * Reads one JSON value of `text` from `from` (white space before it allowed) by the
 * grammar of RFC 8259, stopping at `to` or where the value ends; gives the first fault,
 * or `undefined` when the value is whole. Like a tokenizer, it reads each token whole
 * before it asks whether the token may stand there: a character that cannot be in a
 * token is the fault, and a token out of place is one at its first character once it is
 * whole (a string out of place that never closes is a text cut short). Used only where
 * `JSON.parse` refused a value (or a value was cut short), to say where and why.
 *
 * @example
 * ```ts
 * firstJsonFault('{"a":GET}', 0, 9); // { index: 5, found: 'G' }
 * firstJsonFault('{"a":1', 0, 6); // { index: 6, found: undefined }
 * ```
 */
export function firstJsonFault(text: string, from: number, to: number): JsonFault | undefined {
  const stack: number[] = []; // 123 for an object, 91 for an array
  let expect = Expect.Value;
  let i = from;
  while (i < to) {
    const code = text.charCodeAt(i);
    if (isJsonSpace(code)) {
      i++;
      continue;
    }
    const end = tokenEnd(text, i, to);
    if (typeof end !== 'number') return end;
    const top = stack.at(-1);
    const isValue = code !== 44 && code !== 58 && code !== 125 && code !== 93;
    const wrong: JsonFault = { index: i, found: text.charAt(i) };
    if (expect === Expect.CommaOrClose) {
      if (code === 44) expect = top === 123 ? Expect.Key : Expect.Value;
      else if ((code === 125 && top === 123) || (code === 93 && top === 91)) {
        stack.pop();
        if (stack.length === 0) return undefined;
      } else return wrong;
    } else if (expect === Expect.Colon) {
      if (code !== 58) return wrong;
      expect = Expect.Value;
    } else if (expect === Expect.KeyOrClose || expect === Expect.Key) {
      if (code === 125 && expect === Expect.KeyOrClose) {
        stack.pop();
        if (stack.length === 0) return undefined;
        expect = Expect.CommaOrClose;
      } else if (code === 34) expect = Expect.Colon;
      else return wrong;
    } else if (code === 93 && expect === Expect.ValueOrClose) {
      stack.pop();
      if (stack.length === 0) return undefined;
      expect = Expect.CommaOrClose;
    } else if (!isValue) return wrong;
    else if (code === 123 || code === 91) {
      stack.push(code);
      expect = code === 123 ? Expect.KeyOrClose : Expect.ValueOrClose;
    } else if (stack.length === 0) return undefined;
    else expect = Expect.CommaOrClose;
    i = end;
  }
  return { index: to, found: undefined };
}

/** The index after the token that starts at `i`, or the fault in it. */
function tokenEnd(text: string, i: number, to: number): number | JsonFault {
  const code = text.charCodeAt(i);
  if (code === 123 || code === 125 || code === 91 || code === 93 || code === 44 || code === 58) {
    return i + 1;
  }
  if (code === 34) return stringEnd(text, i + 1, to);
  if (code === 45 || isDigit(code)) return numberEnd(text, i, to);
  if (code === 116) return literalEnd(text, i, to, 'true');
  if (code === 102) return literalEnd(text, i, to, 'false');
  if (code === 110) return literalEnd(text, i, to, 'null');
  return { index: i, found: text.charAt(i) };
}

/** The index after the closing quote of the string whose text starts at `i`, or its fault. */
function stringEnd(text: string, i: number, to: number): number | JsonFault {
  while (i < to) {
    const code = text.charCodeAt(i);
    if (code === 34) return i + 1;
    if (code < 32) return { index: i, found: text.charAt(i) };
    if (code !== 92) {
      i++;
      continue;
    }
    if (i + 1 >= to) return { index: to, found: undefined };
    const escaped = text.charCodeAt(i + 1);
    if (escaped === 117) {
      for (let k = i + 2; k < i + 6; k++) {
        if (k >= to) return { index: to, found: undefined };
        if (!isHex(text.charCodeAt(k))) return { index: k, found: text.charAt(k) };
      }
      i += 6;
    } else if ('"\\/bfnrt'.includes(text.charAt(i + 1))) i += 2;
    else return { index: i + 1, found: text.charAt(i + 1) };
  }
  return { index: to, found: undefined };
}

/**
 * Where the number token starting at `i` stops, read as a tokenizer reads it (the longest
 * run the number's grammar allows): after its last character, or at the first character
 * that breaks it, or at `to`.
 *
 * @example
 * ```ts
 * numberTokenEnd('-5e-3-24', 0, 8); // 5: the number is -5e-3, a fault follows
 * ```
 */
export function numberTokenEnd(text: string, i: number, to: number): number {
  const end = numberEnd(text, i, to);
  return typeof end === 'number' ? end : end.index;
}

/** The index after the number starting at `i`, or its fault: `-? (0 | [1-9]\d*) (\.\d+)? ([eE][+-]?\d+)?`. */
function numberEnd(text: string, i: number, to: number): number | JsonFault {
  const at = (k: number) => (k < to ? text.charCodeAt(k) : -1);
  const fault = (k: number): JsonFault => ({
    index: k,
    found: k < to ? text.charAt(k) : undefined,
  });
  const digits = (k: number): number | JsonFault => {
    if (!isDigit(at(k))) return fault(k);
    while (isDigit(at(k))) k++;
    return k;
  };
  let k = i;
  if (at(k) === 45) k++;
  if (at(k) === 48) k++;
  else {
    const end = digits(k);
    if (typeof end !== 'number') return end;
    k = end;
  }
  if (at(k) === 46) {
    const end = digits(k + 1);
    if (typeof end !== 'number') return end;
    k = end;
  }
  if (at(k) === 101 || at(k) === 69) {
    k++;
    if (at(k) === 43 || at(k) === 45) k++;
    const end = digits(k);
    if (typeof end !== 'number') return end;
    k = end;
  }
  // A number is whole only once a character after it is seen.
  return k < to ? k : fault(k);
}

/** The index after `word` at `i`, or the first character that differs. */
function literalEnd(text: string, i: number, to: number, word: string): number | JsonFault {
  for (let k = 0; k < word.length; k++) {
    if (i + k >= to) return { index: to, found: undefined };
    if (text.charCodeAt(i + k) !== word.charCodeAt(k)) {
      return { index: i + k, found: text.charAt(i + k) };
    }
  }
  return i + word.length;
}
