import type pg from 'pg';
import { expect } from 'vitest';
import type { MonitorInput } from '../../packages/uet-tag-status/src/monitor/monitorInput.js';
import { type GoalHistory, trackingStatusesAt } from '../../packages/uet-tag-status/src/oracle.js';
import { hitOf } from '../../packages/uet-tag-status/src/uet/checkUetHit.js';
import type { ConversionGoalType } from '../../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import { isTagBasedGoalType } from '../../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import type { TrackingWindows } from '../../packages/uet-tag-status/src/windows.js';

interface TagModel {
  activities: number[];
  goals: Record<string, { goalType: ConversionGoalType; conversions: number[] }>;
  tagAvailable: boolean;
}

/**
 * What a monitor must hold after `inputs`, applied in order (rejected inputs left out, SPEC
 * D4). A hit is its tag's activity at its receipt time: the cluster tests register goals
 * without definitions, which hits never convert (SPEC U2).
 */
function modelOf(inputs: readonly MonitorInput[]): Map<string, TagModel> {
  const tags = new Map<string, TagModel>();
  for (const input of inputs) {
    if (input.kind === 'registerTag') {
      if (tags.has(input.tagId)) continue;
      const goals = (input.goals ?? []).map((goal) => [
        goal.goalId,
        { goalType: goal.goalType, conversions: [] as number[] },
      ]);
      tags.set(input.tagId, {
        activities: [],
        goals: Object.fromEntries(goals),
        tagAvailable: true,
      });
      continue;
    }
    const tag = tags.get(input.kind === 'hit' ? hitOf('hit', input.hit).tagId : input.tagId);
    if (tag === undefined) continue;
    if (input.kind === 'activity' || input.kind === 'hit') tag.activities.push(input.at);
    if (input.kind === 'conversion') tag.goals[input.goalId]?.conversions.push(input.at);
    if (input.kind === 'accessLost') tag.tagAvailable = false;
    if (input.kind === 'accessRestored') tag.tagAvailable = true;
  }
  return tags;
}

/** The times that count as the tag's activity: its own, and conversions of tag-based goals. */
function tagActivityTimes(tag: TagModel): Set<number> {
  const times = new Set(tag.activities);
  for (const goal of Object.values(tag.goals)) {
    if (isTagBasedGoalType(goal.goalType)) for (const at of goal.conversions) times.add(at);
  }
  return times;
}

/** What {@link checkCluster} found, for the test's figures. */
export interface ClusterFigures {
  readonly inputs: number;
  readonly tags: number;
  readonly changes: number;
  /** Silences whose change was noticed more than `lateMs` after it took effect (downtime). */
  readonly lateSilences: number;
}

/**
 * Checks a cluster's schema after its workers stopped: every shard applied its whole input
 * log (gapless positions), statuses equal the oracle's at the shard's time, each shard's
 * change log is gapless and written by non-decreasing fencing tokens, each tag's change
 * sequence is 1..n, every subject's changes form one unbroken chain ending at its status,
 * and every tag silence takes effect one activity window after an activity of the tag.
 */
export async function checkCluster(
  pool: pg.Pool,
  windows: TrackingWindows,
  context: string,
  lateMs: number,
): Promise<ClusterFigures> {
  const shards = await pool.query<{
    shard: number;
    last_pos: string;
    checkpoint: string | null;
    now: number;
    next_seq: string;
  }>(
    `SELECT h.shard, h.last_pos, s.checkpoint, s.now, s.next_seq
     FROM input_heads AS h LEFT JOIN shard_state AS s USING (shard) ORDER BY shard`,
  );
  let inputCount = 0;
  let tagCount = 0;
  let changeCount = 0;
  let lateSilences = 0;
  for (const row of shards.rows) {
    const where = `${context}, shard ${row.shard}`;
    const lastPos = Number(row.last_pos);
    inputCount += lastPos;
    expect(Number(row.checkpoint ?? 0), `${where}: applied through`).toBe(lastPos);
    const logged = await pool.query<{ pos: string; record: MonitorInput }>(
      'SELECT pos, record FROM input_log WHERE shard = $1 ORDER BY pos',
      [row.shard],
    );
    expect(
      logged.rows.map((entry) => Number(entry.pos)),
      `${where}: positions`,
    ).toEqual(Array.from({ length: lastPos }, (_, index) => index + 1));
    const model = modelOf(logged.rows.map((entry) => entry.record));
    tagCount += model.size;
    const stored = await pool.query<{ tag_id: string; goal_id: string | null; status: string }>(
      `SELECT tag_id, NULL AS goal_id, status FROM tags WHERE shard = $1
       UNION ALL SELECT t.tag_id, g.goal_id, g.status FROM goals AS g JOIN tags AS t USING (shard, no)
       WHERE g.shard = $1`,
      [row.shard],
    );
    const statuses = new Map(
      stored.rows.map((entry) => [
        entry.goal_id === null ? entry.tag_id : `${entry.tag_id}/${entry.goal_id}`,
        entry.status,
      ]),
    );
    const expected = new Map<string, string>();
    for (const [tagId, tag] of model) {
      const goals: Record<string, GoalHistory> = tag.goals;
      const result = trackingStatusesAt({ ...tag, goals }, row.now ?? 0, windows);
      expected.set(tagId, result.tag);
      for (const [goalId, status] of Object.entries(result.goals)) {
        expected.set(`${tagId}/${goalId}`, status);
      }
    }
    expect(statuses, `${where}: statuses at ${row.now}`).toEqual(expected);

    const changes = await pool.query<{
      seq: string;
      tag_id: string;
      tag_seq: string;
      goal_id: string | null;
      from_status: string;
      to_status: string;
      effective_at: number;
      noticed_at: number;
      writer_token: string;
    }>('SELECT * FROM change_log WHERE shard = $1 ORDER BY seq', [row.shard]);
    const seqs = changes.rows.map((change) => Number(change.seq));
    expect(seqs, `${where}: change log sequence`).toEqual(
      Array.from({ length: Number(row.next_seq ?? 1) - 1 }, (_, index) => index + 1),
    );
    changeCount += seqs.length;
    let token = 0;
    const tagSeqs = new Map<string, number>();
    const current = new Map<string, string>();
    for (const change of changes.rows) {
      const about = `${where}, change ${change.seq}`;
      expect(Number(change.writer_token), `${about}: fencing token`).toBeGreaterThanOrEqual(token);
      token = Number(change.writer_token);
      const tagSeq = (tagSeqs.get(change.tag_id) ?? 0) + 1;
      expect(Number(change.tag_seq), `${about}: per-tag sequence`).toBe(tagSeq);
      tagSeqs.set(change.tag_id, tagSeq);
      const subject =
        change.goal_id === null ? change.tag_id : `${change.tag_id}/${change.goal_id}`;
      const from = current.get(subject) ?? (change.goal_id === null ? 'Unverified' : undefined);
      if (from !== undefined) expect(change.from_status, `${about}: ${subject}`).toBe(from);
      current.set(subject, change.to_status);
      if (change.goal_id === null && change.to_status === 'Inactive') {
        const tag = model.get(change.tag_id) as TagModel;
        expect(
          tagActivityTimes(tag).has(change.effective_at - windows.activityWindowMs),
          `${about}: silence at ${change.effective_at}, one window after an activity of ${change.tag_id}`,
        ).toBe(true);
        if (change.noticed_at - change.effective_at > lateMs) lateSilences += 1;
      }
    }
    for (const [subject, status] of current) {
      expect(statuses.get(subject), `${where}: last change of ${subject}`).toBe(status);
    }
  }
  return { inputs: inputCount, tags: tagCount, changes: changeCount, lateSilences };
}
