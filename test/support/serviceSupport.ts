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
