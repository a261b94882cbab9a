import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabases } from '../../test/dbs.js';
import { pgAdminUrl } from '../../test/pg.js';
import { migrateAll } from './index.js';
import { numberPlaceholders } from './postgres.js';

describe('PostgreSQL handles', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('survive the server terminating their idle connections, and reconnect', async () => {
    const { dbs, location, cleanup } = await freshDatabases('postgres');
    cleanups.push(cleanup);
    await migrateAll(dbs);
    await Promise.all([dbs.engine.query('SELECT 1'), dbs.enterprise.query('SELECT 1'), dbs.feeds.query('SELECT 1')]);
    const admin = new pg.Client({ connectionString: pgAdminUrl });
    await admin.connect();
    const database = new URL(location.db!).pathname.slice(1);
    const killed = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    await admin.end();
    expect(killed.rowCount).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(await dbs.ping()).toBe(true);
    expect(await dbs.enterprise.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM accounts')).toEqual([{ n: 0 }]);
  });

  it('number ? placeholders outside quoted strings and identifiers', () => {
    expect(numberPlaceholders(`SELECT '?' AS q, "a?b" FROM t WHERE a = ? AND b IN (?, ?)`)).toBe(`SELECT '?' AS q, "a?b" FROM t WHERE a = $1 AND b IN ($2, $3)`);
  });
});
