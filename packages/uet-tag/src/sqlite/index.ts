export { readSqliteSnapshot } from './readSqliteSnapshot.js';
export { APPLICATION_ID, SCHEMA_VERSION } from './schema.js';
export type { SqliteMonitorStore, SqliteStoreOptions } from './sqliteStore.js';
export { createSqliteStore } from './sqliteStore.js';
