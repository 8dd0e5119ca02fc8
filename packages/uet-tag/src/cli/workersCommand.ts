import type { Command } from 'commander';
import type { CliIo } from './cliIo.js';
import { postgresUrl } from './postgresUrl.js';
import type { WorkersCommandOptions } from './runWorkers.js';

/**
 * Registers `uet-tag workers`: the workers of a PostgreSQL cluster, their shards, input
 * lag, last heartbeat and takeovers, and the shards nobody holds; as a table or `--json`.
 *
 * @example
 * ```ts
 * registerWorkersCommand(program, processIo);
 * ```
 */
export function registerWorkersCommand(program: Command, io: CliIo): void {
  program
    .command('workers')
    .description('list the workers of a PostgreSQL cluster: shards, lag, heartbeat')
    .requiredOption('--db <url>', 'the PostgreSQL database (postgresql://…)', postgresUrl)
    .option('--schema <name>', 'the schema that holds the cluster', 'uet')
    .option('--json', 'print JSON')
    .action(async (options: WorkersCommandOptions) => {
      const { runWorkers } = await import('./runWorkers.js');
      await runWorkers(options, io);
    });
}
