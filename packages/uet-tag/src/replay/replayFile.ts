import type { Readable } from 'node:stream';
import {
  type ConversionMatcherOptions,
  type GoalDefinition,
  resolveWindows,
  type TrackingWindows,
} from 'uet-tag-status';
import { isWithinWindow } from 'uet-tag-status/engine';
import { openInput } from '../io/openInput.js';
import type { InputRecord } from '../records/inputRecord.js';
import type { TimelineReport } from '../timelines/timeline.js';
import type { TagHitCount } from './HitTally.js';
import { ReorderBuffer } from './ReorderBuffer.js';
import { type DeclaredGoal, ReplayTags } from './ReplayTags.js';
import { readRecords } from './readRecords.js';
import type { ReplayFormat } from './replayFormat.js';
import type { GoalPath } from './requestFilter.js';

export type { DeclaredGoal } from './ReplayTags.js';

/** Options of {@link replayFile}. */
export interface ReplayOptions {
  /** The file's format; detected from the name or first line when absent. */
  readonly format?: ReplayFormat;
  /** What `-` reads. @default process.stdin */
  readonly stdin?: Readable;
  /** The longest line, in bytes; longer ones are malformed. @default 1 MiB */
  readonly maxLineBytes?: number;
  /** The windows; SPEC T2 defaults for any left out. */
  readonly windows?: Partial<TrackingWindows>;
  /**
   * The tag id of every request of an access log (`clf`, `tsv`).
   * @default 'site'
   */
  readonly tagId?: string;
  /** Access logs: requests count only if their target matches one of these. */
  readonly paths?: readonly RegExp[];
  /** Access logs: requests whose target matches one of these never count. */
  readonly excludePaths?: readonly RegExp[];
  /** Access logs: HTTP statuses that count (`200` or `2xx`); all when absent. */
  readonly statuses?: readonly string[];
  /** Access logs: requests whose target matches a goal's path are its conversions. */
  readonly goalPaths?: readonly GoalPath[];
  /** Goals attached to every tag from its first record (goal paths' goals are, too). */
  readonly goals?: readonly DeclaredGoal[];
  /**
   * Each tag's goals with their definitions (from `--goals` files, `loadAccountObjects`):
   * attached when the tag appears, and every hit is matched against them (SPEC M1–M7).
   */
  readonly definitions?: ReadonlyMap<string, readonly GoalDefinition[]>;
  /** Tags that exist from the replay's start, whether records name them or not. */
  readonly tagIds?: readonly string[];
  /** How hits are matched: attribution (SPEC M6) and the visit timeout (M5). */
  readonly matching?: ConversionMatcherOptions;
  /**
   * How far out of time order records may be and still be put back in order (see the
   * README, "Out-of-order records"). Older records are processed late (SPEC D1).
   * @default 300_000 (5 minutes)
   */
  readonly reorderWindowMs?: number;
  /** The replay's end; records after it are counted, not used. Default: the last record's time. */
  readonly until?: number;
  /**
   * How many malformed lines to report in full (all are counted).
   * @default 5
   */
  readonly malformedSamples?: number;
  /**
   * Whether inputs that cannot change a status skip the machine step.
   * @default true
   */
  readonly fastPath?: boolean;
  /**
   * Called as the file is read, with bytes read so far and the file's size (`undefined`
   * for a pipe or the standard input).
   */
  readonly onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
}

/** A malformed line: its number, why, and its text (cut to 200 characters). */
export interface MalformedLine {
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

/** What was read from the file. */
export interface ReplayStatistics {
  /** Lines read, blank lines and headers included. */
  readonly lines: number;
  /** Records used. */
  readonly records: number;
  /** Requests the path and status filters left out. */
  readonly filtered: number;
  /** Malformed lines (all counted, the first few in {@link ReplayStatistics.malformedLines}). */
  readonly malformed: number;
  /** The first malformed lines. */
  readonly malformedLines: readonly MalformedLine[];
  /** Records older than the reorder window allowed, processed late (SPEC D1). */
  readonly late: number;
  /** Records after `until`, not used. */
  readonly afterUntil: number;
  /** The earliest record's time, or `undefined` when there was none. */
  readonly firstAt: number | undefined;
  /** The latest record's time, or `undefined` when there was none. */
  readonly lastAt: number | undefined;
}

/**
 * The outcome of a replay: from the earliest record's time to `until` or the latest
 * record's time, its tags in order of first appearance. A file that holds no records
 * has no timelines, and its `start` and `end` are `until` when given, else 0 (see
 * `statistics.records`).
 */
export interface ReplayResult extends TimelineReport {
  /** The file replayed (`stdin` for `-`). */
  readonly source: string;
  /** Its format; `undefined` when it held no non-blank line. */
  readonly format: ReplayFormat | undefined;
  /** What was read. */
  readonly statistics: ReplayStatistics;
  /**
   * The hits of each tag and the conversions they made (SPEC U2, M7); `recentHits` and
   * `recentConversions` count those within their windows before `until` (0 without it).
   */
  readonly hits: readonly TagHitCount[];
}

/** A record waiting in the reorder window, with its line; activity waits as its tag's id alone. */
interface Pending {
  readonly record: InputRecord;
  readonly line: number;
  readonly text: string;
}

/**
 * Replays a recorded file (or `-`, the standard input; gzip input is read as it is)
 * through the model, streaming: memory stays flat for files of gigabytes; it grows with
 * the number of tags, goals and status changes, not with the file. Malformed lines are
 * counted and the first few kept with their line numbers; the rest of the file is still
 * used.
 *
 * Records are put back in time order within `reorderWindowMs` (web servers write a
 * request when it ends, so logs are slightly out of order); the processor's time is the
 * latest record's time, and silences fire at their own times in between, as on a
 * `SimulatedClock`. A record older than that window is processed late, as SPEC D1 says:
 * it never moves the latest time backwards, and history already reported is not rewritten.
 * Records without a time of their own (an access change, a registration) take effect at
 * the replay's time when they are read.
 *
 * @example
 * ```ts
 * const result = await replayFile('test/fixtures/realdata/nasa_19950801.tsv.gz', {
 *   tagId: 'nasa',
 *   until: Date.parse('1995-08-03T04:36:13-04:00'),
 * });
 * result.timelines[0].intervals; // Active until 24 h after the last request, then Inactive
 * ```
 * @throws {@link ReplayError} when the format cannot be told or a header is missing;
 * `InputError` when the file cannot be read or is not text.
 */
export async function replayFile(path: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const windows = resolveWindows(options.windows);
  const sampleLimit = options.malformedSamples ?? 5;
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const goalPaths = options.goalPaths ?? [];
  const upFront = declaredGoals(options.goals ?? [], goalPaths);
  const tags = new ReplayTags(
    windows,
    upFront,
    options.fastPath !== false,
    options.definitions,
    options.matching,
    options.tagIds,
    (at) => isWithinWindow(at, until, windows.activityWindowMs),
    (at) => isWithinWindow(at, until, windows.conversionWindowMs),
  );
  const buffer = new ReorderBuffer<Pending | string>(options.reorderWindowMs ?? 300_000);
  const counts = { records: 0, filtered: 0, malformed: 0, late: 0, afterUntil: 0 };
  const malformedLines: MalformedLine[] = [];
  // The replay's time and the records' earliest and latest (numbers held in place, not boxed per record).
  const times = {
    clock: Number.NEGATIVE_INFINITY,
    first: Number.POSITIVE_INFINITY,
    last: Number.NEGATIVE_INFINITY,
  };
  /** Records without a time read before the first record with one: they take its time. */
  const prelude: Pending[] = [];

  const noteMalformed = (line: number, reason: string, text: string): void => {
    counts.malformed++;
    if (malformedLines.length < sampleLimit) {
      malformedLines.push({
        line,
        reason,
        text: text.length > 200 ? `${text.slice(0, 197)}...` : text,
      });
    }
  };
  const apply = (pending: Pending | string, at: number): void => {
    times.clock = Math.max(times.clock, at);
    if (typeof pending === 'string') {
      tags.activity(pending, at, times.clock);
      return;
    }
    const problem = tags.apply(pending.record, times.clock);
    if (problem !== undefined) noteMalformed(pending.line, problem, pending.text);
  };
  const enqueue = (at: number, pending: Pending | string): void => {
    if (!buffer.push(at, pending)) {
      counts.late++;
      apply(pending, at);
      return;
    }
    buffer.release(apply);
  };
  /** Counts a record at `at` (not after `until`), and enqueues the records waiting for a time. */
  const timed = (at: number): void => {
    counts.records++;
    if (at < times.first) times.first = at;
    if (at > times.last) times.last = at;
    if (prelude.length > 0) for (const waiting of prelude.splice(0)) enqueue(at, waiting);
  };

  const input = await openInput(path, { stdin: options.stdin });
  const { format, lines } = await readRecords(
    input,
    {
      format: options.format,
      filter: {
        tagId: options.tagId ?? 'site',
        paths: options.paths,
        excludePaths: options.excludePaths,
        statuses: options.statuses,
        goalPaths,
      },
      maxLineBytes: options.maxLineBytes,
      onProgress: options.onProgress,
    },
    {
      filtered: () => {
        counts.filtered++;
      },
      malformed: noteMalformed,
      activity: (tagId, at) => {
        if (at > until) {
          counts.afterUntil++;
          return;
        }
        timed(at);
        enqueue(at, tagId);
      },
      record: (record, line, text) => {
        const problem = tags.check(record);
        if (problem !== undefined) {
          noteMalformed(line, problem, text);
          return;
        }
        const at = record.at ?? buffer.latest;
        if (at === undefined) {
          counts.records++;
          prelude.push({ record, line, text });
          return;
        }
        if (at > until) {
          counts.afterUntil++;
          return;
        }
        if (record.at !== undefined) timed(at);
        else {
          counts.records++;
          if (prelude.length > 0) for (const waiting of prelude.splice(0)) enqueue(at, waiting);
        }
        enqueue(at, { record, line, text });
      },
    },
  );
  const preludeAt = Number.isFinite(until) ? until : 0;
  for (const waiting of prelude.splice(0)) enqueue(preludeAt, waiting);
  buffer.flush(apply);
  const firstAt = Number.isFinite(times.first) ? times.first : undefined;
  const lastAt = Number.isFinite(times.last) ? times.last : undefined;

  const start = firstAt ?? (Number.isFinite(until) ? until : 0);
  const end = Number.isFinite(until) ? until : (lastAt ?? start);
  const { timelines, changes } = tags.finish(end, start);
  return {
    source: input.description,
    format,
    start,
    end,
    windows,
    timelines,
    changes,
    statistics: { lines, ...counts, malformedLines, firstAt, lastAt },
    hits: tags.hitCounts(),
  };
}

/** The goals attached to every tag: `--goal` declarations, then goal paths' goals, each once. */
function declaredGoals(
  goals: readonly DeclaredGoal[],
  goalPaths: readonly GoalPath[],
): DeclaredGoal[] {
  const byId = new Map<string, DeclaredGoal>();
  for (const goal of [...goals, ...goalPaths]) {
    if (!byId.has(goal.goalId))
      byId.set(goal.goalId, { goalId: goal.goalId, goalType: goal.goalType });
  }
  return [...byId.values()];
}
