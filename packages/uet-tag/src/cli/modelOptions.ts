import type { Command } from 'commander';
import { durationArgument, integerAtLeast } from './parseOptions.js';

/**
 * Adds the options of the model that every command running a monitor takes:
 * `--activity-window`, `--conversion-window`, `--allowed-skew` and `--history`.
 *
 * @example
 * ```ts
 * withModelOptions(program.command('monitor')).option('--ack', '…');
 * ```
 */
export function withModelOptions(command: Command): Command {
  return command
    .option('--activity-window <duration>', 'the activity window (default 24h)', durationArgument())
    .option(
      '--conversion-window <duration>',
      'the conversion window (default 7d)',
      durationArgument(),
    )
    .option(
      '--allowed-skew <duration>',
      'how far in the future an input may be stamped (default 5m)',
      durationArgument(true),
    )
    .option('--history <n>', 'status changes kept per tag (default 10)', integerAtLeast(0));
}
