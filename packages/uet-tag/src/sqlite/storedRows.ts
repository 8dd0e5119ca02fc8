import type { StoredTag } from 'uet-tag-status';

/** A row as better-sqlite3 reads it in raw mode: its values in column order. */
export type Row = unknown[];

/** A stored tag being read from its rows, filled in table by table. */
export type MutableTag = { -readonly [Key in keyof StoredTag]: StoredTag[Key] };
