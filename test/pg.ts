import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the suites run against (CI and dev machines run one on loopback). */
export const pgAdminUrl = process.env.AIRLOCK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Creates an empty database for one suite; drop() removes it. Fails loudly when PostgreSQL is down. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `airlock_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL at ${pgAdminUrl} is unreachable (${(err as Error).message}): the PostgreSQL suites need it`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
