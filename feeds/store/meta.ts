import type { Db } from '../../src/db/index.js';

/** The snapshot a feed store holds. */
export interface SnapshotInfo {
  /** Sortable id: 20261204T200000Z-1a2b3c4d. */
  id: string;
  /** When the snapshot was made (ISO-8601). */
  createdAt: string;
  /** 'sync' on a feed station, 'import:<bundle file>' on an appliance. */
  source: string;
}

/** One group's state. */
export interface GroupInfo {
  /** Group name: a namespace ('debian:12') or an enrichment kind ('kev'). */
  name: string;
  /** Records in it. */
  records: number;
  /** When its upstream data was fetched (ISO-8601). */
  fetchedAt: string;
}

/** One driver's state with its groups. */
export interface DriverInfo {
  /** Driver id. */
  id: string;
  /** 'ok' | 'failed' | 'imported'. */
  state: string;
  /** Last sync or import (ISO-8601). */
  lastSync: string | null;
  /** When its upstream data was fetched. */
  fetchedAt: string | null;
  /** Last error, if the last sync failed. */
  lastError: string | null;
  /** Its groups. */
  groups: GroupInfo[];
}

/** One successful import. */
export interface ImportInfo {
  snapshotId: string;
  createdAt: string;
  importedAt: string;
  bundle: string;
  bundleSha256: string;
  keyId: string;
  records: number;
  seconds: number;
}

export async function getSnapshot(db: Db): Promise<SnapshotInfo | null> {
  const [row] = await db.query<{ id: string; created_at: string; source: string }>('SELECT id, created_at, source FROM feed_snapshot WHERE singleton = 1');
  return row ? { id: row.id, createdAt: row.created_at, source: row.source } : null;
}

export async function setSnapshot(db: Db, s: SnapshotInfo): Promise<void> {
  await db.run('DELETE FROM feed_snapshot');
  await db.run('INSERT INTO feed_snapshot (singleton, id, created_at, source) VALUES (1, ?, ?, ?)', [s.id, s.createdAt, s.source]);
}

/** Records a driver's state (upsert). */
export async function setDriverState(
  db: Db,
  d: { id: string; state: string; lastSync: string; fetchedAt: string | null; fingerprint: unknown; lastError: string | null },
): Promise<void> {
  await db.run('DELETE FROM feed_drivers WHERE id = ?', [d.id]);
  await db.run('INSERT INTO feed_drivers (id, state, last_sync, fetched_at, fingerprint, last_error) VALUES (?, ?, ?, ?, ?, ?)', [
    d.id,
    d.state,
    d.lastSync,
    d.fetchedAt,
    d.fingerprint === null ? null : JSON.stringify(d.fingerprint),
    d.lastError,
  ]);
}

/** Marks a driver failed, keeping its fingerprint and data. */
export async function markDriverFailed(db: Db, id: string, error: string, at: string): Promise<void> {
  const changed = await db.run('UPDATE feed_drivers SET state = ?, last_error = ?, last_sync = ? WHERE id = ?', ['failed', error, at, id]);
  if (changed === 0) await setDriverState(db, { id, state: 'failed', lastSync: at, fetchedAt: null, fingerprint: null, lastError: error });
}

/** The fingerprint of a driver's last good fetch. */
export async function getFingerprint(db: Db, id: string): Promise<unknown> {
  const [row] = await db.query<{ fingerprint: string | null }>('SELECT fingerprint FROM feed_drivers WHERE id = ?', [id]);
  return row?.fingerprint ? (JSON.parse(row.fingerprint) as unknown) : null;
}

/** Sets a driver's groups to exactly these. */
export async function setGroups(db: Db, driver: string, groups: GroupInfo[], at: string): Promise<void> {
  await db.run('DELETE FROM feed_groups WHERE driver = ?', [driver]);
  if (groups.length === 0) return;
  await db.insertMany(
    'feed_groups',
    ['driver', 'name', 'records', 'fetched_at', 'updated_at'],
    groups.map((g) => [driver, g.name, g.records, g.fetchedAt, at]),
  );
}

/** Every driver with its groups, ordered by id and name. */
export async function getDrivers(db: Db): Promise<DriverInfo[]> {
  const drivers = await db.query<{ id: string; state: string; last_sync: string | null; fetched_at: string | null; last_error: string | null }>(
    'SELECT id, state, last_sync, fetched_at, last_error FROM feed_drivers ORDER BY id',
  );
  const groups = await db.query<{ driver: string; name: string; records: number; fetched_at: string }>(
    'SELECT driver, name, records, fetched_at FROM feed_groups ORDER BY driver, name',
  );
  return drivers.map((d) => ({
    id: d.id,
    state: d.state,
    lastSync: d.last_sync,
    fetchedAt: d.fetched_at,
    lastError: d.last_error,
    groups: groups.filter((g) => g.driver === d.id).map((g) => ({ name: g.name, records: Number(g.records), fetchedAt: g.fetched_at })),
  }));
}

export async function addImport(db: Db, i: ImportInfo): Promise<void> {
  await db.insertMany(
    'feed_imports',
    ['snapshot_id', 'created_at', 'imported_at', 'bundle', 'bundle_sha256', 'key_id', 'records', 'seconds'],
    [[i.snapshotId, i.createdAt, i.importedAt, i.bundle, i.bundleSha256, i.keyId, i.records, i.seconds]],
  );
}

export async function getImports(db: Db): Promise<ImportInfo[]> {
  const rows = await db.query<Record<string, string | number>>(
    'SELECT snapshot_id, created_at, imported_at, bundle, bundle_sha256, key_id, records, seconds FROM feed_imports ORDER BY imported_at DESC',
  );
  return rows.map((r) => ({
    snapshotId: String(r.snapshot_id),
    createdAt: String(r.created_at),
    importedAt: String(r.imported_at),
    bundle: String(r.bundle),
    bundleSha256: String(r.bundle_sha256),
    keyId: String(r.key_id),
    records: Number(r.records),
    seconds: Number(r.seconds),
  }));
}
