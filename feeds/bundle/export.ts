import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { create as createTar } from 'tar';
import type { Db } from '../../src/db/index.js';
import { AirlockError } from '../../src/lib/errors.js';
import { getDrivers, getSnapshot, groupRecords } from '../store/index.js';
import { signManifest } from './keys.js';
import { BUNDLE_FORMAT, FORMAT_VERSION, groupFileName, RECORD_SCHEMA_VERSION, type Manifest } from './manifest.js';

/** What an export wrote. */
export interface ExportResult {
  /** The manifest as signed. */
  manifest: Manifest;
  /** Records written. */
  records: number;
}

async function writeMember(
  db: Db,
  driver: string,
  group: string,
  path: string,
  onRecords: (n: number) => void,
): Promise<{ records: number; bytes: number; sha256: string }> {
  let records = 0;
  async function* lines(): AsyncIterable<string> {
    let pending = 0;
    for await (const json of groupRecords(db, driver, group)) {
      records++;
      if (++pending === 1000) {
        onRecords(pending);
        pending = 0;
      }
      yield json + '\n';
    }
    onRecords(pending);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const out = createWriteStream(path);
  const gzip = createGzip({ level: 6 });
  gzip.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  await pipeline(Readable.from(lines()), gzip, out);
  return { records, bytes, sha256: hash.digest('hex') };
}

/**
 * Writes the store's current snapshot as a signed bundle: each group streamed from the store into
 * its own gzip member (never the whole store in memory), then the manifest, its signature and the
 * members packed into one tar, renamed into place only when complete.
 */
export async function exportBundle(db: Db, out: string, key: KeyObject, onRecords: (n: number) => void = () => undefined): Promise<ExportResult> {
  const snapshot = await getSnapshot(db);
  if (!snapshot) throw new AirlockError('NOT_FOUND', 'the feed store holds no snapshot yet: run `airlock feeds sync` or import a bundle first');
  const drivers = (await getDrivers(db)).filter((d) => d.groups.length > 0);
  const parts = join(dirname(out), `.${randomBytes(6).toString('hex')}.export-parts`);
  const tmp = `${out}.partial`;
  mkdirSync(parts, { recursive: true });
  try {
    const fingerprints = new Map(
      (await db.query<{ id: string; fingerprint: string | null }>('SELECT id, fingerprint FROM feed_drivers')).map((r) => [r.id, r.fingerprint]),
    );
    const manifest: Manifest = {
      format: BUNDLE_FORMAT,
      formatVersion: FORMAT_VERSION,
      schemaVersion: RECORD_SCHEMA_VERSION,
      snapshotId: snapshot.id,
      createdAt: snapshot.createdAt,
      drivers: [],
    };
    const files: string[] = [];
    let records = 0;
    for (const d of drivers) {
      mkdirSync(join(parts, 'data', d.id), { recursive: true });
      const groups: Manifest['drivers'][number]['groups'] = [];
      const used = new Set<string>();
      for (const g of d.groups) {
        let base = groupFileName(g.name);
        while (used.has(base)) base += '_';
        used.add(base);
        const file = `data/${d.id}/${base}.ndjson.gz`;
        const written = await writeMember(db, d.id, g.name, join(parts, file), onRecords);
        groups.push({ name: g.name, records: written.records, file, bytes: written.bytes, sha256: written.sha256 });
        files.push(file);
        records += written.records;
      }
      const fp = fingerprints.get(d.id);
      manifest.drivers.push({
        id: d.id,
        fetchedAt: d.fetchedAt ?? snapshot.createdAt,
        fingerprint: fp ? (JSON.parse(fp) as Record<string, unknown>) : {},
        groups,
      });
    }
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
    writeFileSync(join(parts, 'manifest.json'), manifestBytes);
    writeFileSync(join(parts, 'manifest.json.sig'), JSON.stringify(signManifest(manifestBytes, key)));
    await createTar({ file: tmp, cwd: parts, portable: true }, ['manifest.json', 'manifest.json.sig', ...files]);
    renameSync(tmp, out);
    return { manifest, records };
  } finally {
    rmSync(parts, { recursive: true, force: true });
    rmSync(tmp, { force: true });
  }
}
