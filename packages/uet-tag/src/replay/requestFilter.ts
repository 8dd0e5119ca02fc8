import { type ConversionGoalType, isBeaconTarget, mayBeBeaconTarget } from 'uet-tag-status';
import { beaconOutcome } from './hitOutcomes.js';
import { type ActivitySink, FILTERED, type LineOutcome, TOLD } from './replayRecord.js';

/** A goal whose conversions are the requests for matching paths. */
export interface GoalPath {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
  /** Matched against the request target (path and query). */
  readonly path: RegExp;
}

/** How web server requests become tag inputs (Common, Combined and TSV access logs). */
export interface RequestFilterOptions {
  /** The tag id every request is activity of. */
  readonly tagId: string;
  /** Requests count only if their target matches one of these; all when empty. */
  readonly paths?: readonly RegExp[];
  /** Requests whose target matches one of these never count. */
  readonly excludePaths?: readonly RegExp[];
  /** HTTP statuses that count (`200`, or a class `2xx`); all when empty. */
  readonly statuses?: readonly string[];
  /** Requests whose target matches a goal's path are that goal's conversions (SPEC G6). */
  readonly goalPaths?: readonly GoalPath[];
}

/**
 * Decides what one request is: a UET hit (its target is a beacon, `/action/0` or
 * `/actionp/0`: the hit of the tag its `ti` names, SPEC U1), a conversion (its target
 * matches a goal path), activity (it passes the path and status filters), or left out.
 * Hits and conversions must pass the status and exclusion filters too. The target is
 * `line[start, end)`, read in place: it is sliced only when a pattern or a beacon needs it
 * as a string. Activity goes to `sink` when one is given (line `lineNumber`, text `line`;
 * the outcome is then `told`).
 *
 * @example
 * ```ts
 * const toOutcome = createRequestFilter({ tagId: 'site', statuses: ['2xx'] });
 * const line = 'GET /index.html HTTP/1.0';
 * toOutcome(line, 4, 15, 200, 807_256_800_000);
 * // { kind: 'record', record: { kind: 'activity', tagId: 'site', at: 807256800000 } }
 * ```
 */
export function createRequestFilter(
  options: RequestFilterOptions,
): (
  line: string,
  start: number,
  end: number,
  status: number,
  at: number,
  sink?: ActivitySink,
  lineNumber?: number,
) => LineOutcome {
  const { tagId } = options;
  const paths = options.paths ?? [];
  const excludePaths = options.excludePaths ?? [];
  const goalPaths = options.goalPaths ?? [];
  const patterned = paths.length > 0 || excludePaths.length > 0 || goalPaths.length > 0;
  const statusAccepted = statusFilter(options.statuses ?? []);
  const activity = (at: number, sink?: ActivitySink, lineNumber = 0, line = ''): LineOutcome => {
    if (sink === undefined) return { kind: 'record', record: { kind: 'activity', tagId, at } };
    sink.activity(tagId, at, lineNumber, line);
    return TOLD;
  };
  return (line, start, end, status, at, sink, lineNumber) => {
    if (!statusAccepted(status)) return FILTERED;
    if (!patterned && !mayBeBeaconTarget(line, start, end)) {
      return activity(at, sink, lineNumber, line);
    }
    const target = line.slice(start, end);
    if (excludePaths.length > 0 && matchesAny(excludePaths, target)) return FILTERED;
    if (isBeaconTarget(target)) return beaconOutcome(target, at);
    for (const goal of goalPaths) {
      if (goal.path.test(target)) {
        const record = {
          kind: 'conversion',
          tagId,
          goalId: goal.goalId,
          goalType: goal.goalType,
          at,
        } as const;
        return { kind: 'record', record };
      }
    }
    if (paths.length > 0 && !matchesAny(paths, target)) return FILTERED;
    return activity(at, sink, lineNumber, line);
  };
}

/** Whether any of `patterns` matches `target`. */
function matchesAny(patterns: readonly RegExp[], target: string): boolean {
  for (const pattern of patterns) if (pattern.test(target)) return true;
  return false;
}

/**
 * Checks a status filter entry: a three-digit status (`404`) or a class (`2xx`).
 *
 * @example
 * ```ts
 * isStatusPattern('3xx'); // true
 * ```
 */
export function isStatusPattern(value: string): boolean {
  return /^[1-5](?:\d\d|xx)$/.test(value);
}

function statusFilter(statuses: readonly string[]): (status: number) => boolean {
  if (statuses.length === 0) return () => true;
  const exact = new Set<number>();
  const classes = new Set<number>();
  for (const status of statuses) {
    if (status.endsWith('xx')) classes.add(Number(status[0]));
    else exact.add(Number(status));
  }
  return (status) => exact.has(status) || classes.has(Math.floor(status / 100));
}
