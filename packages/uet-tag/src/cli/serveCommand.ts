import type { Command } from 'commander';
import type { CliIo } from './cliIo.js';

/** Signals the command listens to; the process's unless replaced in tests. */
export interface ServeEnvironment {
  readonly signals: {
    once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
    off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  };
  readonly env: Readonly<Record<string, string | undefined>>;
}

const processEnvironment: ServeEnvironment = { signals: process, env: process.env };

/** The flags of `uet-tag serve`, each also a configuration field and a `UET_TAG_*` variable. */
const FLAGS: readonly [flag: string, description: string][] = [
  [
    '--db <file|url>',
    'the SQLite file that keeps the state (default uet-tag-monitor.db), or a postgresql:// URL: a stateless front of a cluster of workers',
  ],
  [
    '--schema <name>',
    'the PostgreSQL schema of the cluster, with a postgresql:// --db (default uet)',
  ],
  ['--memory', 'keep the state in memory only'],
  [
    '--synchronous <mode>',
    'full: every commit survives a power loss; normal: a process crash only, faster (default full)',
  ],
  ['--host <host>', 'the address to listen on (default 127.0.0.1)'],
  ['--port <port>', 'the port to listen on; 0 picks a free one (default 8080)'],
  ['--activity-window <duration>', 'the activity window (default 24h)'],
  ['--conversion-window <duration>', 'the conversion window (default 7d)'],
  ['--allowed-skew <duration>', 'how far in the future an input may be stamped (default 5m)'],
  ['--history <n>', 'status changes kept per tag (default 10)'],
  [
    '--commit-interval <duration>',
    'how long a group commit waits for more requests (default 0: what arrived while the last commit ran)',
  ],
  ['--body-limit <bytes>', 'the largest request body (default 1048576)'],
  ['--request-timeout <duration>', 'how long a request may take to arrive (default 10s)'],
  ['--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default info)'],
  ['--log-personal-data', 'log client addresses, user agents and request targets'],
  ['--write-token <token>', 'the token that opens POST /inputs (and the reads)'],
  ['--read-token <token>', 'the token that opens the queries, /changes and /metrics'],
  ['--admin-token <token>', 'the token that opens everything, the webhook outbox included'],
  ['--webhook-timeout <duration>', 'how long one webhook delivery may take (default 5s)'],
  ['--webhook-attempts <n>', 'attempts before a delivery is dead-lettered (default 8)'],
  ['--webhook-backoff <duration>', 'the first retry delay, doubled each time (default 1s)'],
  [
    '--warn-before <duration>',
    'warn when a tag turns Inactive within this long if nothing arrives',
  ],
  ['--metrics-per-tag', 'export one next-deadline series per tag on /metrics'],
  ['--change-log-limit <n>', 'changes kept for resuming streams and webhooks (default 1000000)'],
];

/**
 * Registers `uet-tag serve`: the collector and monitoring service (see `createService`).
 * Configuration comes from `--config <file>` (JSON or YAML), then the `UET_TAG_*`
 * environment, then the flags. SIGINT or SIGTERM stop it gracefully: it stops taking
 * requests, commits what is in flight, closes the store and exits with code 0.
 *
 * @example
 * ```ts
 * registerServeCommand(program, processIo);
 * ```
 */
export function registerServeCommand(
  program: Command,
  io: CliIo,
  environment: ServeEnvironment = processEnvironment,
): void {
  const command = program
    .command('serve')
    .description('run the collector and monitoring service over HTTP (SQLite by default)')
    .option('--config <file>', 'a JSON or YAML file of settings (webhooks and capiTokens go here)');
  for (const [flag, description] of FLAGS) command.option(flag, description);
  command.action(async (flags: Record<string, unknown>) => {
    const { config: file, ...rest } = flags;
    const { runServe } = await import('./runServe.js');
    await runServe(io, environment, typeof file === 'string' ? file : undefined, rest);
  });
}
