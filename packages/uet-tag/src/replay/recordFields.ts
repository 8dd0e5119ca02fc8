import { TrackingInputError } from 'uet-tag-status';
import { assertEpochMs, assertGoalType, assertId } from 'uet-tag-status/engine';
import { parseTime } from '../time.js';
import { accepted, type LineOutcome, malformed } from './replayRecord.js';

/** The fields of one NDJSON or CSV record, as read. */
export interface RecordFields {
  /** `activity` (the default), `conversion`, `accessLost` or `accessRestored`. */
  readonly type?: unknown;
  readonly tagId?: unknown;
  /** Integer UTC epoch ms, or an ISO 8601 date-time with its zone. */
  readonly at?: unknown;
  readonly goalId?: unknown;
  readonly goalType?: unknown;
}

const RECORD_TYPES = ['activity', 'conversion', 'accessLost', 'accessRestored'] as const;

/**
 * Checks a record's fields with the core's validation (SPEC D4) and makes it a replay
 * record, or a malformed outcome naming the bad field and value.
 *
 * @example
 * ```ts
 * recordFromFields({ tagId: 'shop', at: '2024-03-01T09:00:00Z' });
 * // { kind: 'record', record: { kind: 'activity', tagId: 'shop', at: 1709283600000 } }
 * ```
 */
export function recordFromFields(fields: RecordFields): LineOutcome {
  try {
    const type = fields.type ?? 'activity';
    if (!RECORD_TYPES.includes(type as (typeof RECORD_TYPES)[number])) {
      return malformed(
        `type: ${JSON.stringify(type)} is not valid: expected one of ${RECORD_TYPES.join(', ')}`,
      );
    }
    assertId('tagId', fields.tagId);
    const tagId = fields.tagId;
    const at = toEpochMs(fields.at);
    if (type === 'activity') return accepted({ kind: 'activity', tagId, at });
    if (type === 'accessLost' || type === 'accessRestored') {
      return accepted({ kind: 'access', tagId, available: type === 'accessRestored', at });
    }
    assertId('goalId', fields.goalId);
    const goalId = fields.goalId;
    if (fields.goalType === undefined || fields.goalType === '') {
      return accepted({ kind: 'conversion', tagId, goalId, goalType: undefined, at });
    }
    assertGoalType('goalType', fields.goalType);
    return accepted({ kind: 'conversion', tagId, goalId, goalType: fields.goalType, at });
  } catch (error) {
    if (error instanceof TrackingInputError) return malformed(error.message);
    throw error;
  }
}

function toEpochMs(value: unknown): number {
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    assertEpochMs('at', Number(value));
    return Number(value);
  }
  if (typeof value === 'string') {
    const at = parseTime(value);
    if (at !== undefined) return at;
    throw new TrackingInputError(
      'invalidTime',
      'at',
      value,
      'integer UTC epoch ms or an ISO 8601 date-time with its zone',
    );
  }
  assertEpochMs('at', value);
  return value;
}
