import { type Command, Option } from 'commander';
import { DEFAULT_MAX_LINE_BYTES } from '../io/LineSplitter.js';
import { isPostgresUrl } from '../postgres/isPostgresUrl.js';
import type { CliIo } from './cliIo.js';
import { type FeedStart, parseFeedStart } from './feedCursor.js';
import { withModelOptions } from './modelOptions.js';
import { durationArgument, integerAtLeast } from './parseOptions.js';
import type { MonitorCommandOptions, MonitorEnvironment } from './runMonitor.js';

export type { MonitorCommandOptions, MonitorEnvironment } from './runMonitor.js';

/** The options of a cluster monitor only. */
interface ClusterOnlyOptions {
  readonly schema?: string;
  readonly from?: FeedStart;
}

const CLUSTER_ONLY = ['schema', 'from'];
/** The options of a monitor that keeps the state itself. */
const LOCAL_ONLY = [
  'memory',
  'follow',
  'activityWindow',
  'conversionWindow',
  'allowedSkew',
  'history',
  'commitInterval',
  'clock',
  'autoRegister',
  'maxLineBytes',
];

const processEnvironment: MonitorEnvironment = { stdin: process.stdin, signals: process };

/**
 * Registers `uet-tag monitor`: reads input records (version 1) as NDJSON from stdin or a
 * followed file, keeps the tags' state in a SQLite file, and writes every status change
 * as one JSON line on stdout once it is durable. SIGINT or SIGTERM commit, close the file
 * and end with exit code 0; so does a closed stdout (`| head`). With a `postgresql://`
 * `--db` it is a client of a cluster instead (see `runClusterMonitor`): it prints the
 * cluster's changes from its change log and appends stdin's records to its input log.
 *
 * @example
 * ```ts
 * registerMonitorCommand(program, processIo);
 * ```
 */
export function registerMonitorCommand(
  program: Command,
  io: CliIo,
  environment: MonitorEnvironment = processEnvironment,
): void {
  const command = program
    .command('monitor')
    .description(
      'watch many tags: read inputs as NDJSON, keep state in SQLite, print status changes as NDJSON',
    )
    .option(
      '--db <file>',
      'the SQLite file that keeps the state, or a postgresql:// cluster to follow and feed',
      'uet-tag-monitor.db',
    )
    .option(
      '--schema <name>',
      'with a postgresql:// --db: the schema that holds the cluster (default uet)',
    )
    .option(
      '--from <position>',
      "with a postgresql:// --db: now (the default), start, or the position of the last change had (a printed change's position, or the resume point printed at exit)",
      parseFeedStart,
    )
    .addOption(new Option('--memory', 'keep the state in memory only').conflicts('db'))
    .option(
      '--follow <file>',
      'read inputs appended to this file (like tail -F: across rotations) instead of stdin; resumes where the last run stopped',
    );
  withModelOptions(command)
    .option('--batch-size <n>', 'commit once this many inputs wait', integerAtLeast(1), 1_000)
    .option(
      '--commit-interval <duration>',
      'commit at the latest this long after the first input that waits (group commit)',
      durationArgument(true),
      10,
    )
    .addOption(
      new Option(
        '--clock <clock>',
        "wall: the monitor's time is the wall clock's; records: each input is processed at its own time, as a live monitor would have (to import a recorded backlog, or to test)",
      )
        .choices(['wall', 'records'])
        .default('wall'),
    )
    .option(
      '--auto-register',
      'register a tag at its first input, and attach a goal at its first conversion that names its goalType',
    )
    .option(
      '--max-line-bytes <n>',
      'the longest input line; longer ones are reported and skipped',
      integerAtLeast(1),
      DEFAULT_MAX_LINE_BYTES,
    )
    .option(
      '--poll <duration>',
      'with --follow: how often to look for new lines',
      durationArgument(),
      200,
    )
    .option(
      '--ack',
      'after each commit, print {"kind":"ack","line":N,"offset":B} (with "file" when following): every line up to there is durable',
    )
    .action(async (options: MonitorCommandOptions & ClusterOnlyOptions, self: Command) => {
      const cluster = isPostgresUrl(options.db);
      const given = (name: string) => self.getOptionValueSource(name) === 'cli';
      const misplaced = (cluster ? LOCAL_ONLY : CLUSTER_ONLY).find(given);
      if (misplaced !== undefined) {
        const flag = `--${misplaced.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
        self.error(
          cluster
            ? `error: ${flag} does not apply to a postgresql:// --db (the cluster's workers keep the state)`
            : `error: ${flag} applies only to a postgresql:// --db`,
        );
      }
      if (cluster) {
        const { runClusterMonitor } = await import('./runClusterMonitor.js');
        await runClusterMonitor(options, io, environment);
        return;
      }
      const { runMonitor } = await import('./runMonitor.js');
      await runMonitor(options, io, environment);
    });
}
