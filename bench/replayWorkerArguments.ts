/**
 * The command line of `bench/replayFormatWorker.ts` after `node` and its own flags: run by
 * `bench/replay.ts` (every side, timed) and `bench/replayInstructions.ts` (one side, under
 * valgrind).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'replayFormatWorker.ts');

/**
 * The worker's arguments: the source conditions and `tsx`, the worker, the input's name,
 * its file, the rounds and, when given, the one side to run.
 */
export function replayWorkerArguments(
  name: string,
  file: string,
  rounds: number,
  side?: string,
): string[] {
  return [
    '--conditions=uet-tag-source',
    '--import',
    'tsx',
    worker,
    name,
    file,
    String(rounds),
    ...(side === undefined ? [] : [side]),
  ];
}
