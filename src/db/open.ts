import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type pg from 'pg';
import { AirlockError } from '../lib/errors.js';
import type { FeedStaging } from './feeds-staging.js';
import { migrateSchema, type SchemaTarget } from './migrate.js';
import { shippedMigrations } from './migrations.js';
import { pgFeedStaging, pgStagingSchema } from './pg-feeds.js';
import { LiveSqliteFeeds, removeStagingLitter, sqliteFeedStaging } from './sqlite-feeds.js';
import { createPool, pgDb } from './postgres.js';
import { SqliteConnection, SqliteDb } from './sqlite.js';
import type { Db, Dialect } from './types.js';

/** Where the databases are: an embedded data directory, or PostgreSQL URLs. */
export interface DbLocation {
  /** Data directory for the embedded SQLite files. */
  dataDir: string;
  /** PostgreSQL URL for engine and enterprise (and feeds unless feedsDb is set). */
  db?: string;
  /** Separate PostgreSQL URL for the isolated feed store. */
  feedsDb?: string;
}

/** The open databases of one airlock process. */
export interface Databases {
  /** Dialect of the engine database. */
  readonly dialect: Dialect;
  /** Engine schema (images, queue, services). */
  readonly engine: Db;
  /** Enterprise schema (accounts, RBAC). */
  readonly enterprise: Db;
  /** The isolated feed store. */
  readonly feeds: Db;
  /** Each schema with its version table, for the migrator. */
  readonly targets: readonly SchemaTarget[];
  /** A new, migrated, empty feed store to load an import into (see FeedStaging). */
  stageFeeds(): Promise<FeedStaging>;
  /** True when every database answers a trivial query. */
  ping(): Promise<boolean>;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** A PostgreSQL URL as it may appear in messages: no password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function migrateStaging(staging: FeedStaging, target: SchemaTarget): Promise<void> {
  try {
    await migrateSchema(target, shippedMigrations().feeds[target.db.dialect]);
  } catch (err) {
    await staging.discard();
    throw err;
  }
}

function prepareDataDir(dir: string): string {
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
    accessSync(abs, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new AirlockError('DATA_DIR_UNUSABLE', `data directory ${abs} cannot be created or written (${code}); choose another with --data-dir`);
  }
  return abs;
}

function openSqlite(dataDir: string): Databases {
  const dir = prepareDataDir(dataDir);
  const engineFile = join(dir, 'engine.db');
  const enterpriseFile = join(dir, 'enterprise.db');
  const feedsFile = join(dir, 'feeds.db');
  const main = SqliteConnection.open(engineFile);
  main.raw.prepare('ATTACH DATABASE ? AS enterprise').run(enterpriseFile);
  main.raw.pragma('enterprise.journal_mode = WAL');
  removeStagingLitter(dir);
  const feeds = new LiveSqliteFeeds(feedsFile);
  const engine = new SqliteDb(main);
  return {
    dialect: 'sqlite',
    engine,
    enterprise: engine,
    feeds,
    targets: [
      { schema: 'engine', db: engine, versionTable: 'main.schema_migrations', location: engineFile },
      { schema: 'enterprise', db: engine, versionTable: 'enterprise.schema_migrations', location: enterpriseFile },
      { schema: 'feeds', db: feeds, versionTable: 'schema_migrations', location: feedsFile },
    ],
    async stageFeeds() {
      const staging = sqliteFeedStaging(feeds);
      await migrateStaging(staging, { schema: 'feeds', db: staging.db, versionTable: 'schema_migrations', location: `${feedsFile} (staging)` });
      return staging;
    },
    async ping() {
      try {
        await engine.query('SELECT 1');
        await feeds.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      main.close();
      feeds.close();
    },
  };
}

async function reachable(pool: pg.Pool, url: string): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new AirlockError('DB_UNREACHABLE', `cannot reach PostgreSQL at ${redactUrl(url)} (${reason})`, { cause: err });
  }
}

async function openPostgres(url: string, feedsUrl: string | undefined): Promise<Databases> {
  const enginePool = createPool(url, 'public');
  await reachable(enginePool, url);
  const enterprisePool = createPool(url, 'airlock_enterprise');
  const feedsPool = createPool(feedsUrl ?? url, 'airlock_feeds');
  if (feedsUrl) await reachable(feedsPool, feedsUrl);
  const pools = [enginePool, enterprisePool, feedsPool];
  const engine = pgDb(enginePool);
  const feeds = pgDb(feedsPool);
  return {
    dialect: 'postgres',
    engine,
    enterprise: pgDb(enterprisePool),
    feeds,
    targets: [
      { schema: 'engine', db: engine, versionTable: 'public.schema_migrations', location: redactUrl(url) },
      {
        schema: 'enterprise',
        db: pgDb(enterprisePool),
        versionTable: 'airlock_enterprise.schema_migrations',
        pgSchema: 'airlock_enterprise',
        location: `${redactUrl(url)} (schema airlock_enterprise)`,
      },
      {
        schema: 'feeds',
        db: feeds,
        versionTable: 'airlock_feeds.schema_migrations',
        pgSchema: 'airlock_feeds',
        location: `${redactUrl(feedsUrl ?? url)} (schema airlock_feeds)`,
      },
    ],
    async stageFeeds() {
      const staging = await pgFeedStaging(feedsUrl ?? url);
      await migrateStaging(staging, {
        schema: 'feeds',
        db: staging.db,
        versionTable: `${pgStagingSchema}.schema_migrations`,
        location: `${redactUrl(feedsUrl ?? url)} (schema ${pgStagingSchema})`,
      });
      return staging;
    },
    async ping() {
      try {
        await Promise.all([engine.query('SELECT 1'), feeds.query('SELECT 1')]);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.all(pools.filter((p) => !p.ended).map((p) => p.end()));
    },
  };
}

/** Opens SQLite under dataDir, or PostgreSQL when a URL is given. */
export async function openDatabases(location: DbLocation): Promise<Databases> {
  if (location.db) return openPostgres(location.db, location.feedsDb);
  if (location.feedsDb) throw new AirlockError('CONFIG_INVALID', '--feeds-db needs --db: the embedded database keeps its feed store in the data directory');
  return openSqlite(location.dataDir);
}
