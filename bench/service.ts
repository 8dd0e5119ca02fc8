/**
 * `uet-tag serve` collecting beacons durably on SQLite, side by side in one run with the
 * floor (a bare `node:http` server answering 204), what a user would write instead (a
 * `node:http` server with one SQLite transaction per hit) and the service in memory. Every
 * side is a server process of its own on loopback, loaded by autocannon (64 connections)
 * with beacons of 10,000 tags drawn at random for each request (fresh inputs every round),
 * in short rounds whose side order rotates (every server runs throughout, so the rounds
 * alternate the sides within seconds); rates and latencies are medians over the rounds, and
 * ratios are taken within each round. Then the SSE fan-out: how long one change takes to
 * reach 1,000 connected `GET /changes` clients. Run: `npm run bench -- service`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const ROUNDS = 8;
const SECONDS = 3;
const CONNECTIONS = 64;
const TAGS = 10_000;
const SSE_CLIENTS = 1_000;
const SSE_CHANGES = 30;
/** Linux's clock ticks per second in /proc/<pid>/stat (`getconf CLK_TCK`). */
const CLOCK_TICKS = 100;

type Side = 'floor' | 'naive' | 'memory' | 'sqlite' | 'sqliteNormal';
const SIDES: readonly Side[] = ['floor', 'naive', 'memory', 'sqlite', 'sqliteNormal'];
const LABELS: Record<Side, string> = {
  floor: 'bare `node:http` answering 204 (the floor)',
  naive: '`node:http` + one SQLite transaction per hit (what a user would write)',
  memory: '`uet-tag serve --memory`',
  sqlite: '`uet-tag serve --db` (durable: group commit, WAL fdatasync off the event loop)',
  sqliteNormal: '`uet-tag serve --db --synchronous normal` (survives a process crash)',
};

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
}

/** Starts a side's server and resolves with its port. */
function startSide(side: Side, dir: string): Promise<Running> {
  const args =
    side === 'floor' || side === 'naive'
      ? [
          '--import',
          'tsx',
          path.join(here, 'serviceFloorServer.ts'),
          side,
          path.join(dir, `${side}-${Date.now()}.db`),
        ]
      : [
          '--conditions=uet-tag-source',
          '--import',
          'tsx',
          path.join(root, 'packages/uet-tag/src/cli/bin.ts'),
          'serve',
          ...(side === 'memory'
            ? ['--memory']
            : ['--db', path.join(dir, `service-${Date.now()}.db`)]),
          '--port',
          '0',
          '--log-level',
          'info',
        ];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.setEncoding('utf8');
    const onData = (chunk: string) => {
      text += chunk;
      for (const line of text.split('\n')) {
        const port =
          /"port":(\d+)/.exec(line)?.[1] ??
          /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(line)?.[1];
        if (port !== undefined) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve({ child, port: Number(port) });
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${side} server exited (${code}) before listening: ${text}`)),
    );
  });
}

async function stopSide(running: Running): Promise<void> {
  const exited = new Promise((resolve) => running.child.once('exit', resolve));
  running.child.kill('SIGTERM');
  await exited;
}

interface Load {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  /** The server process's processor time (user and system) per beacon answered, in µs. */
  readonly cpuMicros: number;
}

/** A process's processor time so far (user and system, all threads), in seconds (Linux). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function load(running: Running): Promise<Load> {
  const { port } = running;
  const pid = running.child.pid as number;
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({
          ...request,
          path: `/action/0?ti=${26_000_000 + Math.floor(Math.random() * TAGS)}&evt=pageLoad`,
        }),
      },
    ],
  });
  const cpu = cpuSeconds(pid) - cpuBefore;
  return {
    rate: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    cpuMicros: (cpu * 1e6) / Math.max(1, result.requests.total),
  };
}

/** Makes every tag of the load Active before timing, so the service is measured in its steady state. */
async function warmUp(port: number): Promise<void> {
  const at = Date.now();
  const lines = Array.from({ length: TAGS }, (_, index) =>
    JSON.stringify({ kind: 'activity', tagId: String(26_000_000 + index), at }),
  );
  const response = await fetch(`http://127.0.0.1:${port}/inputs`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: lines.join('\n'),
  });
  const result = (await response.json()) as { accepted: number };
  if (result.accepted !== TAGS) throw new Error(`warm-up accepted ${result.accepted} of ${TAGS}`);
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const format = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Connects `count` SSE clients, then posts changes one at a time: how long each takes to reach all. */
async function fanOut(dir: string): Promise<{ p50: number; p99: number; max: number }> {
  const running = await startSide('memory', dir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: SSE_CLIENTS + 10 });
  const received: number[][] = [];
  const requests: http.ClientRequest[] = [];
  await Promise.all(
    Array.from(
      { length: SSE_CLIENTS },
      (_, index) =>
        new Promise<void>((resolve, reject) => {
          const request = http.get(
            { host: '127.0.0.1', port: running.port, path: '/changes', agent },
            (response) => {
              response.setEncoding('utf8');
              let buffer = '';
              response.on('data', (chunk: string) => {
                buffer += chunk;
                let end = buffer.indexOf('\n\n');
                while (end >= 0) {
                  const seq = /^id: (\d+)$/m.exec(buffer.slice(0, end))?.[1];
                  if (seq !== undefined) {
                    const arrivals = received[Number(seq)] ?? [];
                    arrivals[index] = performance.now();
                    received[Number(seq)] = arrivals;
                  }
                  buffer = buffer.slice(end + 2);
                  end = buffer.indexOf('\n\n');
                }
              });
              resolve();
            },
          );
          request.on('error', reject);
          requests.push(request);
        }),
    ),
  );
  const times: number[] = [];
  for (let seq = 1; seq <= SSE_CHANGES; seq++) {
    const started = performance.now();
    await fetch(`http://127.0.0.1:${running.port}/action/0?ti=fanout-${seq}`);
    for (;;) {
      const arrivals = received[seq] ?? [];
      if (arrivals.filter((at) => at !== undefined).length === SSE_CLIENTS) {
        times.push(Math.max(...arrivals) - started);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  for (const request of requests) request.destroy();
  agent.destroy();
  await stopSide(running);
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: median(times),
    p99: sorted[Math.ceil(sorted.length * 0.99) - 1] as number,
    max: sorted.at(-1) as number,
  };
}

/** Runs the benchmark and returns its Markdown report. */
export async function run(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'uet-bench-service-'));
  const load0 = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  const results: Record<Side, Load[]> = {
    floor: [],
    naive: [],
    memory: [],
    sqlite: [],
    sqliteNormal: [],
  };
  const servers = new Map<Side, Running>();
  try {
    // Every side's server runs for the whole benchmark (idle while another is loaded), so
    // that short rounds in rotated order can alternate them and a change of the machine's
    // load moves every side alike.
    for (const side of SIDES) {
      const running = await startSide(side, dir);
      servers.set(side, running);
      if (side !== 'floor' && side !== 'naive') await warmUp(running.port);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = SIDES.map((_, index) => SIDES[(index + round) % SIDES.length] as Side);
      for (const side of order) {
        results[side].push(await load(servers.get(side) as Running));
      }
    }
    for (const running of servers.values()) await stopSide(running);
    servers.clear();
    const fan = await fanOut(dir);
    const ratio = (side: Side) =>
      results[side].map((result, round) => result.rate / (results.floor[round] as Load).rate);
    const rows = SIDES.map((side) => {
      const ratios = ratio(side);
      const rates = results[side].map((result) => result.rate);
      const cpu = results[side].map((result) => result.cpuMicros);
      const cpuRatios = results[side].map(
        (result, round) => (results.floor[round] as Load).cpuMicros / result.cpuMicros,
      );
      return `| ${LABELS[side]} | ${format(median(rates))} | ${format(median(ratios), 2)} (${format(Math.min(...ratios), 2)}–${format(Math.max(...ratios), 2)}) | ${format(median(results[side].map((r) => r.p50)))} | ${format(median(results[side].map((r) => r.p99)))} | ${results[side].reduce((sum, r) => sum + r.non2xx, 0)} | ${format(median(cpu))} | ${format(median(cpuRatios), 2)} (${format(Math.min(...cpuRatios), 2)}–${format(Math.max(...cpuRatios), 2)}) |`;
    });
    const durable = median(ratio('sqlite'));
    return [
      '## Service: beacons per second',
      '',
      `Reproduce: \`npm run bench -- service\` (about ${Math.ceil((ROUNDS * SIDES.length * (SECONDS + 0.5) + 60) / 60)} minutes). Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load average ${load0} at the start (shared with other work, which moves absolute rates more than ratios).`,
      '',
      `Each side is a server process of its own on 127.0.0.1, all started (and warmed up) before the first round and left running, loaded one at a time by autocannon in the benchmark's process (the load generator shares the 2 cores), ${CONNECTIONS} connections, ${SECONDS} s per side per round, ${ROUNDS} rounds with the side order rotated; every request is a beacon \`GET /action/0?ti=<one of ${format(TAGS)} tag ids, drawn at random per request>&evt=pageLoad\`; before timing, every one of these tags is made \`Active\` through \`POST /inputs\` (the steady state: a hit changes no status). Rates and latencies are medians over the rounds, ratios are taken within each round (median, lowest–highest). Latencies in ms.`,
      '',
      '| side | beacons/s | vs floor | p50 ms | p99 ms | non-2xx | server CPU µs/beacon | floor CPU ÷ side CPU |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      `Target: durable on SQLite at least 0.5× the floor: ${format(durable, 2)} durable (${durable >= 0.5 ? 'met' : '**missed**'}), ${format(median(ratio('sqliteNormal')), 2)} with \`--synchronous normal\` (no flush; survives a process crash, not a power loss) (${median(ratio('sqliteNormal')) >= 0.5 ? 'met' : '**missed**'}). A beacon is answered once an \`fdatasync\` of the WAL that started after its commit has returned.`,
      '',
      '### Change stream fan-out',
      '',
      `${format(SSE_CLIENTS)} clients connected to \`GET /changes\` of \`uet-tag serve --memory\`; ${SSE_CHANGES} changes made one after another (a new tag's first hit each): from sending the hit to the last of the ${format(SSE_CLIENTS)} clients receiving its change, p50 ${format(fan.p50, 1)} ms, p99 ${format(fan.p99, 1)} ms, max ${format(fan.max, 1)} ms (the clients run in the benchmark's process, so their parsing is inside the time).`,
      '',
    ].join('\n');
  } finally {
    for (const running of servers.values()) running.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
