/**
 * The first index of an ascending array whose value is greater than `x`, or its length.
 *
 * @example
 * ```ts
 * firstAbove(Float64Array.of(1, 2, 2, 3), 2); // 3
 * ```
 */
export function firstAbove(values: Float64Array, x: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((values[middle] as number) > x) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The first index of an ascending array whose value is at least `x`, or its length.
 *
 * @example
 * ```ts
 * firstAtOrAbove(Float64Array.of(1, 2, 2, 3), 2); // 1
 * ```
 */
export function firstAtOrAbove(values: Float64Array, x: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((values[middle] as number) >= x) high = middle;
    else low = middle + 1;
  }
  return low;
}
