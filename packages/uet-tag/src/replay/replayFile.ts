import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ConversionGoalType, StatusChange } from 'uet-tag-status';
import { resolveWindows, type TrackingWindows } from 'uet-tag-status';
import { TagProcessor } from '../timelines/TagProcessor.js';
import type { SubjectTimeline, TimelineReport } from '../timelines/timeline.js';
import { ReorderBuffer } from './ReorderBuffer.js';
import { ReplayError } from './ReplayError.js';
import { createLineParser, detectReplayFormat, type ReplayFormat } from './replayFormat.js';
import type { LineOutcome, ReplayRecord } from './replayRecord.js';
import type { GoalPath } from './requestFilter.js';

/** A goal declared up front: attached to every tag when the tag first appears. */
export interface DeclaredGoal {
  readonly goalId: string;
  readonly goalType: ConversionGoalType;
}

/** Options of {@link replayFile}. */
export interface ReplayOptions {
  /** The file's format; detected from the name or first line when absent. */
  readonly format?: ReplayFormat;
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
  /** Called as the file is read, with bytes read so far and the file's size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
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
 * record's time, its tags in order of first appearance.
 */
export interface ReplayResult extends TimelineReport {
  /** The file replayed. */
  readonly source: string;
  /** Its format. */
  readonly format: ReplayFormat;
  /** What was read. */
  readonly statistics: ReplayStatistics;
}

interface Pending {
  readonly at: number;
  readonly record: ReplayRecord;
}

const PROGRESS_EVERY_LINES = 16_384;

/**
 * Replays a recorded file through the model, streaming: lines are read one at a time
 * (memory stays flat for files of gigabytes; it grows with the number of tags, goals
 * and status changes, not with the file). Malformed lines are counted and the first few
 * kept with their line numbers; the rest of the file is still used.
 *
 * Records are put back in time order within `reorderWindowMs` (web servers write a
 * request when it ends, so logs are slightly out of order); the processor's time is the
 * latest record's time, and silences fire at their own times in between, as on a
 * `SimulatedClock`. A record older than that window is processed late, as SPEC D1 says:
 * it never moves the latest time backwards, and history already reported is not rewritten.
 *
 * @example
 * ```ts
 * const result = await replayFile('../shared/realdata/nasa_19950801.tsv', {
 *   tagId: 'nasa',
 *   until: Date.parse('1995-08-03T04:36:13-04:00'),
 * });
 * result.timelines[0].intervals; // Active until 24 h after the last request, then Inactive
 * ```
 * @throws {@link ReplayError} when the file cannot be read or its format not told.
 */
export async function replayFile(path: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  const windows = resolveWindows(options.windows);
  const format = options.format ?? (await detectReplayFormat(path));
  const parser = createLineParser(
    format,
    {
      tagId: options.tagId ?? 'site',
      paths: options.paths,
      excludePaths: options.excludePaths,
      statuses: options.statuses,
      goalPaths: options.goalPaths,
    },
    path,
  );
  const sampleLimit = options.malformedSamples ?? 5;
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const declared = new GoalDeclarations(options.goals ?? [], options.goalPaths ?? []);
  const buffer = new ReorderBuffer<Pending>(options.reorderWindowMs ?? 300_000);
  const processors = new Map<string, TagProcessor>();
  const counts = { lines: 0, records: 0, filtered: 0, malformed: 0, late: 0, afterUntil: 0 };
  const malformedLines: MalformedLine[] = [];
  let firstAt: number | undefined;
  let lastAt: number | undefined;
  let clock = Number.NEGATIVE_INFINITY;

  const processorOf = (tagId: string): TagProcessor => {
    let processor = processors.get(tagId);
    if (processor === undefined) {
      processor = new TagProcessor(tagId, clock, windows, { fastPath: options.fastPath !== false });
      processors.set(tagId, processor);
      for (const goal of declared.upFront)
        processor.goalAttached(goal.goalId, goal.goalType, clock);
    }
    return processor;
  };
  const apply = ({ record }: Pending): void => {
    clock = Math.max(clock, record.at);
    const processor = processorOf(record.tagId);
    if (record.kind === 'activity') processor.dataReceived(record.at, clock);
    else if (record.kind === 'access') processor.accessChanged(record.available, clock);
    else {
      if (!processor.hasGoal(record.goalId)) {
        const goalType = declared.typeOf(record.tagId, record.goalId);
        if (goalType === undefined) throw new Error(`internal: goal ${record.goalId} undeclared`);
        processor.goalAttached(record.goalId, goalType, clock);
      }
      processor.conversionRecorded(record.goalId, record.at, clock);
    }
  };
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

  const totalBytes = (await statOrFail(path)).size;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const text of lines) {
      const lineNumber = ++counts.lines;
      if (lineNumber % PROGRESS_EVERY_LINES === 0)
        options.onProgress?.(stream.bytesRead, totalBytes);
      const outcome: LineOutcome = parser.parse(text, lineNumber);
      if (outcome.kind === 'blank') continue;
      if (outcome.kind === 'filtered') {
        counts.filtered++;
        continue;
      }
      if (outcome.kind === 'malformed') {
        noteMalformed(lineNumber, outcome.reason, text);
        continue;
      }
      const { record } = outcome;
      if (record.kind === 'conversion') {
        const problem = declared.declare(record.tagId, record.goalId, record.goalType);
        if (problem !== undefined) {
          noteMalformed(lineNumber, problem, text);
          continue;
        }
      }
      if (record.at > until) {
        counts.afterUntil++;
        continue;
      }
      counts.records++;
      firstAt = Math.min(firstAt ?? record.at, record.at);
      lastAt = Math.max(lastAt ?? record.at, record.at);
      const pending = { at: record.at, record };
      if (!buffer.push(pending)) {
        counts.late++;
        apply(pending);
        continue;
      }
      for (const released of buffer.release()) apply(released);
    }
  } catch (error) {
    if (error instanceof ReplayError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new ReplayError(path, `cannot be read (${code})`);
    throw error;
  } finally {
    lines.close();
    stream.destroy();
  }
  for (const released of buffer.flush()) apply(released);
  options.onProgress?.(totalBytes, totalBytes);

  const start = firstAt ?? (Number.isFinite(until) ? until : 0);
  const end = Number.isFinite(until) ? until : (lastAt ?? start);
  const timelines: SubjectTimeline[] = [];
  const changes: StatusChange[] = [];
  for (const processor of processors.values()) {
    processor.advanceTo(end);
    timelines.push(...processor.timelines(end));
    changes.push(...processor.changes);
  }
  return {
    source: path,
    format,
    start,
    end,
    windows,
    timelines,
    changes,
    statistics: { ...counts, malformedLines, firstAt, lastAt },
  };
}

async function statOrFail(path: string) {
  try {
    return await stat(path);
  } catch (error) {
    throw new ReplayError(
      path,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
}

/** The goal types known per tag: declared up front, by goal paths, or by records. */
class GoalDeclarations {
  readonly upFront: readonly DeclaredGoal[];
  private readonly byTag = new Map<string, Map<string, ConversionGoalType>>();

  private readonly fallback: Map<string, ConversionGoalType>;

  constructor(goals: readonly DeclaredGoal[], goalPaths: readonly GoalPath[]) {
    this.fallback = new Map();
    for (const goal of [...goals, ...goalPaths]) this.fallback.set(goal.goalId, goal.goalType);
    this.upFront = [...this.fallback].map(([goalId, goalType]) => ({ goalId, goalType }));
  }

  /** The goal's type for the tag, if known. */
  typeOf(tagId: string, goalId: string): ConversionGoalType | undefined {
    return this.byTag.get(tagId)?.get(goalId) ?? this.fallback.get(goalId);
  }

  /** Records a conversion's goal; returns why it is malformed, if it is (SPEC D4). */
  declare(
    tagId: string,
    goalId: string,
    goalType: ConversionGoalType | undefined,
  ): string | undefined {
    const known = this.typeOf(tagId, goalId);
    if (known === undefined && goalType === undefined) {
      return `goalId: ${JSON.stringify(goalId)} is not valid: expected a goal whose type is known (give goalType in its first record, or --goal ${goalId}=<type>)`;
    }
    if (known !== undefined && goalType !== undefined && known !== goalType) {
      return `goalType: ${JSON.stringify(goalType)} is not valid: expected ${known}, the type goal ${goalId} of tag ${tagId} already has`;
    }
    if (known === undefined && goalType !== undefined) {
      let goals = this.byTag.get(tagId);
      if (goals === undefined) {
        goals = new Map();
        this.byTag.set(tagId, goals);
      }
      goals.set(goalId, goalType);
    }
    return undefined;
  }
}
