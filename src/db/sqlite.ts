import type BetterSqlite3 from 'better-sqlite3';
import type { Db, Row } from './types.js';
import { openSqliteFile } from './sqlite-native.js';

/** Rows per multi-row INSERT of insertMany. */
const rowsPerInsert = 16;

/**
 * One better-sqlite3 connection shared by the handles that use it. better-sqlite3 is synchronous,
 * so a transaction that awaits between statements must keep every other caller out until it ends:
 * `tail` serializes transactions, and plain statements wait behind an open one.
 */
export class SqliteConnection {
  private tail: Promise<unknown> = Promise.resolve();
  private txOpen = false;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(readonly raw: BetterSqlite3.Database) {}

  /** Opens a file with the pragmas airlock relies on (journal mode, busy timeout, foreign keys). */
  static open(file: string, journal: 'WAL' | 'DELETE' | 'OFF' = 'WAL'): SqliteConnection {
    const raw = openSqliteFile(file);
    raw.pragma(`journal_mode = ${journal}`);
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('foreign_keys = ON');
    return new SqliteConnection(raw);
  }

  prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.raw.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Waits for an open transaction, if any, before running fn. */
  whenFree<T>(fn: () => T): Promise<T> {
    if (!this.txOpen) {
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.exclusive(async () => fn());
  }

  /** Runs fn with the connection to itself. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(async () => {
      this.txOpen = true;
      try {
        return await fn();
      } finally {
        this.txOpen = false;
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.statements.clear();
    if (this.raw.open) this.raw.close();
  }
}

function toSqliteParam(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}

function execute(conn: SqliteConnection, sql: string, params: readonly unknown[] = []): { rows: Row[]; changes: number } {
  const stmt = conn.prepare(sql);
  const args = params.map(toSqliteParam);
  if (stmt.reader) return { rows: stmt.all(...args) as Row[], changes: 0 };
  return { rows: [], changes: stmt.run(...args).changes };
}

/**
 * How a handle reaches its connection: 'shared' waits behind open transactions; 'session' and
 * 'tx' already hold the connection (inside session() or transaction()).
 */
type Access = 'shared' | 'session' | 'tx';

/** A Db handle over a SqliteConnection. */
export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;

  constructor(
    readonly connection: SqliteConnection,
    private readonly access: Access = 'shared',
  ) {}

  private run$<T>(fn: () => T): Promise<T> {
    if (this.access !== 'shared') {
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.connection.whenFree(fn);
  }

  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.run$(() => execute(this.connection, sql, params).rows as T[]);
  }

  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.run$(() => execute(this.connection, sql, params).changes);
  }

  exec(sql: string): Promise<void> {
    return this.run$(() => {
      this.connection.raw.exec(sql);
    });
  }

  insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
    return this.run$(() => {
      // Multi-row statements: a bulk load spends a fifth less time per row than with one row each.
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      const insert = (n: number) => this.connection.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(n).fill(tuple).join(', ')}`);
      const many = insert(rowsPerInsert);
      const params: unknown[] = new Array(rowsPerInsert * columns.length);
      let i = 0;
      for (; i + rowsPerInsert <= rows.length; i += rowsPerInsert) {
        let k = 0;
        for (let r = i; r < i + rowsPerInsert; r++) {
          const row = rows[r]!;
          // The parameter array is reused: a short row would leave the previous row's values bound.
          if (row.length !== columns.length) throw new Error(`insert into ${table}: row has ${row.length} values for ${columns.length} columns`);
          for (const v of row) params[k++] = v;
        }
        many.run(params);
      }
      const one = insert(1);
      for (; i < rows.length; i++) one.run(rows[i] as unknown[]);
    });
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.access === 'tx') return fn(this);
    if (this.access === 'session') return this.inTransaction(fn);
    return this.connection.exclusive(() => this.inTransaction(fn));
  }

  session<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (this.access !== 'shared') return fn(this);
    return this.connection.exclusive(() => fn(new SqliteDb(this.connection, 'session')));
  }

  private async inTransaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const raw = this.connection.raw;
    raw.exec('BEGIN IMMEDIATE');
    try {
      const result = await fn(new SqliteDb(this.connection, 'tx'));
      raw.exec('COMMIT');
      return result;
    } catch (err) {
      if (raw.inTransaction) raw.exec('ROLLBACK');
      throw err;
    }
  }
}
