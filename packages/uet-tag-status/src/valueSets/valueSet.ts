/**
 * Builds a type guard that accepts exactly the values of a `const` value set.
 *
 * @param valueSet - an object whose values are the accepted strings.
 * @returns a guard that is true only for one of those strings, spelled exactly.
 */
export function createValueGuard<const T extends Record<string, string>>(
  valueSet: T,
): (value: unknown) => value is T[keyof T] {
  const accepted = new Set<unknown>(Object.values(valueSet));
  return (value: unknown): value is T[keyof T] => accepted.has(value);
}
