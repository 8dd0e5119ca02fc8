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
 * A process that takes batches of input records (one JSON line each) into a cluster's
 * input log: `send` resolves `true` once the batch is acknowledged (durable), `false` when
 * no acknowledgement came (the process died first): the batch may or may not be in the log.
 */
export interface InputNode {
  readonly process: JsonLinesChild;
  /** How many lines were sent and are not answered yet. */
  linesInFlight(): number;
  send(lines: readonly string[]): Promise<boolean>;
}

/** An `uet-tag ingest --ack` process fed on stdin; acknowledgements name the last durable line. */
export class IngestNode implements InputNode {
  readonly process: JsonLinesChild;
  private sent = 0;
  private acknowledged = 0;

  constructor(entry: string, url: string, schema: string) {
    this.process = spawnJsonLines(
      [entry, 'ingest', '--db', url, '--schema', schema, '--ack', '--batch-size', '4000'],
      repoRoot,
    );
    this.process.child.stdin.on('error', () => {});
  }

  linesInFlight(): number {
    return this.sent - this.acknowledged;
  }

  async send(lines: readonly string[]): Promise<boolean> {
    this.sent += lines.length;
    const through = this.sent;
    this.process.child.stdin.write(lines.map((line) => `${line}\n`).join(''));
    try {
      await this.process.waitForLine(
        (printed) => (printed as { line: number }).line >= through,
        600_000,
      );
    } catch {
      return false;
    }
    this.acknowledged = Math.max(this.acknowledged, through);
    return true;
  }

  /** Ends its input; resolves with its exit code. */
  async close(): Promise<number | string> {
    this.process.child.stdin.end();
    return this.process.exited();
  }
}

/**
 * A `uet-tag serve --db postgresql://…` node: batches go to `POST /inputs` as NDJSON and
 * are acknowledged by a 200 that accepted all of them; `beacon` sends a collector hit,
 * acknowledged by its 204. Any other answer, or none, is not an acknowledgement.
 */
export class ServeNode implements InputNode {
  /** Answers that were neither an acknowledgement nor a lost connection, for the report. */
  readonly refusals: string[] = [];
  private inFlight = 0;

  private constructor(
    readonly process: JsonLinesChild,
    /** Its base URL (`http://127.0.0.1:port`). */
    readonly url: string,
  ) {}

  /** Starts a node; resolves once it listens. */
  static async start(entry: string, url: string, schema: string): Promise<ServeNode> {
    const node = await listeningServeNode(
      [entry, 'serve', '--db', url, '--schema', schema, '--port', '0'],
      60_000,
    );
    return new ServeNode(node.child, node.url);
  }

  linesInFlight(): number {
    return this.inFlight;
  }

  async send(lines: readonly string[]): Promise<boolean> {
    this.inFlight += lines.length;
    try {
      const response = await fetch(`${this.url}/inputs`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: lines.join('\n'),
      });
      const text = await response.text();
      const answer =
        response.status === 200 ? (JSON.parse(text) as { accepted: number }) : undefined;
      if (answer?.accepted === lines.length) return true;
      this.refusals.push(`${response.status} ${text.slice(0, 200)}`);
      return false;
    } catch {
      return false;
    } finally {
      this.inFlight -= lines.length;
    }
  }

  /** Sends a collector hit (a page load) for `tagId`; true once answered 204. */
  async beacon(tagId: string): Promise<boolean> {
    this.inFlight += 1;
    try {
      const response = await fetch(
        `${this.url}/action/0?ti=${encodeURIComponent(tagId)}&evt=pageLoad`,
      );
      await response.arrayBuffer();
      if (response.status === 204) return true;
      this.refusals.push(`${response.status} beacon`);
      return false;
    } catch {
      return false;
    } finally {
      this.inFlight -= 1;
    }
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
  return listeningServeNode(
    [entry, 'serve', '--db', url, '--schema', schema, '--port', '0', '--config', configFile],
    20_000,
  );
}

/** Spawns `node <args>` (a serve command); resolves with it and its base URL once it listens. */
async function listeningServeNode(
  args: readonly string[],
  timeoutMs: number,
): Promise<{ child: JsonLinesChild; url: string }> {
  const child = spawnJsonLines(args, repoRoot);
  // A node that does not come up is killed here: the caller never gets it to kill.
  const line = (await child
    .waitForLine(
      (printed) => String((printed as { msg?: unknown }).msg).startsWith('uet-tag serve listening'),
      timeoutMs,
    )
    .catch((error: unknown) => {
      child.child.kill('SIGKILL');
      throw error;
    })) as { msg: string };
  return { child, url: (/http:\/\/[0-9.:]+/.exec(line.msg) as RegExpExecArray)[0] };
}

/** A worker process and the events it printed. */
export function spawnWorker(args: readonly string[]): JsonLinesChild {
  return spawnJsonLines(args, repoRoot);
}
