import type { Command } from 'commander';
import { isoTime } from 'uet-tag-status';
import { type ModelView, modelFromReplay, modelFromStore } from '../reconcile/modelView.js';
import { type Reconciliation, reconcile } from '../reconcile/reconcile.js';
import { ReplayError } from '../replay/ReplayError.js';
import { replayFile } from '../replay/replayFile.js';
import { loadAccountObjects } from '../replay/replayGoals.js';
import { readSqliteSnapshot } from '../sqlite/readSqliteSnapshot.js';
import { statusesAt } from '../status/statusesAt.js';
import { formatTime } from '../time.js';
import type { CliIo } from './cliIo.js';
import { timeArgument } from './parseOptions.js';
import { reportFailure } from './reportFailure.js';

/** The exit code of a reconciliation that found differences (0: none; 1: it failed). */
export const DIFFERENCES_EXIT_CODE = 2;

/** The options `uet-tag reconcile` takes. */
export interface ReconcileCommandOptions {
  readonly api: string[];
  readonly db?: string;
  readonly replay?: string;
  readonly goals?: string[];
  readonly tagId?: string;
  readonly attribution: 'none' | 'click';
  readonly at: number;
  readonly json?: boolean;
}

/**
 * Registers `uet-tag reconcile`: Microsoft's reported statuses (saved API responses)
 * against what the model computes at the time they were taken, from a monitor's file or
 * a replay, each difference explained; exit code 2 when anything differs.
 *
 * @example
 * ```ts
 * registerReconcileCommand(program, processIo);
 * ```
 */
export function registerReconcileCommand(program: Command, io: CliIo): void {
  program
    .command('reconcile')
    .description(
      'compare the statuses Microsoft reported (saved API responses) with what the model computes at that time, and explain every difference; exit code 2 when anything differs',
    )
    .requiredOption(
      '--api <file>',
      'a saved GetUetTagsByIds or GetConversionGoalsByTagIds response (repeatable)',
      fileList,
    )
    .option('--db <file>', "the model's statuses: the SQLite file of uet-tag monitor")
    .option('--replay <file>', "the model's statuses: replay this file of hits (any replay format)")
    .option(
      '--goals <file>',
      "with --replay: the goals' definitions in the API's JSON (repeatable; default: the --api files)",
      fileList,
    )
    .option(
      '--tag-id <id>',
      'with --replay: as for uet-tag replay (access logs, Conversions API bodies)',
    )
    .option(
      '--attribution <mode>',
      'with --replay: none or click, as for uet-tag replay',
      (value: string) => {
        if (value !== 'none' && value !== 'click') throw new Error('expected none or click');
        return value;
      },
      'none',
    )
    .requiredOption(
      '--at <time>',
      'when the responses were taken (ISO 8601 with zone, or epoch ms)',
      timeArgument,
    )
    .option('--json', 'print JSON instead of text')
    .action(async (options: ReconcileCommandOptions) => {
      try {
        await runReconcile(io, options);
      } catch (error) {
        reportFailure(io, error);
      }
    });
}

function fileList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function runReconcile(io: CliIo, options: ReconcileCommandOptions): Promise<void> {
  if ((options.db === undefined) === (options.replay === undefined)) {
    throw new ReplayError(
      'reconcile',
      "give the model's statuses with --db <file> or --replay <file>, one of them",
    );
  }
  const reported = await loadAccountObjects(options.api);
  let model: ModelView;
  let windows: { activityWindowMs: number; conversionWindowMs: number };
  if (options.db !== undefined) {
    const snapshot = readSqliteSnapshot(options.db);
    windows = snapshot.windows;
    model = modelFromStore(statusesAt(snapshot, options.at), options.db);
  } else {
    const account = await loadAccountObjects(options.goals ?? options.api);
    const result = await replayFile(options.replay as string, {
      definitions: account.definitions,
      tagIds: account.tagIds,
      matching: { attribution: options.attribution },
      until: options.at,
      ...(options.tagId === undefined ? {} : { tagId: options.tagId }),
    });
    windows = result.windows;
    model = modelFromReplay(result, account.definitions);
  }
  const found = reconcile(reported.tags, reported.goals, model, windows);
  io.stdout.write(
    options.json
      ? `${JSON.stringify(reconcileJson(found), null, 2)}\n`
      : formatReconciliation(found),
  );
  if (found.differences > 0) io.setExitCode(DIFFERENCES_EXIT_CODE);
}

function reconcileJson(found: Reconciliation) {
  return {
    schema: 'reconcile-report.v1',
    at: isoTime(found.at),
    source: found.source,
    differences: found.differences,
    objects: found.objects.map((object) => ({
      ...object,
      reported: object.reported ?? null,
      computed: object.computed ?? null,
    })),
  };
}

/**
 * The text report: one line per tag and goal, each difference followed by its explanation.
 *
 * @example
 * ```ts
 * io.stdout.write(formatReconciliation(reconcile(tags, goals, model, windows)));
 * ```
 */
export function formatReconciliation(found: Reconciliation): string {
  const lines = [
    `reconcile at ${formatTime(found.at)} against ${found.source}: ${found.differences} of ${found.objects.length} differ`,
  ];
  for (const object of found.objects) {
    const name = object.name === undefined ? '' : ` "${object.name}"`;
    const of = object.tagId === undefined ? '' : ` of tag ${object.tagId}`;
    const subject = `${object.kind} ${object.id}${name}${of}`;
    if (object.agrees) {
      lines.push(`  agree   ${subject}: ${object.computed}`);
      continue;
    }
    lines.push(
      `  DIFFER  ${subject}: Microsoft says ${object.reported ?? '(nothing)'}, the model computes ${object.computed ?? '(nothing)'}`,
    );
    if (object.explanation !== undefined) lines.push(`          ${object.explanation}`);
  }
  return `${lines.join('\n')}\n`;
}
