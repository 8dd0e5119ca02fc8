import type pg from 'pg';
import { createFrontService } from '../../packages/uet-tag/src/service/createFrontService.js';
import { loadServiceConfig } from '../../packages/uet-tag/src/service/serviceConfig.js';
import type { RunningService } from '../../packages/uet-tag/src/service/serviceOptions.js';

/** A front node (`createFrontService`) started in this process on a loopback port. */
export interface TestFrontNode {
  readonly node: RunningService;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a front node of the cluster in `schema`, logging nowhere. */
export async function startFrontNode(
  db: string,
  schema: string,
  flags: Record<string, unknown> = {},
): Promise<TestFrontNode> {
  const config = loadServiceConfig({
    flags: { db, schema, port: 0, host: '127.0.0.1', ...flags },
  });
  const node = await createFrontService(config, { logStream: { write: () => true } });
  const url = await node.listen();
  return { node, url, close: () => node.close() };
}

/** Resolves once every shard's owner applied its whole input log. */
export async function caughtUp(pool: pg.Pool, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const behind = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM input_heads AS h LEFT JOIN shard_state AS s USING (shard)
       WHERE h.last_pos > coalesce(s.checkpoint::bigint, 0)`,
    );
    if (Number(behind.rows[0]?.n) === 0) return;
    if (Date.now() > deadline) throw new Error('the workers did not apply the input log in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
