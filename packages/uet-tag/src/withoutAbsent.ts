/**
 * A copy of `fields` without the keys whose value is `undefined`, so that absent fields
 * are absent keys (and compare equal to objects that never had them).
 *
 * @example
 * ```ts
 * withoutAbsent({ Id: '1', Name: undefined }); // { Id: '1' }
 * ```
 */
export function withoutAbsent<T extends object>(fields: T): T {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) {
    const value = (fields as Record<string, unknown>)[key];
    if (value !== undefined) copy[key] = value;
  }
  return copy as T;
}
