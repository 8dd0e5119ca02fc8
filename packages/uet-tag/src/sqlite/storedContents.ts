import type Database from 'better-sqlite3';
import {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  isConversionGoalTrackingStatus,
  isConversionGoalType,
  isUetTagTrackingStatus,
  type StoredChange,
  type StoredGoal,
  type StoredTag,
  type StoreSnapshot,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import { earliestReceived, latestReceived } from 'uet-tag-status/engine';
import { decodeHits, HIT_BYTES } from './hitLog.js';
import {
  type Cell,
  MAX_TAG_NO,
  optionalStoredTime,
  storedFlag,
  storedId,
  storedInteger,
  storedMember,
  storedText,
  storedTime,
} from './storedValues.js';
import { impossibleValue, refusal } from './storeErrors.js';

/** Everything a monitor's file holds, read and checked. */
export interface StoredContents {
  /** What the store's `open` returns: the tags with the hit log applied. */
  readonly snapshot: StoreSnapshot;
  /** How many hits the hit log holds, not yet folded into `tags`. */
  readonly loggedHits: number;
}

type Row = Record<string, unknown>;
type MutableTag = { -readonly [Key in keyof StoredTag]: StoredTag[Key] };
type MonitorFacts = Omit<StoreSnapshot, 'tags' | 'changes'>;

const TAG_STATUSES = Object.values(UetTagTrackingStatus);
const GOAL_STATUSES = Object.values(ConversionGoalTrackingStatus);
const GOAL_TYPES = Object.values(ConversionGoalType);
const META_KEYS = ['activityWindowMs', 'conversionWindowMs', 'now', 'nextSeq', 'checkpoint'];
/** A count of opens that version 0.2.0 kept; read past, no longer written. */
const RETIRED_META_KEYS = ['opens'];

/**
 * Reads every row of a monitor's database (schema 1, its integrity and schema already
 * checked) and accepts only what a monitor could have written: each value of its type and
 * range (tag numbers below 2^29, statuses and goal types of their value sets, times as
 * the monitor accepts them, ids as `assertId` accepts them, text in valid UTF-8), goal
 * positions without gaps, goals of stored tags only, data times set together and in
 * order, and change numbers below `nextSeq`.
 *
 * @example
 * ```ts
 * const { snapshot, loggedHits } = readStoredContents(checkedCopy, '/data/tags.db');
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the table, the column, the value and
 * the row.
 */
export function readStoredContents(db: Database.Database, description: string): StoredContents {
  const facts = readMeta(db, description);
  const tags = readTags(db, description);
  readGoals(db, tags, description);
  const loggedHits = applyHitLog(db, tags, description);
  const changes = readChanges(db, facts.nextSeq, description);
  return { snapshot: { ...facts, tags: [...tags.values()], changes }, loggedHits };
}

function readMeta(db: Database.Database, description: string): MonitorFacts {
  const values = new Map<string, Row>();
  const rows = db
    .prepare(
      'SELECT key, CAST(key AS BLOB) AS key_bytes, value, CAST(value AS BLOB) AS value_bytes FROM meta',
    )
    .all() as Row[];
  for (const row of rows) {
    const key = storedText(row.key, row.key_bytes, {
      description,
      column: 'meta.key',
      row: 'meta',
    });
    if (!META_KEYS.includes(key) && !RETIRED_META_KEYS.includes(key)) {
      throw impossibleValue(description, 'meta.key', key, 'meta', `one of ${META_KEYS.join(', ')}`);
    }
    values.set(key, row);
  }
  const value = (key: string): { value: unknown; cell: Cell } => {
    const row = values.get(key);
    if (row === undefined) throw refusal('corrupt', description, `has no meta ${key}`);
    return { value: row.value, cell: { description, column: 'meta.value', row: `meta ${key}` } };
  };
  const positive = (key: string) => {
    const { value: stored, cell } = value(key);
    return storedInteger(stored, 1, Number.MAX_SAFE_INTEGER, cell);
  };
  const now = value('now');
  const checkpoint = value('checkpoint');
  const checkpointBytes = values.get('checkpoint')?.value_bytes;
  return {
    windows: {
      activityWindowMs: positive('activityWindowMs'),
      conversionWindowMs: positive('conversionWindowMs'),
    },
    now: storedTime(now.value, now.cell),
    nextSeq: positive('nextSeq'),
    checkpoint:
      checkpoint.value === null
        ? undefined
        : storedText(checkpoint.value, checkpointBytes, checkpoint.cell),
  };
}

function readTags(db: Database.Database, description: string): Map<number, MutableTag> {
  const tags = new Map<number, MutableTag>();
  const ids = new Set<string>();
  const rows = db
    .prepare(
      `SELECT no, tag_id, CAST(tag_id AS BLOB) AS tag_id_bytes, status, changed_at,
         first_data_at, last_data_at, tag_available FROM tags ORDER BY no`,
    )
    .iterate() as Iterable<Row>;
  for (const row of rows) {
    const cell = (column: string): Cell => ({
      description,
      column: `tags.${column}`,
      row: `tag no ${String(row.no)}`,
    });
    const no = storedInteger(row.no, 0, MAX_TAG_NO, cell('no'));
    const tagId = storedId(row.tag_id, row.tag_id_bytes, cell('tag_id'));
    if (ids.has(tagId)) {
      throw impossibleValue(
        description,
        'tags.tag_id',
        tagId,
        `tag no ${no}`,
        'an id no other tag has',
      );
    }
    ids.add(tagId);
    const firstDataAt = optionalStoredTime(row.first_data_at, cell('first_data_at'));
    const lastDataAt = optionalStoredTime(row.last_data_at, cell('last_data_at'));
    const inOrder =
      firstDataAt === undefined
        ? lastDataAt === undefined
        : lastDataAt !== undefined && earliestReceived(firstDataAt, lastDataAt) === firstDataAt;
    if (!inOrder) {
      throw impossibleValue(
        description,
        'tags.last_data_at',
        lastDataAt ?? null,
        `tag no ${no}, first_data_at ${firstDataAt ?? 'NULL'}`,
        'data times both NULL or both set, the last no earlier than the first',
      );
    }
    tags.set(no, {
      no,
      tagId,
      status: storedMember(row.status, isUetTagTrackingStatus, TAG_STATUSES, cell('status')),
      changedAt: optionalStoredTime(row.changed_at, cell('changed_at')),
      firstDataAt,
      lastDataAt,
      tagAvailable: storedFlag(row.tag_available, cell('tag_available')),
      goals: [],
    });
  }
  return tags;
}

function readGoals(db: Database.Database, tags: Map<number, MutableTag>, description: string) {
  const rows = db
    .prepare(
      `SELECT tag_no, position, goal_id, CAST(goal_id AS BLOB) AS goal_id_bytes, goal_type,
         status, changed_at, last_conversion_at, decided_at FROM goals ORDER BY tag_no, position`,
    )
    .iterate() as Iterable<Row>;
  for (const row of rows) {
    const cell = (column: string): Cell => ({
      description,
      column: `goals.${column}`,
      row: `goal of tag no ${String(row.tag_no)} at position ${String(row.position)}`,
    });
    const tag = tags.get(storedInteger(row.tag_no, 0, MAX_TAG_NO, cell('tag_no')));
    if (tag === undefined) {
      throw impossibleValue(
        description,
        'goals.tag_no',
        row.tag_no,
        cell('tag_no').row,
        'the number of a stored tag',
      );
    }
    const goals = tag.goals as StoredGoal[];
    if (row.position !== goals.length) {
      throw impossibleValue(
        description,
        'goals.position',
        row.position,
        cell('position').row,
        `position ${goals.length}: the goals of a tag are at positions 0, 1, 2, … without gaps`,
      );
    }
    const goalId = storedId(row.goal_id, row.goal_id_bytes, cell('goal_id'));
    if (goals.some((goal) => goal.goalId === goalId)) {
      throw impossibleValue(
        description,
        'goals.goal_id',
        goalId,
        cell('goal_id').row,
        'an id no other goal of the tag has',
      );
    }
    goals.push({
      goalId,
      goalType: storedMember(row.goal_type, isConversionGoalType, GOAL_TYPES, cell('goal_type')),
      status: storedMember(
        row.status,
        isConversionGoalTrackingStatus,
        GOAL_STATUSES,
        cell('status'),
      ),
      changedAt: optionalStoredTime(row.changed_at, cell('changed_at')),
      lastConversionAt: optionalStoredTime(row.last_conversion_at, cell('last_conversion_at')),
      decidedAt: storedTime(row.decided_at, cell('decided_at')),
    });
  }
}

/** Applies the hit log to the tags' data times; returns how many hits it holds. */
function applyHitLog(
  db: Database.Database,
  tags: Map<number, MutableTag>,
  description: string,
): number {
  let logged = 0;
  const rows = db.prepare('SELECT id, hits FROM hit_log ORDER BY id').iterate() as Iterable<Row>;
  for (const row of rows) {
    const entry = `hit log entry ${String(row.id)}`;
    const hits = Buffer.isBuffer(row.hits) ? decodeHits(row.hits) : undefined;
    if (hits === undefined) {
      throw impossibleValue(
        description,
        'hit_log.hits',
        row.hits,
        entry,
        `a blob of whole ${HIT_BYTES}-byte hits`,
      );
    }
    const timeCell: Cell = { description, column: 'hit_log.hits time', row: entry };
    const noCell: Cell = { description, column: 'hit_log.hits tag number', row: entry };
    for (let index = 0; index < hits.count; index++) {
      const at = storedTime(hits.ats[index], timeCell);
      const tag = tags.get(storedInteger(hits.tagNos[index], 0, MAX_TAG_NO, noCell));
      if (tag === undefined) continue;
      tag.firstDataAt = earliestReceived(tag.firstDataAt, at);
      tag.lastDataAt = latestReceived(tag.lastDataAt, at);
    }
    logged += hits.count;
  }
  return logged;
}

function readChanges(db: Database.Database, nextSeq: number, description: string): StoredChange[] {
  const changes: StoredChange[] = [];
  const rows = db
    .prepare(
      `SELECT seq, tag_no, goal_id, CAST(goal_id AS BLOB) AS goal_id_bytes, from_status,
         to_status, effective_at, noticed_at FROM changes ORDER BY seq`,
    )
    .iterate() as Iterable<Row>;
  for (const row of rows) {
    const cell = (column: string): Cell => ({
      description,
      column: `changes.${column}`,
      row: `change seq ${String(row.seq)}`,
    });
    const seq = storedInteger(row.seq, 1, Number.MAX_SAFE_INTEGER, cell('seq'));
    if (seq >= nextSeq) {
      throw impossibleValue(
        description,
        'changes.seq',
        seq,
        `change seq ${seq}`,
        `a number below meta nextSeq ${nextSeq}, the one the next change gets`,
      );
    }
    const goalId =
      row.goal_id === null ? undefined : storedId(row.goal_id, row.goal_id_bytes, cell('goal_id'));
    const status = (column: string) =>
      goalId === undefined
        ? storedMember(row[column], isUetTagTrackingStatus, TAG_STATUSES, cell(column))
        : storedMember(row[column], isConversionGoalTrackingStatus, GOAL_STATUSES, cell(column));
    changes.push({
      seq,
      tagNo: storedInteger(row.tag_no, 0, MAX_TAG_NO, cell('tag_no')),
      goalId,
      from: status('from_status'),
      to: status('to_status'),
      effectiveAt: storedTime(row.effective_at, cell('effective_at')),
      noticedAt: storedTime(row.noticed_at, cell('noticed_at')),
    });
  }
  return changes;
}
