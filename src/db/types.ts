/** The SQL dialects airlock speaks. */
export type Dialect = 'sqlite' | 'postgres';

/** A result row: column name -> value. */
export type Row = Record<string, unknown>;

/**
 * One schema's handle. SQL uses `?` placeholders in both dialects; the PostgreSQL handle numbers
 * them. Values: strings, numbers, null, Buffers; BIGINT columns come back as numbers.
 */
export interface Db {
  /** Which dialect this handle speaks. */
  readonly dialect: Dialect;
  /** Runs one statement and returns its rows (empty for statements without rows). */
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one statement and returns how many rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs parameterless SQL that may hold several statements (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /** Inserts many rows fast (one prepared statement on SQLite, multi-row INSERTs on PostgreSQL); values: string, number, null, Buffer. */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void>;
  /** Runs fn in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs fn on one dedicated connection outside a transaction (session locks, multi-step DDL). */
  session<T>(fn: (db: Db) => Promise<T>): Promise<T>;
}

/** The three schemas of the design: engine, enterprise (RBAC) and the isolated feed store. */
export type SchemaName = 'engine' | 'enterprise' | 'feeds';

export const schemaNames: readonly SchemaName[] = ['engine', 'enterprise', 'feeds'];
