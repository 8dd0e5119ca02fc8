import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createService, type Service } from '../../packages/uet-tag/src/service/createService.js';
import { loadServiceConfig } from '../../packages/uet-tag/src/service/serviceConfig.js';

/** A service started on a loopback port for a test, with its logs kept. */
export interface TestService {
  readonly service: Service;
  readonly url: string;
  /** Every log line so far, parsed. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** Starts a service with `flags` (port 0 on 127.0.0.1 unless given), logging into memory. */
export async function startService(flags: Record<string, unknown>): Promise<TestService> {
  const logs: Record<string, unknown>[] = [];
  const config = loadServiceConfig({ flags: { port: 0, host: '127.0.0.1', ...flags } });
  const service = await createService(config, {
    logStream: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const url = await service.listen();
  return { service, url, logs, close: () => service.close() };
}

/** A fresh folder for a test's database files; removed by the function returned. */
export function temporaryFolder(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Reads a response's JSON body. */
export async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** Opens `count` TCP connections to the service and resolves once all are connected. */
export async function openSockets(
  url: string,
  count: number,
): Promise<import('node:net').Socket[]> {
  const { connect } = await import('node:net');
  const { hostname, port } = new URL(url);
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Socket>((resolve, reject) => {
          const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
          socket.once('error', reject);
        }),
    ),
  );
}

/**
 * Sends one raw HTTP/1.1 request on each socket, all written in one turn of the event loop
 * (so the server reads them together), and resolves with each response's status code.
 */
export function sendTogether(
  sockets: readonly import('node:net').Socket[],
  requests: readonly string[],
): Promise<number[]> {
  const answers = sockets.map(
    (socket) =>
      new Promise<number>((resolve, reject) => {
        let text = '';
        socket.setEncoding('latin1');
        socket.on('data', (chunk: string) => {
          text += chunk;
          const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
          if (match !== null && text.includes('\r\n\r\n')) {
            resolve(Number(match[1]));
            socket.destroy();
          }
        });
        socket.once('error', reject);
        socket.once('close', () => reject(new Error(`closed without an answer: ${text}`)));
      }),
  );
  for (const [index, socket] of sockets.entries()) socket.write(requests[index] as string);
  return Promise.all(answers);
}
