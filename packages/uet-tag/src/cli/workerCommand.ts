import type { Command } from 'commander';
import type { CliIo } from './cliIo.js';
import { withModelOptions } from './modelOptions.js';
import { durationArgument, integerAtLeast } from './parseOptions.js';
import { postgresUrl } from './postgresUrl.js';
import type { WorkerCommandOptions } from './runWorker.js';

/**
 * Registers `uet-tag worker`: one worker of a cluster on PostgreSQL. It claims its share of
 * the shards, applies their input logs, and prints what it does as NDJSON (`started`,
 * `claimed`, `released`, `warned`, `lost`, `error`, `stopped`); SIGINT or SIGTERM release its shards
 * and end it with exit code 0.
 *
 * @example
 * ```ts
 * registerWorkerCommand(program, processIo);
 * ```
 */
export function registerWorkerCommand(program: Command, io: CliIo): void {
  const command = program
    .command('worker')
    .description(
      'run monitors for a share of the shards of a PostgreSQL cluster, fed by its input log',
    )
    .requiredOption('--db <url>', 'the PostgreSQL database (postgresql://…)', postgresUrl)
    .option('--schema <name>', 'the schema that holds the cluster', 'uet')
    .option(
      '--shards <n>',
      "the shard count, fixed when the schema is made (default: the schema's, 16 for a new one)",
      integerAtLeast(1),
    )
    .option(
      '--lease-ttl <duration>',
      'how long a lease lasts without renewal',
      durationArgument(),
      10_000,
    )
    .option('--batch-size <n>', 'most inputs per commit', integerAtLeast(1), 2_000)
    .option(
      '--poll <duration>',
      'look at the input log at least this often',
      durationArgument(),
      1_000,
    );
  withModelOptions(command)
    .option('--auto-register', 'register a tag at its first input')
    .option(
      '--warn-before <duration>',
      "warn (to the front nodes' webhooks) when a tag turns Inactive within this long if nothing arrives",
      durationArgument(),
    )
    .option(
      '--metrics-port <port>',
      'serve Prometheus metrics on 127.0.0.1:<port>/metrics (0: a free port, named in the started event)',
      integerAtLeast(0),
    )
    .action(async (options: WorkerCommandOptions) => {
      const { runWorker } = await import('./runWorker.js');
      await runWorker(options, io);
    });
}
