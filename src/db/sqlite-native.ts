import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { seaAsset } from '../lib/sea.js';

let addon: object | undefined;

/**
 * Inside the single executable the better-sqlite3 addon travels as an SEA asset. It is written once
 * to a content-addressed file (so concurrent starts and upgrades never clash) and loaded with
 * process.dlopen. AIRLOCK_NATIVE_DIR moves it off a noexec /tmp.
 */
function embeddedAddon(): object | undefined {
  if (addon) return addon;
  const bytes = seaAsset('better_sqlite3.node');
  if (!bytes) return undefined;
  const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = join(process.env.AIRLOCK_NATIVE_DIR ?? tmpdir(), `airlock-native-${digest}`);
  const file = join(dir, 'better_sqlite3.node');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, bytes, { mode: 0o500 });
    renameSync(temp, file);
  }
  const mod = { exports: {} as object };
  process.dlopen(mod, file);
  addon = mod.exports;
  return addon;
}

/** Opens a SQLite database file with the addon that fits how airlock is running. */
export function openSqliteFile(file: string, options: { readonly?: boolean } = {}): Database.Database {
  const nativeBinding = embeddedAddon();
  return new Database(file, {
    ...(options.readonly ? { readonly: true, fileMustExist: true } : {}),
    ...(nativeBinding ? { nativeBinding: nativeBinding as unknown as string } : {}),
  });
}
