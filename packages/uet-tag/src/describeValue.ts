/**
 * How many characters of a bad value an error message shows at most.
 *
 * @example
 * ```ts
 * describeValue('x'.repeat(1000)).length === MAX_ECHOED_CHARACTERS; // true
 * ```
 */
export const MAX_ECHOED_CHARACTERS = 100;

/**
 * A value as an error message shows it: strings quoted, objects and arrays as JSON,
 * anything else as text, cut to at most {@link MAX_ECHOED_CHARACTERS} characters so
 * that a huge or hostile value cannot flood a log.
 *
 * @example
 * ```ts
 * describeValue('Equal'); // '"Equal"'
 * describeValue('x'.repeat(500)).length; // 100
 * ```
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'bigint') text = `${value}`;
  else if (typeof value === 'string' || typeof value === 'object') {
    text = JSON.stringify(value) ?? String(value);
  } else text = String(value);
  return text.length > MAX_ECHOED_CHARACTERS
    ? `${text.slice(0, MAX_ECHOED_CHARACTERS - 3)}...`
    : text;
}

/**
 * A JSON path as text: `ConversionGoals[3].UrlOperator`, `[0].Id`, `data[4].eventTime`;
 * `root` names the whole document when the path is empty.
 *
 * @example
 * ```ts
 * formatJsonPath(['ConversionGoals', 3, 'UrlOperator']); // 'ConversionGoals[3].UrlOperator'
 * formatJsonPath([], 'document'); // 'document'
 * ```
 */
export function formatJsonPath(path: readonly PropertyKey[], root = 'document'): string {
  if (path.length === 0) return root;
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      return index === 0 ? String(part) : `.${String(part)}`;
    })
    .join('');
}
