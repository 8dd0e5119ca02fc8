/**
 * Whether `db` names a PostgreSQL database (`postgresql://` or `postgres://`) rather than a
 * SQLite file.
 *
 * @example
 * ```ts
 * isPostgresUrl('postgresql://postgres@127.0.0.1/test'); // true
 * isPostgresUrl('uet-tag-monitor.db'); // false
 * ```
 */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}
