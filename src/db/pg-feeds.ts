import { AirlockError } from '../lib/errors.js';
import type { FeedStaging } from './feeds-staging.js';
import { dropSecondaryIndexes, rebuildIndexes } from './indexes.js';
import { createPool, pgDb } from './postgres.js';

/** The schema a PostgreSQL import loads into before it becomes airlock_feeds. */
export const pgStagingSchema = 'airlock_feeds_staging';

/**
 * Loads into a staging schema; swap() renames it to airlock_feeds in one transaction. A session
 * advisory lock keeps imports apart; a staging schema left by a dead import is dropped first.
 */
export async function pgFeedStaging(url: string): Promise<FeedStaging> {
  const pool = createPool(url, pgStagingSchema);
  const lock = await pool.connect();
  const [row] = (await lock.query(`SELECT pg_try_advisory_lock(hashtext('airlock.feeds.import')) AS ok`)).rows as Array<{ ok: boolean }>;
  if (!row?.ok) {
    lock.release();
    await pool.end();
    throw new AirlockError('INVALID_INPUT', 'another feed import is running on this PostgreSQL; wait for it to finish');
  }
  await lock.query(`DROP SCHEMA IF EXISTS ${pgStagingSchema} CASCADE; CREATE SCHEMA ${pgStagingSchema}`);
  let finished = false;
  const finish = async () => {
    finished = true;
    await lock.query(`SELECT pg_advisory_unlock(hashtext('airlock.feeds.import'))`);
    lock.release();
    await pool.end();
  };
  const db = pgDb(pool);
  return {
    db,
    async bulkLoad(fn) {
      return db.transaction(async (tx) => {
        const indexes = await dropSecondaryIndexes(tx, pgStagingSchema);
        const result = await fn(tx);
        await rebuildIndexes(tx, indexes);
        return result;
      });
    },
    async swap() {
      if (finished) throw new Error('staging already finished');
      await lock.query('BEGIN');
      try {
        await lock.query(`DROP SCHEMA IF EXISTS airlock_feeds_retired CASCADE`);
        await lock.query(`ALTER SCHEMA airlock_feeds RENAME TO airlock_feeds_retired`);
        await lock.query(`ALTER SCHEMA ${pgStagingSchema} RENAME TO airlock_feeds`);
        await lock.query(`DROP SCHEMA airlock_feeds_retired CASCADE`);
        await lock.query('COMMIT');
      } catch (err) {
        await lock.query('ROLLBACK');
        throw err;
      }
      await finish();
    },
    async discard() {
      if (finished) return;
      await lock.query(`DROP SCHEMA IF EXISTS ${pgStagingSchema} CASCADE`);
      await finish();
    },
  };
}
