import { type Command, InvalidArgumentError } from 'commander';
import type { CliIo } from './cliIo.js';
import { timeArgument } from './parseOptions.js';

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
        if (value !== 'none' && value !== 'click') {
          throw new InvalidArgumentError('expected none or click');
        }
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
      const { runReconcileCommand } = await import('./runReconcile.js');
      await runReconcileCommand(io, options);
    });
}

function fileList(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
