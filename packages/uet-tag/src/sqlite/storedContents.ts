import type Database from 'better-sqlite3';
import {
  ConversionGoalTrackingStatus,
  ConversionGoalType,
  isConversionGoalTrackingStatus,
  isConversionGoalType,
  isUetTagTrackingStatus,
  type LoggedChange,
  type StoredChange,
  type StoredGoal,
  type StoreSnapshot,
  UetTagTrackingStatus,
} from 'uet-tag-status';
import { earliestReceived, latestReceived } from 'uet-tag-status/engine';
import { decodeHits, HIT_BYTES } from './hitLog.js';
import { readGoalDefinitions } from './storedDefinitions.js';
import type { MutableTag, Row } from './storedRows.js';
import {
  type Cell,
  cellsOf,
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

type MonitorFacts = Omit<StoreSnapshot, 'tags' | 'changes'>;

const TAG_STATUSES = Object.values(UetTagTrackingStatus);
const GOAL_STATUSES = Object.values(ConversionGoalTrackingStatus);
const GOAL_TYPES = Object.values(ConversionGoalType);
/** The statuses a tag's change moves between, and those of a goal's change. */
const TAG_VALUE_SET = [isUetTagTrackingStatus, TAG_STATUSES] as const;
const GOAL_VALUE_SET = [isConversionGoalTrackingStatus, GOAL_STATUSES] as const;
const META_KEYS = ['activityWindowMs', 'conversionWindowMs', 'now', 'nextSeq', 'checkpoint'];
/** A count of opens that version 0.2.0 kept; read past, no longer written. */
const RETIRED_META_KEYS = ['opens'];

/**
 * Reads every row of a monitor's database (of schema `version`, its integrity and schema
 * already checked) and accepts only what a monitor could have written: each value of its type and
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
export function readStoredContents(
  db: Database.Database,
  description: string,
  version: number,
): StoredContents {
  const facts = readMeta(db, description);
  const tags = readTags(db, description);
  readGoals(db, tags, description);
  if (version >= 3) readGoalDefinitions(db, tags, description);
  const loggedHits = applyHitLog(db, tags, description);
  const changes = readChanges(db, facts.nextSeq, description);
  return { snapshot: { ...facts, tags: [...tags.values()], changes }, loggedHits };
}

function readMeta(db: Database.Database, description: string): MonitorFacts {
  const values = new Map<string, Row>();
  let current: Row = [];
  // Meta is a few rows, read with their bytes: a key that is not UTF-8 cannot be looked up.
  const cells = cellsOf(description, 'meta', ['key', 'value'], () => `meta ${String(current[0])}`, {
    key: () => current[2],
    value: () => current[3],
  });
  const rows = db
    .prepare('SELECT key, value, CAST(key AS BLOB), CAST(value AS BLOB) FROM meta')
    .raw()
    .iterate() as Iterable<Row>;
  for (const row of rows) {
    current = row;
    const key = storedText(row[0], cells.key);
    if (!META_KEYS.includes(key) && !RETIRED_META_KEYS.includes(key)) {
      throw impossibleValue(description, 'meta.key', key, 'meta', `one of ${META_KEYS.join(', ')}`);
    }
    values.set(key, row);
  }
  /** The value of `key`, checked by `check` with `current` set to its row. */
  const meta = <Value>(key: string, check: (value: unknown, cell: Cell) => Value): Value => {
    const row = values.get(key);
    if (row === undefined) throw refusal('corrupt', description, `has no meta ${key}`);
    current = row;
    return check(row[1], cells.value);
  };
  const positive = (value: unknown, cell: Cell) =>
    storedInteger(value, 1, Number.MAX_SAFE_INTEGER, cell);
  return {
    windows: {
      activityWindowMs: meta('activityWindowMs', positive),
      conversionWindowMs: meta('conversionWindowMs', positive),
    },
    now: meta('now', storedTime),
    nextSeq: meta('nextSeq', positive),
    checkpoint: meta('checkpoint', (value, cell) =>
      value === null ? undefined : storedText(value, cell),
    ),
  };
}

const TAG_COLUMNS = [
  'no',
  'tag_id',
  'status',
  'changed_at',
  'first_data_at',
  'last_data_at',
  'tag_available',
] as const;

function readTags(db: Database.Database, description: string): Map<number, MutableTag> {
  const tags = new Map<number, MutableTag>();
  const ids = new Set<string>();
  let current: Row = [];
  const bytesOf = db.prepare('SELECT CAST(tag_id AS BLOB) FROM tags WHERE no = ?').pluck();
  const cells = cellsOf(description, 'tags', TAG_COLUMNS, () => `tag no ${String(current[0])}`, {
    tag_id: () => bytesOf.get(current[0]),
  });
  const rows = db
    .prepare(`SELECT ${TAG_COLUMNS.join(', ')} FROM tags ORDER BY no`)
    .raw()
    .iterate() as Iterable<Row>;
  for (const row of rows) {
    current = row;
    const [storedNo, storedTagId, status, changedAt, storedFirst, storedLast, tagAvailable] = row;
    const no = storedInteger(storedNo, 0, MAX_TAG_NO, cells.no);
    const tagId = storedId(storedTagId, cells.tag_id);
    if (ids.has(tagId)) {
      throw impossibleValue(
        description,
        'tags.tag_id',
        tagId,
        cells.no.row(),
        'an id no other tag has',
      );
    }
    ids.add(tagId);
    const firstDataAt = optionalStoredTime(storedFirst, cells.first_data_at);
    const lastDataAt = optionalStoredTime(storedLast, cells.last_data_at);
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
      status: storedMember(status, isUetTagTrackingStatus, TAG_STATUSES, cells.status),
      changedAt: optionalStoredTime(changedAt, cells.changed_at),
      firstDataAt,
      lastDataAt,
      tagAvailable: storedFlag(tagAvailable, cells.tag_available),
      goals: [],
    });
  }
  return tags;
}

const GOAL_COLUMNS = [
  'tag_no',
  'position',
  'goal_id',
  'goal_type',
  'status',
  'changed_at',
  'last_conversion_at',
  'decided_at',
] as const;

function readGoals(db: Database.Database, tags: Map<number, MutableTag>, description: string) {
  let current: Row = [];
  const bytesOf = db
    .prepare('SELECT CAST(goal_id AS BLOB) FROM goals WHERE tag_no = ? AND position = ?')
    .pluck();
  const where = () => `goal of tag no ${String(current[0])} at position ${String(current[1])}`;
  const cells = cellsOf(description, 'goals', GOAL_COLUMNS, where, {
    goal_id: () => bytesOf.get(current[0], current[1]),
  });
  const rows = db
    .prepare(`SELECT ${GOAL_COLUMNS.join(', ')} FROM goals ORDER BY tag_no, position`)
    .raw()
    .iterate() as Iterable<Row>;
  for (const row of rows) {
    current = row;
    const [
      tagNo,
      position,
      storedGoalId,
      goalType,
      status,
      changedAt,
      lastConversionAt,
      decidedAt,
    ] = row;
    const tag = tags.get(storedInteger(tagNo, 0, MAX_TAG_NO, cells.tag_no));
    if (tag === undefined) {
      throw impossibleValue(
        description,
        'goals.tag_no',
        tagNo,
        where(),
        'the number of a stored tag',
      );
    }
    const goals = tag.goals as StoredGoal[];
    if (position !== goals.length) {
      throw impossibleValue(
        description,
        'goals.position',
        position,
        where(),
        `position ${goals.length}: the goals of a tag are at positions 0, 1, 2, … without gaps`,
      );
    }
    const goalId = storedId(storedGoalId, cells.goal_id);
    if (goals.some((goal) => goal.goalId === goalId)) {
      throw impossibleValue(
        description,
        'goals.goal_id',
        goalId,
        where(),
        'an id no other goal of the tag has',
      );
    }
    goals.push({
      goalId,
      goalType: storedMember(goalType, isConversionGoalType, GOAL_TYPES, cells.goal_type),
      status: storedMember(status, isConversionGoalTrackingStatus, GOAL_STATUSES, cells.status),
      changedAt: optionalStoredTime(changedAt, cells.changed_at),
      lastConversionAt: optionalStoredTime(lastConversionAt, cells.last_conversion_at),
      decidedAt: storedTime(decidedAt, cells.decided_at),
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
  let current: Row = [];
  const where = () => `hit log entry ${String(current[0])}`;
  const cells = cellsOf(description, 'hit_log', ['hits time', 'hits tag number'], where);
  const rows = db.prepare('SELECT id, hits FROM hit_log ORDER BY id').raw().iterate();
  for (const row of rows as Iterable<Row>) {
    current = row;
    const blob = row[1];
    const hits = Buffer.isBuffer(blob) ? decodeHits(blob) : undefined;
    if (hits === undefined) {
      throw impossibleValue(
        description,
        'hit_log.hits',
        blob,
        where(),
        `a blob of whole ${HIT_BYTES}-byte hits`,
      );
    }
    for (let index = 0; index < hits.count; index++) {
      const at = storedTime(hits.ats[index], cells['hits time']);
      const no = storedInteger(hits.tagNos[index], 0, MAX_TAG_NO, cells['hits tag number']);
      const tag = tags.get(no);
      if (tag === undefined) continue;
      tag.firstDataAt = earliestReceived(tag.firstDataAt, at);
      tag.lastDataAt = latestReceived(tag.lastDataAt, at);
    }
    logged += hits.count;
  }
  return logged;
}

const CHANGE_COLUMNS = [
  'seq',
  'tag_no',
  'goal_id',
  'from_status',
  'to_status',
  'effective_at',
  'noticed_at',
] as const;

function readChanges(db: Database.Database, nextSeq: number, description: string): StoredChange[] {
  const changes: StoredChange[] = [];
  let current: Row = [];
  const bytesOf = db.prepare('SELECT CAST(goal_id AS BLOB) FROM changes WHERE seq = ?').pluck();
  const cells = cellsOf(
    description,
    'changes',
    CHANGE_COLUMNS,
    () => `change seq ${String(current[0])}`,
    {
      goal_id: () => bytesOf.get(current[0]),
    },
  );
  const rows = db
    .prepare(`SELECT ${CHANGE_COLUMNS.join(', ')} FROM changes ORDER BY seq`)
    .raw()
    .iterate() as Iterable<Row>;
  for (const row of rows) {
    current = row;
    const [storedSeq, tagNo, storedGoalId, from, to, effectiveAt, noticedAt] = row;
    const seq = storedInteger(storedSeq, 1, Number.MAX_SAFE_INTEGER, cells.seq);
    if (seq >= nextSeq) {
      throw impossibleValue(
        description,
        'changes.seq',
        seq,
        `change seq ${seq}`,
        `a number below meta nextSeq ${nextSeq}, the one the next change gets`,
      );
    }
    const goalId = storedGoalId === null ? undefined : storedId(storedGoalId, cells.goal_id);
    const [isStatus, statuses] = goalId === undefined ? TAG_VALUE_SET : GOAL_VALUE_SET;
    changes.push({
      seq,
      tagNo: storedInteger(tagNo, 0, MAX_TAG_NO, cells.tag_no),
      goalId,
      from: storedMember<string>(from, isStatus, statuses, cells.from_status),
      to: storedMember<string>(to, isStatus, statuses, cells.to_status),
      effectiveAt: storedTime(effectiveAt, cells.effective_at),
      noticedAt: storedTime(noticedAt, cells.noticed_at),
    });
  }
  return changes;
}

const LOG_COLUMNS = [
  'seq',
  'tag_id',
  'goal_id',
  'from_status',
  'to_status',
  'effective_at',
  'noticed_at',
] as const;

/**
 * A change log row (`SELECT seq, tag_id, goal_id, from_status, to_status, effective_at,
 * noticed_at FROM change_log`, raw), checked like every other row as it is read.
 *
 * @example
 * ```ts
 * const changes = statement.raw().all(afterSeq, limit).map((row) => loggedChangeFromRow(row, file));
 * ```
 * @throws {@link MonitorStoreError} `corrupt` naming the column, the value and the row.
 */
export function loggedChangeFromRow(row: Row, description: string): LoggedChange {
  const cells = cellsOf(
    description,
    'change_log',
    LOG_COLUMNS,
    () => `change log seq ${String(row[0])}`,
  );
  const [seq, tagId, storedGoalId, from, to, effectiveAt, noticedAt] = row;
  const goalId = storedGoalId === null ? undefined : storedId(storedGoalId, cells.goal_id);
  const [isStatus, statuses] = goalId === undefined ? TAG_VALUE_SET : GOAL_VALUE_SET;
  return {
    seq: storedInteger(seq, 1, Number.MAX_SAFE_INTEGER, cells.seq),
    tagId: storedId(tagId, cells.tag_id),
    goalId,
    from: storedMember<string>(from, isStatus, statuses, cells.from_status),
    to: storedMember<string>(to, isStatus, statuses, cells.to_status),
    effectiveAt: storedTime(effectiveAt, cells.effective_at),
    noticedAt: storedTime(noticedAt, cells.noticed_at),
  };
}
