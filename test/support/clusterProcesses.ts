import { type JsonLinesChild, spawnJsonLines } from './childProcess.js';
import { repoRoot } from './monitorSupport.js';

/** The arguments of `uet-tag worker` in the cluster tests. */
export function workerArgs(
  entry: string,
  url: string,
  schema: string,
  settings: { leaseTtlMs: number; activityWindowMs: number; conversionWindowMs: number },
): string[] {
  return [
    entry,
    'worker',
    '--db',
    url,
    '--schema',
    schema,
    '--lease-ttl',
    String(settings.leaseTtlMs),
    '--poll',
    '200',
    '--activity-window',
    String(settings.activityWindowMs),
    '--conversion-window',
    String(settings.conversionWindowMs),
  ];
}

/**
 * An `uet-tag ingest --ack` process fed line by line: what it was sent, and how much of it
 * it acknowledged (every line up to the last ack is durable in the input log).
 */
export class IngestNode {
  readonly process: JsonLinesChild;
  readonly sent: string[] = [];

  constructor(entry: string, url: string, schema: string) {
    this.process = spawnJsonLines(
      [entry, 'ingest', '--db', url, '--schema', schema, '--ack', '--batch-size', '4000'],
      repoRoot,
    );
    this.process.child.stdin.on('error', () => {});
  }

  /** How many of the lines sent are acknowledged. */
  acknowledged(): number {
    let line = 0;
    for (const printed of this.process.lines)
      line = Math.max(line, (printed as { line: number }).line);
    return line;
  }

  /** Sends lines (each one JSON input record). */
  send(lines: readonly string[]): void {
    for (const line of lines) this.sent.push(line);
    this.process.child.stdin.write(lines.map((line) => `${line}\n`).join(''));
  }

  /** The lines sent and not acknowledged. */
  unacknowledged(): string[] {
    return this.sent.slice(this.acknowledged());
  }
}

/**
 * Starts `uet-tag serve --db <url> --schema <schema> --port 0 --config <file>` in front of a
 * cluster; resolves with the process and its base URL once it listens.
 */
export async function startServeNode(
  entry: string,
  url: string,
  schema: string,
  configFile: string,
): Promise<{ child: JsonLinesChild; url: string }> {
  const child = spawnJsonLines(
    [entry, 'serve', '--db', url, '--schema', schema, '--port', '0', '--config', configFile],
    repoRoot,
  );
  const line = (await child.waitForLine((printed) =>
    String((printed as { msg?: unknown }).msg).startsWith('uet-tag serve listening'),
  )) as { msg: string };
  return { child, url: (/http:\/\/[0-9.:]+/.exec(line.msg) as RegExpExecArray)[0] };
}

/** A worker process and the events it printed. */
export function spawnWorker(args: readonly string[]): JsonLinesChild {
  return spawnJsonLines(args, repoRoot);
}
