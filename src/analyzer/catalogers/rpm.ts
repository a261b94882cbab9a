/**
 * rpm: the sqlite (rpmdb.sqlite), Berkeley DB (Packages) and ndb (Packages.db) databases. A
 * StreamInspector, because these files can be hundreds of megabytes: each is streamed into the
 * per-analysis temp dir and read from there page by page (sqlite through better-sqlite3).
 */
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { openSqliteFile } from '../../db/sqlite-native.js';
import { distroQualifier, readDistro, type Distro } from './distro.js';
import { purl } from './purl.js';
import { fileReader, type RandomReader } from '../../lib/random-reader.js';
import { readBdbHash } from './rpm-bdb.js';
import { parseRpmHeader, parseSourceRpm } from './rpm-header.js';
import { readNdb } from './rpm-ndb.js';
import type { CatalogResult, Package, StreamInspector } from '../types.js';

const DB_DIRS = new Set(['/var/lib/rpm', '/usr/lib/sysimage/rpm', '/usr/share/rpm']);
const DB_NAMES = new Set(['rpmdb.sqlite', 'rpmdb.sqlite-wal', 'Packages', 'Packages.db']);
const NAMESPACES: Record<string, string> = { rhel: 'redhat', sles: 'suse', 'opensuse-leap': 'opensuse', 'opensuse-tumbleweed': 'opensuse' };
const MAX_PACKAGES = 200_000;

/** A database file copied into the temp dir. */
export interface RpmDbCopy {
  /** Where the copy is. */
  file: string;
  /** Bytes copied. */
  size: number;
  /** Whether the copy stopped at the size cap. */
  truncated: boolean;
}

/** Options of the rpm cataloger. */
export interface RpmOptions {
  /** Largest database file copied. */
  maxBytes?: number;
}

/** Turns header blobs into packages; a bad blob becomes a warning. */
export class RpmPackageBuilder {
  /** Packages built so far. */
  readonly packages: Package[] = [];
  /** Problems with this database. */
  readonly warnings: string[] = [];
  private bad = 0;
  private readonly namespace: string;
  private readonly distro: string | undefined;

  constructor(
    private readonly location: string,
    distro: Distro | undefined,
  ) {
    this.namespace = (distro && (NAMESPACES[distro.id] ?? distro.id)) || 'redhat';
    this.distro = distroQualifier(distro);
  }

  /** Adds one header blob. */
  add(blob: Buffer): void {
    if (this.packages.length >= MAX_PACKAGES) return;
    let header;
    try {
      header = parseRpmHeader(blob);
    } catch {
      this.bad++;
      return;
    }
    const versionRelease = `${header.version}-${header.release}`;
    const source = header.sourceRpm ? parseSourceRpm(header.sourceRpm) : undefined;
    this.packages.push({
      name: header.name,
      version: header.epoch !== undefined ? `${header.epoch}:${versionRelease}` : versionRelease,
      type: 'rpm',
      purl: purl({
        type: 'rpm',
        namespace: this.namespace,
        name: header.name,
        version: versionRelease,
        qualifiers: { arch: header.arch, epoch: header.epoch?.toString(), distro: this.distro, upstream: header.sourceRpm },
      }),
      ...(source ? { source } : {}),
      locations: [this.location],
      ...(header.license ? { licenses: [header.license] } : {}),
      metadata: {
        ...(header.arch ? { architecture: header.arch } : {}),
        ...(header.epoch !== undefined ? { epoch: header.epoch } : {}),
        ...(header.sourceRpm ? { sourceRpm: header.sourceRpm } : {}),
        ...(header.vendor ? { vendor: header.vendor } : {}),
      },
    });
  }

  /** Records a problem with the database itself. */
  warn(message: string): void {
    this.warnings.push(`rpm: ${this.location}: ${message}`);
  }

  /** The packages and warnings collected. */
  result(): CatalogResult {
    if (this.bad > 0) this.warn(`${this.bad} unreadable package headers skipped`);
    return { packages: this.packages, warnings: this.warnings };
  }
}

async function readSqlite(copy: string, wal: string | undefined, builder: RpmPackageBuilder): Promise<void> {
  // Open a private copy named as sqlite expects, so a surviving -wal file is replayed.
  const dir = `${copy}.open`;
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'rpmdb.sqlite');
  await copyFile(copy, file);
  if (wal) await copyFile(wal, `${file}-wal`);
  const db = openSqliteFile(file);
  try {
    for (const row of db.prepare('SELECT blob FROM Packages').iterate() as Iterable<{ blob: unknown }>) {
      if (Buffer.isBuffer(row.blob)) builder.add(row.blob);
    }
  } finally {
    db.close();
  }
}

async function withReader(file: string, size: number, use: (reader: RandomReader) => Promise<void>): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await use(fileReader(handle, size));
  } finally {
    await handle.close();
  }
}

/** Reads one database copy (any of the three formats) into the builder. */
export async function readRpmDb(name: string, copy: RpmDbCopy, wal: RpmDbCopy | undefined, builder: RpmPackageBuilder): Promise<void> {
  if (copy.truncated) builder.warn(`larger than the cap, read only the first ${copy.size} bytes`);
  if (name === 'rpmdb.sqlite') return readSqlite(copy.file, wal?.file, builder);
  if (name === 'Packages.db') {
    return withReader(copy.file, copy.size, async (reader) => {
      for await (const { blob } of readNdb(reader, (message) => builder.warn(message))) builder.add(blob);
    });
  }
  return withReader(copy.file, copy.size, async (reader) => {
    for await (const { key, value } of readBdbHash(reader)) {
      // Key 0 holds rpm's next-instance counter, not a header.
      if (key.length === 4 && key.readUInt32LE(0) === 0) continue;
      builder.add(value);
    }
  });
}

/** Catalogs rpm databases. */
export function rpmCataloger(options: RpmOptions = {}): StreamInspector<RpmDbCopy> {
  const maxBytes = options.maxBytes ?? 1024 * 1024 * 1024;
  let copies = 0;
  return {
    id: 'rpm',
    kind: 'stream',
    wants: (path) => DB_NAMES.has(basename(path)) && DB_DIRS.has(dirname(path)),
    inspect: async (path, chunks, tempDir) => {
      const dir = join(tempDir, 'rpmdb', String(++copies));
      await mkdir(dir, { recursive: true });
      const file = join(dir, basename(path));
      const out = createWriteStream(file);
      let size = 0;
      let truncated = false;
      for await (const chunk of chunks) {
        const room = maxBytes - size;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        if (!out.write(part)) await once(out, 'drain');
        size += part.length;
        if (part.length < chunk.length) {
          truncated = true;
          break;
        }
      }
      out.end();
      await once(out, 'close');
      return { file, size, truncated };
    },
    finish: async (results, tree) => {
      // An inspector cannot ask for whole files: the distro cataloger keeps os-release for this.
      const distro = readDistro(tree);
      const out: CatalogResult = { packages: [], warnings: [] };
      for (const [path, copy] of results) {
        const name = basename(path);
        if (name === 'rpmdb.sqlite-wal') continue;
        const builder = new RpmPackageBuilder(path, distro);
        try {
          await readRpmDb(name, copy, results.get(`${path}-wal`), builder);
        } catch (err) {
          builder.warn(`unreadable database: ${err instanceof Error ? err.message : String(err)}`);
        }
        const result = builder.result();
        out.packages.push(...result.packages);
        out.warnings.push(...result.warnings);
      }
      return out;
    },
  };
}
