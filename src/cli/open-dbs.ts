import type { Config } from '../config/index.js';
import { checkSchemas, openDatabases, type Databases } from '../db/index.js';

/** Opens the databases, checks (and by default migrates) their schemas, runs fn, closes them. */
export async function withDatabases<T>(config: Config, fn: (dbs: Databases) => Promise<T>): Promise<T> {
  const dbs = await openDatabases(config);
  try {
    await checkSchemas(dbs, config.migrateOnStart);
    return await fn(dbs);
  } finally {
    await dbs.close();
  }
}
