import type { Command } from 'commander';
import type { CliIo } from './cliIo.js';
import { integerAtLeast } from './parseOptions.js';
import { postgresUrl } from './postgresUrl.js';
import type { IngestCommandOptions } from './runIngest.js';

/**
 * Registers `uet-tag ingest`: reads input records (version 1) as NDJSON from stdin and
 * appends them to a PostgreSQL cluster's input log, a batch per commit (at most
 * `--batch-size`, whatever a read brought); with `--ack`, prints `{"kind":"ack","line":N}`
 * once every line up to N is durable. Bad lines are reported on stderr and skipped.
 *
 * @example
 * ```ts
 * registerIngestCommand(program, processIo);
 * ```
 */
export function registerIngestCommand(program: Command, io: CliIo): void {
  program
    .command('ingest')
    .description("append NDJSON input records from stdin to a PostgreSQL cluster's input log")
    .requiredOption('--db <url>', 'the PostgreSQL database (postgresql://…)', postgresUrl)
    .option('--schema <name>', 'the schema that holds the cluster', 'uet')
    .option('--batch-size <n>', 'most inputs per commit', integerAtLeast(1), 5_000)
    .option(
      '--ack',
      'after each commit, print {"kind":"ack","line":N}: every line up to N is durable',
    )
    .action(async (options: IngestCommandOptions) => {
      const { runIngest } = await import('./runIngest.js');
      await runIngest(options, io);
    });
}
