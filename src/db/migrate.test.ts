import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../test/cli.js';
import { dialects, freshDatabases, freshLocation } from '../../test/dbs.js';
import { migrateAll, migrationSetFromFiles, openDatabases, shippedMigrations, statusAll, type Databases } from './index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function fresh(dialect: 'sqlite' | 'postgres'): Promise<Databases> {
  const f = await freshDatabases(dialect);
  cleanups.push(f.cleanup);
  return f.dbs;
}

/** Engine migrations for a test: the shipped ones for other schemas, these for engine. */
function withEngine(files: Record<string, string>, dialect: 'sqlite' | 'postgres') {
  const set = shippedMigrations();
  const engine = migrationSetFromFiles(Object.fromEntries(Object.entries(files).map(([k, v]) => [`engine/${dialect}/${k}`, v])));
  return { ...set, engine: engine.engine };
}

describe.each(dialects)('migrations on %s', (dialect) => {
  it('applies every shipped migration once; a second run changes nothing', async () => {
    const dbs = await fresh(dialect);
    const first = await migrateAll(dbs);
    expect(first.engine).toEqual(shippedMigrations().engine[dialect].map((m) => m.name));
    expect(first.enterprise!.length).toBeGreaterThan(0);
    const second = await migrateAll(dbs);
    expect(Object.values(second).flat()).toEqual([]);
    const status = await statusAll(dbs);
    for (const s of status) {
      expect(s.pending).toEqual([]);
      expect(s.current).toBe(s.latest);
    }
    const tables = dialect === 'sqlite'
      ? await dbs.enterprise.query<{ name: string }>(`SELECT name FROM enterprise.sqlite_master WHERE type = 'table' AND name = 'accounts'`)
      : await dbs.enterprise.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'airlock_enterprise' AND table_name = 'accounts'`);
    expect(tables).toHaveLength(1);
  });

  it('rolls back a migration that fails halfway and keeps the version', async () => {
    const dbs = await fresh(dialect);
    const set = withEngine(
      {
        '0001_one.sql': 'CREATE TABLE one (id INTEGER PRIMARY KEY);',
        '0002_two.sql': 'CREATE TABLE two (id INTEGER PRIMARY KEY);\nINSERT INTO missing_table VALUES (1);',
      },
      dialect,
    );
    await expect(migrateAll(dbs, set)).rejects.toThrow(/engine migration 0002_two failed: .*rolled back; the schema stays at version 1/);
    const engine = (await statusAll(dbs, set)).find((s) => s.schema === 'engine')!;
    expect(engine.current).toBe(1);
    expect(engine.pending.map((m) => m.name)).toEqual(['0002_two']);
    await expect(dbs.engine.query('SELECT * FROM two')).rejects.toThrow();
    await expect(dbs.engine.query('SELECT * FROM one')).resolves.toEqual([]);
  });

  it('refuses a schema newer than the code and changes nothing', async () => {
    const dbs = await fresh(dialect);
    await migrateAll(dbs);
    await dbs.engine.run(`INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (99, '0099_future', 'x', 'now')`);
    const rowsBefore = await dbs.engine.query('SELECT version FROM schema_migrations ORDER BY version');
    await expect(migrateAll(dbs)).rejects.toThrow(/engine schema .* is at version 99, newer than this airlock knows \(2\)/);
    expect(await dbs.engine.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(rowsBefore);
  });
});

describe('concurrent migrators on PostgreSQL', () => {
  it('two processes migrating at once apply each migration exactly once', async () => {
    const { location, cleanup } = await freshLocation('postgres');
    cleanups.push(cleanup);
    const run = () =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = startCli(['db', 'migrate', '--db', location.db!]);
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect([a.code, b.code, a.err + b.err]).toEqual([0, 0, '']);
    const dbs = await openDatabases(location);
    cleanups.push(() => dbs.close());
    const rows = await dbs.engine.query<{ version: number; n: number }>('SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version ORDER BY version');
    expect(rows).toEqual(shippedMigrations().engine.postgres.map((m) => ({ version: m.version, n: 1 })));
    const appliedLines = (a.out + b.out).split('\n').filter((l) => l.startsWith('engine: applied'));
    expect(appliedLines).toHaveLength(1);
  });
});

describe('airlock db commands', () => {
  it('migrate then status on the embedded database', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'airlock-cli-'));
    const migrate = runCli(['db', 'migrate', '--data-dir', dataDir]);
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toContain('engine: applied 0001_queue, 0002_services');
    const status = runCli(['db', 'status', '--data-dir', dataDir, '--json']);
    expect(status.status).toBe(0);
    const parsed = JSON.parse(status.stdout) as { dialect: string; schemas: Array<{ schema: string; current: number; pending: string[] }> };
    expect(parsed.dialect).toBe('sqlite');
    expect(parsed.schemas.map((s) => [s.schema, s.pending.length])).toEqual([
      ['engine', 0],
      ['enterprise', 0],
      ['feeds', 0],
    ]);
    expect(existsSync(join(dataDir, 'enterprise.db'))).toBe(true);
  });

  it('an unreachable --db fails clearly, exits non-zero and writes no files', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'airlock-cli-')), 'never');
    const res = runCli(['db', 'migrate', '--db', 'postgres://postgres@127.0.0.1:1/nothing', '--data-dir', dataDir]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/nothing \(ECONNREFUSED\)/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('a data directory that cannot be created fails clearly', () => {
    const parent = mkdtempSync(join(tmpdir(), 'airlock-cli-'));
    writeFileSync(join(parent, 'file'), 'not a directory');
    const res = runCli(['db', 'migrate', '--data-dir', join(parent, 'file', 'data')]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/data directory .*file\/data cannot be created or written \(ENOTDIR\)/);
  });
});
