/**
 * The number that the decimal digits of `text` from `start` to `end` write, read in place
 * (no slice), when there are 1 to `maxDigits` of them and nothing else; -1 otherwise. With
 * `maxDigits` at most 15 the value is exact, as `Number` reads it.
 *
 * @example
 * ```ts
 * digitsBetween('at 1714000000 s', 3, 13, 12); // 1714000000
 * digitsBetween('12a', 0, 3, 12); // -1
 * ```
 */
export function digitsBetween(text: string, start: number, end: number, maxDigits: number): number {
  if (end <= start || end - start > maxDigits) return -1;
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
