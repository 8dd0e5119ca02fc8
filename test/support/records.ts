import { type StatusChangeFields, statusChange } from 'uet-tag-status';

/**
 * A status change as every command prints it (the JSON of the one change record), from
 * its fields.
 *
 * @example
 * ```ts
 * changeRecord({ kind: 'tag', tagId: 'shop', from: 'Unverified', to: 'Active', effectiveAt: 0, noticedAt: 0 });
 * ```
 */
export function changeRecord(fields: StatusChangeFields): Record<string, unknown> {
  return JSON.parse(JSON.stringify(statusChange(fields)));
}
