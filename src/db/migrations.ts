import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AirlockError } from '../lib/errors.js';
import { projectRoot } from '../lib/paths.js';
import { seaAsset } from '../lib/sea.js';
import { schemaNames, type Dialect, type SchemaName } from './types.js';

/** One migration file: migrations/<schema>/<dialect>/NNNN_name.sql. */
export interface Migration {
  /** NNNN from the file name. */
  version: number;
  /** The file name without extension, e.g. 0001_queue. */
  name: string;
  /** The SQL it applies. */
  sql: string;
  /** sha256 of the SQL, recorded when applied. */
  checksum: string;
}

/** Every schema's migrations for every dialect, sorted by version. */
export type MigrationSet = Record<SchemaName, Record<Dialect, Migration[]>>;

const fileName = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** Builds the set from {relative path: sql}; rejects stray files and duplicate versions. */
export function migrationSetFromFiles(files: Record<string, string>): MigrationSet {
  const set = Object.fromEntries(schemaNames.map((s) => [s, { sqlite: [], postgres: [] }])) as unknown as MigrationSet;
  for (const [path, sql] of Object.entries(files)) {
    const [schema, dialect, file] = path.split('/');
    if (!schemaNames.includes(schema as SchemaName) || (dialect !== 'sqlite' && dialect !== 'postgres') || !file) {
      throw new AirlockError('DB_MIGRATION_FAILED', `unexpected migration path migrations/${path}`);
    }
    const m = fileName.exec(file);
    if (!m) throw new AirlockError('DB_MIGRATION_FAILED', `migration file migrations/${path} is not named NNNN_name.sql`);
    const list = set[schema as SchemaName][dialect];
    const version = Number(m[1]);
    if (list.some((x) => x.version === version)) {
      throw new AirlockError('DB_MIGRATION_FAILED', `two migrations share version ${version} in migrations/${schema}/${dialect}`);
    }
    list.push({ version, name: file.slice(0, -4), sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  for (const schema of schemaNames) for (const d of ['sqlite', 'postgres'] as const) set[schema][d].sort((a, b) => a.version - b.version);
  return set;
}

/** Reads a migrations/ tree from disk as {relative path: sql}. */
export function readMigrationTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const schema of readdirSync(dir)) {
    for (const dialect of readdirSync(join(dir, schema))) {
      for (const file of readdirSync(join(dir, schema, dialect))) {
        if (file.endsWith('.sql')) files[`${schema}/${dialect}/${file}`] = readFileSync(join(dir, schema, dialect, file), 'utf8');
      }
    }
  }
  return files;
}

let bundled: MigrationSet | undefined;

/** The migrations this airlock ships: an SEA asset in the executable, migrations/ from source. */
export function shippedMigrations(): MigrationSet {
  if (bundled) return bundled;
  const asset = seaAsset('migrations.json');
  if (asset) {
    bundled = migrationSetFromFiles(JSON.parse(asset.toString('utf8')) as Record<string, string>);
  } else {
    const dir = join(projectRoot(), 'migrations');
    bundled = migrationSetFromFiles(existsSync(dir) ? readMigrationTree(dir) : {});
  }
  return bundled;
}
