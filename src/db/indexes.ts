import type { Db } from './types.js';

/**
 * Drops the secondary indexes of a freshly migrated store and returns the statements that rebuild
 * them: bulk loads run far faster into bare tables, with each index built once at the end.
 * pgSchema names the PostgreSQL schema; SQLite uses the handle's main database.
 */
export async function dropSecondaryIndexes(db: Db, pgSchema?: string): Promise<string[]> {
  const rows =
    db.dialect === 'postgres'
      ? await db.query<{ name: string; sql: string }>(
          `SELECT indexname AS name, indexdef AS sql FROM pg_indexes i
           WHERE schemaname = ? AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
          [pgSchema],
        )
      : await db.query<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`);
  for (const row of rows) await db.exec(`DROP INDEX ${db.dialect === 'postgres' ? `${pgSchema}.` : ''}${row.name}`);
  return rows.map((r) => r.sql);
}

/** Runs the statements dropSecondaryIndexes returned. */
export async function rebuildIndexes(db: Db, statements: string[]): Promise<void> {
  for (const sql of statements) await db.exec(sql);
}
