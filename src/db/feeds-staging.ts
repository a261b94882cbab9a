import type { Db } from './types.js';

/**
 * A new, empty, migrated feed store being loaded next to the live one. Nothing reads it until
 * swap() makes it the live store in one atomic step; discard() or a crash leaves the live store
 * exactly as it was.
 */
export interface FeedStaging {
  /** Handle on the staging store. */
  readonly db: Db;
  /** Loads with the secondary indexes dropped, then builds them once (run inside one transaction). */
  bulkLoad<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Atomically replaces the live feed store with this one. */
  swap(): Promise<void>;
  /** Removes the staging store. */
  discard(): Promise<void>;
}
