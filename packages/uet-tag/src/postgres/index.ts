export type { HeldLease, PostgresStoreOptions } from './postgresStore.js';
export { createPostgresStore } from './postgresStore.js';
export type { SqlStatement, SqlTransaction, SyncPostgresOptions } from './SyncPostgres.js';
export { SqlFailure, SyncPostgres } from './SyncPostgres.js';
export { POSTGRES_SCHEMA_VERSION } from './schema.js';
