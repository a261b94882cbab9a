import { AirlockError } from '../lib/errors.js';
import type { Migration } from './migrations.js';
import type { Db, SchemaName } from './types.js';

/** Where one schema lives and where its version is tracked. */
export interface SchemaTarget {
  /** The design's schema name. */
  schema: SchemaName;
  /** Handle that reaches the schema. */
  db: Db;
  /** Fully qualified version table, e.g. `enterprise.schema_migrations`. */
  versionTable: string;
  /** PostgreSQL schema to create before migrating (absent on SQLite). */
  pgSchema?: string;
  /** Where it is, for messages: a file path or a URL without password. */
  location: string;
}

/** One schema's migration state. */
export interface SchemaStatus {
  /** The design's schema name. */
  schema: SchemaName;
  /** Where it lives. */
  location: string;
  /** Highest applied version (0 when none). */
  current: number;
  /** Highest version this airlock ships. */
  latest: number;
  /** Migrations not yet applied, in order. */
  pending: Migration[];
  /** Applied migrations whose file changed since (names). */
  modified: string[];
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

async function versionTableExists(target: SchemaTarget): Promise<boolean> {
  if (target.db.dialect === 'postgres') {
    const rows = await target.db.query<{ t: string | null }>('SELECT to_regclass(?)::text AS t', [target.versionTable]);
    return rows[0]?.t != null;
  }
  const [schema, table] = target.versionTable.includes('.') ? target.versionTable.split('.') : ['main', target.versionTable];
  const rows = await target.db.query(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name = ?`, [table]);
  return rows.length > 0;
}

async function appliedMigrations(target: SchemaTarget): Promise<AppliedRow[]> {
  if (!(await versionTableExists(target))) return [];
  return target.db.query<AppliedRow>(`SELECT version, name, checksum FROM ${target.versionTable} ORDER BY version`);
}

function tooNewError(target: SchemaTarget, current: number, latest: number): AirlockError {
  return new AirlockError(
    'DB_SCHEMA_TOO_NEW',
    `the ${target.schema} schema at ${target.location} is at version ${current}, newer than this airlock knows (${latest}); ` +
      'it was written by a newer airlock: run that version, or restore a backup made for this one. Nothing was changed.',
  );
}

/** Reads one schema's state without changing anything. */
export async function schemaStatus(target: SchemaTarget, shipped: Migration[]): Promise<SchemaStatus> {
  const applied = await appliedMigrations(target);
  const current = applied.reduce((max, a) => Math.max(max, a.version), 0);
  const byVersion = new Map(applied.map((a) => [a.version, a]));
  return {
    schema: target.schema,
    location: target.location,
    current,
    latest: shipped.at(-1)?.version ?? 0,
    pending: shipped.filter((m) => !byVersion.has(m.version)),
    modified: shipped.filter((m) => byVersion.has(m.version) && byVersion.get(m.version)!.checksum !== m.checksum).map((m) => m.name),
  };
}

/** Refuses a schema written by a newer airlock. */
export async function assertNotTooNew(target: SchemaTarget, shipped: Migration[]): Promise<SchemaStatus> {
  const status = await schemaStatus(target, shipped);
  if (status.current > status.latest) throw tooNewError(target, status.current, status.latest);
  return status;
}

/**
 * Applies the pending migrations of one schema, each in its own transaction. On PostgreSQL a
 * session advisory lock keeps concurrent migrators apart; every step re-checks the version table
 * inside its transaction, so a migration is never applied twice. Returns the names applied.
 */
export async function migrateSchema(target: SchemaTarget, shipped: Migration[]): Promise<string[]> {
  return target.db.session(async (session) => {
    const pg = session.dialect === 'postgres';
    if (pg) await session.query('SELECT pg_advisory_lock(hashtext(?))', [`airlock.migrate.${target.schema}`]);
    try {
      if (target.pgSchema) await session.exec(`CREATE SCHEMA IF NOT EXISTS ${target.pgSchema}`);
      await session.exec(
        `CREATE TABLE IF NOT EXISTS ${target.versionTable} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`,
      );
      const scoped = { ...target, db: session };
      const status = await assertNotTooNew(scoped, shipped);
      const done: string[] = [];
      for (const m of status.pending) {
        try {
          const applied = await session.transaction(async (tx) => {
            const seen = await tx.query(`SELECT 1 FROM ${target.versionTable} WHERE version = ?`, [m.version]);
            if (seen.length > 0) return false;
            await tx.exec(m.sql);
            await tx.run(`INSERT INTO ${target.versionTable} (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)`, [
              m.version,
              m.name,
              m.checksum,
              new Date().toISOString(),
            ]);
            return true;
          });
          if (applied) done.push(m.name);
        } catch (err) {
          const current = (await schemaStatus(scoped, shipped)).current;
          throw new AirlockError(
            'DB_MIGRATION_FAILED',
            `${target.schema} migration ${m.name} failed: ${(err as Error).message}. It was rolled back; the schema stays at version ${current}.`,
            { cause: err },
          );
        }
      }
      return done;
    } finally {
      if (pg) await session.query('SELECT pg_advisory_unlock(hashtext(?))', [`airlock.migrate.${target.schema}`]);
    }
  });
}
