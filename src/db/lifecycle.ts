import { AirlockError } from '../lib/errors.js';
import { assertNotTooNew, migrateSchema, schemaStatus, type SchemaStatus } from './migrate.js';
import { shippedMigrations, type MigrationSet } from './migrations.js';
import type { Databases } from './open.js';

/** Migrates every schema; returns the migrations applied per schema. */
export async function migrateAll(dbs: Databases, set: MigrationSet = shippedMigrations()): Promise<Record<string, string[]>> {
  const applied: Record<string, string[]> = {};
  for (const target of dbs.targets) applied[target.schema] = await migrateSchema(target, set[target.schema][target.db.dialect]);
  return applied;
}

/** Every schema's state, changing nothing. */
export async function statusAll(dbs: Databases, set: MigrationSet = shippedMigrations()): Promise<SchemaStatus[]> {
  const out: SchemaStatus[] = [];
  for (const target of dbs.targets) out.push(await schemaStatus(target, set[target.schema][target.db.dialect]));
  return out;
}

/** Start-up check: refuses newer schemas; migrates, or refuses pending migrations when told not to. */
export async function checkSchemas(dbs: Databases, migrate: boolean, set: MigrationSet = shippedMigrations()): Promise<void> {
  for (const target of dbs.targets) await assertNotTooNew(target, set[target.schema][target.db.dialect]);
  if (migrate) {
    await migrateAll(dbs, set);
    return;
  }
  const pending = (await statusAll(dbs, set)).filter((s) => s.pending.length > 0);
  if (pending.length > 0) {
    throw new AirlockError(
      'DB_MIGRATION_FAILED',
      `pending migrations in ${pending.map((s) => s.schema).join(', ')}: run 'airlock db migrate' first`,
    );
  }
}
