import { isoTime } from 'uet-tag-status';
import { type ModelView, modelFromReplay, modelFromStore } from '../reconcile/modelView.js';
import { type Reconciliation, reconcile } from '../reconcile/reconcile.js';
import type { ReconcileReport } from '../records/dataReportSchemas.js';
import { ReplayError } from '../replay/ReplayError.js';
import { replayFile } from '../replay/replayFile.js';
import { loadAccountObjects } from '../replay/replayGoals.js';
import { readSqliteSnapshot } from '../sqlite/readSqliteSnapshot.js';
import { statusesAt } from '../status/statusesAt.js';
import { formatTime } from '../time.js';
import type { CliIo } from './cliIo.js';
import { DIFFERENCES_EXIT_CODE, type ReconcileCommandOptions } from './reconcileCommand.js';
import { reportFailure } from './reportFailure.js';

/**
 * Runs `uet-tag reconcile` (with the command's modules, loaded only for it): prints the
 * reconciliation and sets exit code 2 when anything differs, or reports the failure.
 *
 * @example
 * ```ts
 * await runReconcileCommand(processIo, { api: ['goals.json'], db: 'tags.db', at: Date.now(), attribution: 'none' });
 * ```
 */
export async function runReconcileCommand(
  io: CliIo,
  options: ReconcileCommandOptions,
): Promise<void> {
  try {
    await runReconcile(io, options);
  } catch (error) {
    reportFailure(io, error);
  }
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

function reconcileJson(found: Reconciliation): ReconcileReport {
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
