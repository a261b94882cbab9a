import pg from 'pg';
import type { Db, Row } from './types.js';

const placeholderCache = new Map<string, string>();

/** `?` -> `$1, $2, ...`, leaving `?` inside quoted strings and identifiers alone. */
export function numberPlaceholders(sql: string): string {
  const cached = placeholderCache.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  placeholderCache.set(sql, out);
  return out;
}

/** BIGINT (oid 20) and NUMERIC counts as numbers: airlock's BIGINTs are epoch ms and counters. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** A pool whose connections use `schema` first on their search path. */
export function createPool(url: string, schema: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 10_000,
    options: `-c search_path=${schema},public`,
    types,
  });
  // An idle connection that dies (server restart, an administrator terminating it) is dropped by
  // the pool and the next query reconnects; without a listener it would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

type Queryable = pg.Pool | pg.PoolClient;

class PgHandle implements Db {
  readonly dialect = 'postgres' as const;

  constructor(
    private readonly target: Queryable,
    private readonly inTx = false,
  ) {}

  async query<T = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const res = await this.target.query(numberPlaceholders(sql), params as unknown[]);
    return res.rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    const res = await this.target.query(numberPlaceholders(sql), params as unknown[]);
    return res.rowCount ?? 0;
  }

  async exec(sql: string): Promise<void> {
    await this.target.query(sql);
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
    // PostgreSQL takes at most 65535 parameters per statement.
    const perStatement = Math.max(1, Math.floor(65_000 / columns.length));
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      const params: unknown[] = [];
      const tuples = chunk.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
      await this.target.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTx) return fn(this);
    if (!(this.target instanceof pg.Pool)) return inTransaction(this.target, fn);
    const client = await this.target.connect();
    try {
      return await inTransaction(client, fn);
    } finally {
      client.release();
    }
  }

  async session<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (!(this.target instanceof pg.Pool)) return fn(this);
    const client = await this.target.connect();
    let broken = false;
    try {
      return await fn(new PgHandle(client));
    } catch (err) {
      broken = true;
      throw err;
    } finally {
      // A session may hold session-level state (advisory locks): never hand it back dirty.
      client.release(broken);
    }
  }
}

async function inTransaction<T>(client: pg.PoolClient, fn: (tx: Db) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn(new PgHandle(client, true));
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A Db handle over a pool. */
export function pgDb(pool: pg.Pool): Db {
  return new PgHandle(pool);
}
