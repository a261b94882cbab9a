export type { Db, Dialect, Row, SchemaName } from './types.js';
export { schemaNames } from './types.js';
export { openDatabases, redactUrl, type Databases, type DbLocation } from './open.js';
export { shippedMigrations, migrationSetFromFiles, readMigrationTree, type Migration, type MigrationSet } from './migrations.js';
export { migrateSchema, schemaStatus, assertNotTooNew, type SchemaStatus, type SchemaTarget } from './migrate.js';
export { migrateAll, statusAll, checkSchemas } from './lifecycle.js';
export { skipLocked } from './dialect.js';
