import type { Db } from './types.js';

/**
 * Row-claim clause for a `SELECT ... LIMIT 1` subquery: PostgreSQL skips rows other workers hold;
 * SQLite runs each statement alone, so it needs nothing.
 */
export function skipLocked(db: Db): string {
  return db.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
}
