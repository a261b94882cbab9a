import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabases, type Databases, type Dialect, type DbLocation } from '../src/db/index.js';
import { createTestDatabase } from './pg.js';

/** Both dialects: every database suite runs against each. */
export const dialects: Dialect[] = ['sqlite', 'postgres'];

/** A fresh, empty location of the given dialect and a cleanup that removes it. */
export async function freshLocation(dialect: Dialect): Promise<{ location: DbLocation; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'airlock-test-'));
  if (dialect === 'sqlite') {
    return { location: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const pgdb = await createTestDatabase();
  return {
    location: { dataDir, db: pgdb.url },
    cleanup: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await pgdb.drop();
    },
  };
}

/** Opens fresh databases of the given dialect. */
export async function freshDatabases(dialect: Dialect): Promise<{ dbs: Databases; location: DbLocation; cleanup: () => Promise<void> }> {
  const { location, cleanup } = await freshLocation(dialect);
  const dbs = await openDatabases(location);
  return {
    dbs,
    location,
    cleanup: async () => {
      await dbs.close();
      await cleanup();
    },
  };
}
