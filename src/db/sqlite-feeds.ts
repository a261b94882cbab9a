import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { AirlockError } from '../lib/errors.js';
import type { FeedStaging } from './feeds-staging.js';
import { dropSecondaryIndexes, rebuildIndexes } from './indexes.js';
import { SqliteConnection, SqliteDb } from './sqlite.js';
import type { Db, Row } from './types.js';

/**
 * The feed store runs in rollback-journal mode, not WAL: an import replaces the whole file by
 * rename, and a WAL file left beside the old database must never be replayed into the new one.
 */
function openFeedsFile(file: string): SqliteConnection {
  const conn = SqliteConnection.open(file, 'DELETE');
  // Scans look up thousands of scattered index entries: map the file instead of a read() per page,
  // and keep a larger page cache. The feed store is read-mostly, so both are cheap.
  conn.raw.pragma('mmap_size = 2147483648');
  conn.raw.pragma('cache_size = -65536');
  return conn;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The live feed store. Other processes (a CLI import next to a running appliance) may swap the
 * file: at most once a second the handle checks the file's inode and reopens when it changed.
 */
export class LiveSqliteFeeds implements Db {
  readonly dialect = 'sqlite' as const;
  private conn: SqliteConnection;
  private db: SqliteDb;
  private ino: number;
  private checkedAt = Date.now();

  constructor(readonly file: string) {
    this.conn = openFeedsFile(file);
    this.db = new SqliteDb(this.conn);
    this.ino = statSync(file).ino;
  }

  /** Reopens the file now (after this process swapped it). */
  reopen(): void {
    const old = this.conn;
    this.conn = openFeedsFile(this.file);
    this.db = new SqliteDb(this.conn);
    this.ino = statSync(this.file).ino;
    void old.exclusive(async () => old.close());
  }

  private current(): SqliteDb {
    const t = Date.now();
    if (t - this.checkedAt > 1000) {
      this.checkedAt = t;
      try {
        if (statSync(this.file).ino !== this.ino) this.reopen();
      } catch {
        // The file is mid-rename or gone; keep serving the open one.
      }
    }
    return this.db;
  }

  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.current().query<T>(sql, params);
  }
  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.current().run(sql, params);
  }
  exec(sql: string): Promise<void> {
    return this.current().exec(sql);
  }
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
    return this.current().insertMany(table, columns, rows);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.current().transaction(fn);
  }
  session<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.current().session(fn);
  }

  /** Closes the connection. */
  close(): void {
    this.conn.close();
  }
}

const stagingPrefix = 'feeds.db.staging-';

/** Removes staging files of imports whose process died (SIGKILL, power loss). */
export function removeStagingLitter(dataDir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dataDir)) {
    const m = /^feeds\.db\.(?:staging-(\d+)-[0-9a-f]+(?:-journal)?|import\.lock)$/.exec(name);
    if (!m) continue;
    const pid = m[1] ? Number(m[1]) : Number(readFileSync(join(dataDir, name), 'utf8').trim());
    if (alive(pid)) continue;
    rmSync(join(dataDir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function takeImportLock(dataDir: string): string {
  const lock = join(dataDir, 'feeds.db.import.lock');
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return lock;
  } catch {
    const holder = Number(readFileSync(lock, 'utf8').trim());
    if (alive(holder) && holder !== process.pid) {
      throw new AirlockError('INVALID_INPUT', `another feed import (pid ${holder}) is running on ${dataDir}; wait for it to finish`);
    }
    writeFileSync(lock, String(process.pid));
    return lock;
  }
}

/** Opens an empty staging file beside the live feeds.db; swap() renames it over the live file. */
export function sqliteFeedStaging(live: LiveSqliteFeeds): FeedStaging {
  const dataDir = dirname(live.file);
  removeStagingLitter(dataDir);
  const lock = takeImportLock(dataDir);
  const file = join(dataDir, `${stagingPrefix}${process.pid}-${randomBytes(4).toString('hex')}`);
  // A staging file that is half-written is thrown away, never read: no journal, no fsync until done.
  const raw = SqliteConnection.open(file, 'OFF');
  raw.raw.pragma('synchronous = OFF');
  // Appends to bare tables need few pages; CREATE INDEX sorts in chunks of this size. A larger cache
  // bought no speed and cost 55 MB of resident memory (scripts/bench/feeds-bundle.ts).
  raw.raw.pragma('cache_size = -16384');
  // CREATE INDEX sorts with helper threads on the cores the import's parser workers leave idle
  // by then: a quarter off the index build on two cores.
  raw.raw.pragma(`threads = ${Math.min(4, availableParallelism() - 1)}`);
  const db = new SqliteDb(raw);
  let finished = false;
  const cleanup = () => {
    finished = true;
    rmSync(lock, { force: true });
  };
  return {
    db,
    async bulkLoad(fn) {
      return db.transaction(async (tx) => {
        const indexes = await dropSecondaryIndexes(tx);
        const result = await fn(tx);
        await rebuildIndexes(tx, indexes);
        return result;
      });
    },
    async swap() {
      if (finished) throw new Error('staging already finished');
      raw.raw.pragma('journal_mode = DELETE');
      raw.close();
      const fd = openSync(file, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(file, live.file);
      const dirFd = openSync(dataDir, 'r');
      fsyncSync(dirFd);
      closeSync(dirFd);
      live.reopen();
      cleanup();
    },
    async discard() {
      if (finished) return;
      raw.close();
      for (const f of [file, `${file}-journal`]) if (existsSync(f)) rmSync(f, { force: true });
      cleanup();
    },
  };
}
