import type { StoreCommit } from 'uet-tag-status';
import type { SqlStatement } from './SyncPostgres.js';

/** Where a commit goes: the shard, and how many changes its change log keeps. */
export interface CommitTarget {
  readonly shard: number;
  readonly changeLogLimit: number;
  /** The writer's fencing token, kept with each change it logs (who reported it). */
  readonly token: number;
}

/** The channel `NOTIFY` wakes change-feed readers on; the payload is `shard:lastSeq`. */
export const CHANGES_CHANNEL = 'uet_changes';

/**
 * The statements of one commit, in the order {@link StoreCommit} gives, each part written
 * set-wise (`unnest` of arrays) so a commit is a dozen round trips whatever its size. The
 * change log gets each change's per-tag sequence (`tag_seq`, the tag's previous last plus
 * its rank in the commit) under `UNIQUE (tag_id, tag_seq)`, and a `NOTIFY` that PostgreSQL
 * delivers only if the transaction commits.
 *
 * @example
 * ```ts
 * sql.run([fence, ...commitStatements(commit, { shard: 0, changeLogLimit: 1_000_000, token: 1 })], 'write');
 * ```
 */
export function commitStatements(commit: StoreCommit, target: CommitTarget): SqlStatement[] {
  const { shard } = target;
  const statements: SqlStatement[] = [];
  const { hits } = commit;
  if (hits.count > 0) {
    statements.push({
      text: `UPDATE tags AS t
             SET first_data_at = LEAST(t.first_data_at, h.first_at),
                 last_data_at = GREATEST(t.last_data_at, h.last_at)
             FROM (SELECT no, min(at) AS first_at, max(at) AS last_at
                   FROM unnest($2::integer[], $3::float8[]) AS u(no, at) GROUP BY no) AS h
             WHERE t.shard = $1 AND t.no = h.no`,
      values: [
        shard,
        Array.from(hits.tagNos.subarray(0, hits.count)),
        Array.from(hits.ats.subarray(0, hits.count)),
      ],
    });
  }
  if (commit.removedTags.length > 0) {
    const removed = [...commit.removedTags];
    statements.push(
      { text: 'DELETE FROM tags WHERE shard = $1 AND no = ANY($2)', values: [shard, removed] },
      {
        text: 'DELETE FROM history WHERE shard = $1 AND tag_no = ANY($2)',
        values: [shard, removed],
      },
    );
  }
  if (commit.tags.length > 0) statements.push(...tagStatements(commit, shard));
  if (commit.changes.length > 0) {
    const changes = commit.changes;
    statements.push({
      text: `INSERT INTO history
             SELECT $1, * FROM unnest($2::bigint[], $3::integer[], $4::text[], $5::text[],
                                      $6::text[], $7::float8[], $8::float8[])`,
      values: [
        shard,
        changes.map((change) => change.seq),
        changes.map((change) => change.tagNo),
        changes.map((change) => change.goalId ?? null),
        changes.map((change) => change.from),
        changes.map((change) => change.to),
        changes.map((change) => change.effectiveAt),
        changes.map((change) => change.noticedAt),
      ],
    });
  }
  if (commit.droppedChanges.length > 0) {
    statements.push({
      text: 'DELETE FROM history WHERE shard = $1 AND seq = ANY($2)',
      values: [shard, [...commit.droppedChanges]],
    });
  }
  if (commit.log.length > 0) statements.push(...logStatements(commit, target));
  statements.push({
    text: 'UPDATE shard_state SET now = $2, next_seq = $3, checkpoint = $4 WHERE shard = $1',
    values: [shard, commit.state.now, commit.state.nextSeq, commit.state.checkpoint ?? null],
    expectRows: 1,
    unexpected: `shard ${shard} has no state row`,
  });
  return statements;
}

function tagStatements(commit: StoreCommit, shard: number): SqlStatement[] {
  const { tags } = commit;
  const goals = tags.flatMap((tag) =>
    tag.goals.map((goal, position) => ({ no: tag.no, position, goal })),
  );
  const statements: SqlStatement[] = [
    {
      text: `INSERT INTO tags
             SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[], $5::float8[],
                                      $6::float8[], $7::float8[], $8::boolean[])
             ON CONFLICT (shard, no) DO UPDATE SET
               tag_id = EXCLUDED.tag_id, status = EXCLUDED.status,
               changed_at = EXCLUDED.changed_at, first_data_at = EXCLUDED.first_data_at,
               last_data_at = EXCLUDED.last_data_at, tag_available = EXCLUDED.tag_available`,
      values: [
        shard,
        tags.map((tag) => tag.no),
        tags.map((tag) => tag.tagId),
        tags.map((tag) => tag.status),
        tags.map((tag) => tag.changedAt ?? null),
        tags.map((tag) => tag.firstDataAt ?? null),
        tags.map((tag) => tag.lastDataAt ?? null),
        tags.map((tag) => tag.tagAvailable),
      ],
    },
    {
      text: 'DELETE FROM goals WHERE shard = $1 AND no = ANY($2)',
      values: [shard, tags.map((tag) => tag.no)],
    },
  ];
  if (goals.length > 0) {
    statements.push({
      text: `INSERT INTO goals
             SELECT $1, * FROM unnest($2::integer[], $3::integer[], $4::text[], $5::text[],
                                      $6::text[], $7::float8[], $8::float8[], $9::float8[],
                                      $10::jsonb[])`,
      values: [
        shard,
        goals.map((entry) => entry.no),
        goals.map((entry) => entry.position),
        goals.map((entry) => entry.goal.goalId),
        goals.map((entry) => entry.goal.goalType),
        goals.map((entry) => entry.goal.status),
        goals.map((entry) => entry.goal.changedAt ?? null),
        goals.map((entry) => entry.goal.lastConversionAt ?? null),
        goals.map((entry) => entry.goal.decidedAt),
        goals.map((entry) =>
          entry.goal.definition === undefined ? null : JSON.stringify(entry.goal.definition),
        ),
      ],
    });
  }
  return statements;
}

function logStatements(commit: StoreCommit, target: CommitTarget): SqlStatement[] {
  const { log } = commit;
  const tagIds = log.map((change) => change.tagId);
  const lastSeq = commit.state.nextSeq - 1;
  return [
    {
      text: `INSERT INTO change_log
             SELECT $1, u.seq, u.tag_id,
                    COALESCE(s.last_seq, 0) + row_number() OVER (PARTITION BY u.tag_id ORDER BY u.seq),
                    u.goal_id, u.from_status, u.to_status, u.effective_at, u.noticed_at, $9
             FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::float8[], $8::float8[])
                  AS u(seq, tag_id, goal_id, from_status, to_status, effective_at, noticed_at)
             LEFT JOIN tag_sequences AS s ON s.tag_id = u.tag_id`,
      values: [
        target.shard,
        log.map((change) => change.seq),
        tagIds,
        log.map((change) => change.goalId ?? null),
        log.map((change) => change.from),
        log.map((change) => change.to),
        log.map((change) => change.effectiveAt),
        log.map((change) => change.noticedAt),
        target.token,
      ],
    },
    {
      text: `INSERT INTO tag_sequences
             SELECT tag_id, count(*) FROM unnest($1::text[]) AS u(tag_id) GROUP BY tag_id
             ON CONFLICT (tag_id) DO UPDATE SET last_seq = tag_sequences.last_seq + EXCLUDED.last_seq`,
      values: [tagIds],
    },
    {
      text: 'DELETE FROM change_log WHERE shard = $1 AND seq <= $2',
      values: [target.shard, lastSeq - target.changeLogLimit],
    },
    { text: 'SELECT pg_notify($1, $2)', values: [CHANGES_CHANNEL, `${target.shard}:${lastSeq}`] },
  ];
}
