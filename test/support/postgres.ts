import { SyncPostgres } from '../../packages/uet-tag/src/postgres/SyncPostgres.js';

/** The PostgreSQL the tests use: `DATABASE_URL`, or the local one of the README. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/**
 * A schema of its own for one test file, so runs never see each other: its name, and a
 * function that drops it (call it in `afterAll`).
 *
 * @example
 * ```ts
 * const { schema, drop } = testSchema('stores');
 * afterAll(drop);
 * ```
 */
export function testSchema(label: string): { schema: string; drop: () => void } {
  const schema = `uet_test_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    schema,
    drop: () => {
      const sql = new SyncPostgres({ connectionString: DATABASE_URL });
      try {
        sql.run([{ text: `DROP SCHEMA IF EXISTS "${schema}" CASCADE` }]);
      } finally {
        sql.close();
      }
    },
  };
}
