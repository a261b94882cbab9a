import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshDatabases } from '../../test/dbs.js';
import { migrateAll, type Databases } from '../../src/db/index.js';
import { createQueue } from '../../src/queue/index.js';
import { getDrivers, getImports, getSnapshot, newSnapshotId, replaceDriverData, setSnapshot } from '../store/index.js';
import { exportBundle } from './export.js';
import { importBundle, RESCAN_QUEUE } from './import.js';
import { generateKeyPair, loadPrivateKey, loadTrustedKeys } from './keys.js';
import { readBundle } from './read.js';
import { sampleRecords } from './sample-records.js';
import { manifestOf, readEntries, withManifest, withMember, writeTar, type RawEntry } from './testing.js';

const dir = mkdtempSync(join(tmpdir(), 'airlock-bundle-'));
const keys = generateKeyPair(join(dir, 'keys'));
const key = loadPrivateKey(keys.privateKey);
const trusted = loadTrustedKeys(join(dir, 'keys'));
const other = generateKeyPair(join(dir, 'other'));
const otherKey = loadPrivateKey(other.privateKey);

let station: Databases;
const cleanups: Array<() => Promise<void>> = [];
let older = '';
let newer = '';

async function seed(dbs: Databases, createdAt: string): Promise<string> {
  await replaceDriverData(dbs.feeds, 'alpine', sampleRecords('alpine', 120), '2026-12-01T00:00:00.000Z', { etag: '"a1"' });
  await replaceDriverData(dbs.feeds, 'debian', sampleRecords('debian', 80), '2026-12-01T01:00:00.000Z');
  await replaceDriverData(dbs.feeds, 'nvd', sampleRecords('nvd', 40), '2026-12-01T02:00:00.000Z');
  await replaceDriverData(dbs.feeds, 'kev', sampleRecords('kev', 30), '2026-12-01T03:00:00.000Z');
  const id = newSnapshotId(new Date(createdAt));
  await setSnapshot(dbs.feeds, { id, createdAt, source: 'sync' });
  return id;
}

async function counts(dbs: Databases): Promise<{ snapshot: string | null; tables: Record<string, number> }> {
  const snapshot = await getSnapshot(dbs.feeds);
  const rows = await Promise.all(
    ['vulnerabilities', 'affected_packages', 'vulnerability_aliases', 'cpe_products', 'kev', 'epss'].map(
      async (t) => [t, Number((await dbs.feeds.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))[0]!.n)] as const,
    ),
  );
  return { snapshot: snapshot?.id ?? null, tables: Object.fromEntries(rows) };
}

beforeAll(async () => {
  const f = await freshDatabases('sqlite');
  station = f.dbs;
  cleanups.push(f.cleanup);
  await migrateAll(station);
  await seed(station, '2026-12-01T04:00:00.000Z');
  older = join(dir, 'older.tar');
  await exportBundle(station.feeds, older, key);
  await setSnapshot(station.feeds, { id: newSnapshotId(new Date('2026-12-02T04:00:00.000Z')), createdAt: '2026-12-02T04:00:00.000Z', source: 'sync' });
  newer = join(dir, 'newer.tar');
  await exportBundle(station.feeds, newer, key);
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(dialects)('import on %s', (dialect) => {
  let dbs: Databases;
  let dataDir: string;
  let baseline: Awaited<ReturnType<typeof counts>>;

  beforeAll(async () => {
    const f = await freshDatabases(dialect);
    dbs = f.dbs;
    dataDir = f.location.dataDir;
    cleanups.push(f.cleanup);
    await migrateAll(dbs);
    await importBundle(dbs, older, { trusted });
    baseline = await counts(dbs);
  });

  it('round-trips a bundle: same snapshot, groups, counts and records as the station', async () => {
    const stationCounts = await counts(station);
    expect(baseline).toEqual({ ...stationCounts, snapshot: manifestOf(await readEntries(older)).snapshotId });
    expect(baseline.tables.affected_packages).toBe(200 * 8);
    const imported = await getDrivers(dbs.feeds);
    const exported = await getDrivers(station.feeds);
    expect(imported.map((d) => [d.id, d.state, d.fetchedAt, d.groups])).toEqual(exported.map((d) => [d.id, 'imported', d.fetchedAt, d.groups]));
    const [row] = await dbs.feeds.query<{ record: string }>(`SELECT record FROM vulnerabilities WHERE driver = 'nvd' ORDER BY id LIMIT 1`);
    const [srow] = await station.feeds.query<{ record: string }>(`SELECT record FROM vulnerabilities WHERE driver = 'nvd' ORDER BY id LIMIT 1`);
    expect(JSON.parse(row!.record)).toEqual(JSON.parse(srow!.record));
    expect((await getImports(dbs.feeds)).map((i) => i.snapshotId)).toEqual([baseline.snapshot]);
  });

  it('imports a newer snapshot atomically, keeps history and queues a re-scan', async () => {
    const queue = createQueue(dbs.engine);
    const result = await importBundle(dbs, newer, { trusted, queue });
    expect(result.applied).toBe(true);
    expect(result.previous?.id).toBe(baseline.snapshot);
    const after = await counts(dbs);
    expect(after.snapshot).toBe(manifestOf(await readEntries(newer)).snapshotId);
    expect((await getImports(dbs.feeds)).map((i) => i.snapshotId)).toEqual([after.snapshot, baseline.snapshot]);
    const job = await queue.dequeue<{ snapshotId: string }>(RESCAN_QUEUE, { leaseMs: 1000 });
    expect(job?.payload.snapshotId).toBe(after.snapshot);
    await queue.ack(job!);
    // Back to the baseline for the refusal tests, which need `newer` to be newer.
    await importBundle(dbs, older, { trusted, allowDowngrade: true });
    expect((await counts(dbs)).snapshot).toBe(baseline.snapshot);
    baseline = await counts(dbs);
  });

  it('a dry run verifies everything and changes nothing', async () => {
    const result = await importBundle(dbs, newer, { trusted, dryRun: true });
    expect(result.applied).toBe(false);
    expect(result.bundle.records).toBe(270);
    expect(await counts(dbs)).toEqual(baseline);
  });

  async function variant(name: string, mutate: (entries: RawEntry[]) => RawEntry[], opts: { endMarker?: boolean } = {}): Promise<string> {
    const file = join(dir, `${dialect}-${name}.tar`);
    writeTar(file, mutate(await readEntries(newer)), opts);
    return file;
  }

  const member = (entries: RawEntry[]) => manifestOf(entries).drivers[0]!.groups[0]!.file;

  // 10 MiB that gzip cannot shrink far, so the line cap trips before the expansion cap.
  const longLine = randomBytes(5 << 20).toString('hex');
  const refusals: Array<[string, (e: RawEntry[]) => RawEntry[], RegExp]> = [
    ['unsigned', (e) => e.filter((x) => x.name !== 'manifest.json.sig'), /bundle is unsigned: manifest\.json\.sig is missing/],
    ['untrusted-key', (e) => withManifest(e, manifestOf(e), otherKey), /signed by key [0-9a-f]{16}, which is not among the trusted keys/],
    [
      'manifest-edited',
      (e) => e.map((x) => (x.name === 'manifest.json' ? { ...x, body: Buffer.from(x.body!.toString().replace('"records": 40', '"records": 41')) } : x)),
      /manifest signature does not verify .*changed after signing/,
    ],
    [
      'byte-flipped',
      (e) => {
        const target = member(e);
        return e.map((x) => {
          if (x.name !== target) return x;
          const body = Buffer.from(x.body!);
          body[Math.floor(body.length / 2)]! ^= 0x01;
          return { ...x, body };
        });
      },
      /fails its sha256 check|is not valid gzip/,
    ],
    ['member-missing', (e) => e.filter((x) => x.name !== member(e)), /listed in the manifest is missing/],
    ['extra-member', (e) => [...e, { name: 'data/alpine/extra.ndjson.gz', body: gzipSync('{}\n') }], /member data\/alpine\/extra\.ndjson\.gz is not in the manifest/],
    ['dotdot', (e) => [...e, { name: 'data/../../etc/passwd', body: Buffer.from('x') }], /escapes the bundle \(absolute path or \.\.\)/],
    ['absolute', (e) => [...e, { name: '/etc/cron.d/evil', body: Buffer.from('x') }], /escapes the bundle/],
    ['symlink', (e) => e.map((x) => (x.name === member(e) ? { name: x.name, type: 'symlink' as const, linkname: '/etc/shadow' } : x)), /is a symlink: links are refused/],
    ['hardlink', (e) => e.map((x) => (x.name === member(e) ? { name: x.name, type: 'hardlink' as const, linkname: 'manifest.json' } : x)), /is a hardlink: links are refused/],
    [
      'larger-than-manifest',
      (e) => e.map((x) => (x.name === member(e) ? { ...x, body: Buffer.concat([x.body!, Buffer.alloc(10)]) } : x)),
      /is \d+ bytes but the manifest says \d+/,
    ],
    [
      'gzip-bomb',
      (e) => withMember(e, member(e), '', key, gzipSync(Buffer.alloc(64 << 20, 0x20))),
      /expands beyond \d+ bytes \(refused as a decompression bomb\)/,
    ],
    [
      'invalid-record',
      (e) => withMember(e, member(e), `${JSON.stringify({ kind: 'vulnerability', id: 'CVE-2024-1', namespace: 'alpine:3.18', severity: 'Apocalyptic' })}\n`, key),
      /line 1: invalid record: severity: Invalid option/,
    ],
    ['not-json', (e) => withMember(e, member(e), '{"kind": "vulnerab\n', key), /line 1 is not JSON/],
    [
      'invalid-record-deep-in-a-large-member',
      // Many chunks in flight on the parser workers: the bad line is still the one reported.
      (e) => {
        const group = manifestOf(e).drivers[0]!.groups[0]!.name;
        const lines = sampleRecords('alpine', 4000).map((r) => JSON.stringify({ ...r, namespace: group }));
        lines[3499] = lines[3499]!.replace(/"severity":"\w+"/, '"severity":"Apocalyptic"');
        return withMember(e, member(e), `${lines.join('\n')}\n`, key);
      },
      /line 3500: invalid record: severity: Invalid option/,
    ],
    ['overlong-line', (e) => withMember(e, member(e), `${longLine}\n`, key), /has a line longer than 8388608 bytes/],
    [
      'invalid-record-before-an-overlong-line',
      // The bad record was handed to a parser before reading hit the long line: it is what is reported.
      (e) => {
        const group = manifestOf(e).drivers[0]!.groups[0]!.name;
        const filler = sampleRecords('alpine', 800).map((r) => JSON.stringify({ ...r, namespace: group }));
        return withMember(e, member(e), `${JSON.stringify({ kind: 'vulnerability' })}\n${filler.join('\n')}\n${longLine}\n`, key);
      },
      /line 1: invalid record/,
    ],
    [
      'schema-too-new',
      (e) => withManifest(e, { ...manifestOf(e), schemaVersion: 99 }, key),
      /record schema version 99 is newer than this airlock reads \(1\); upgrade airlock first/,
    ],
  ];

  it.each(refusals)('refuses a bundle that is %s, leaving the feed data intact', async (name, mutate, error) => {
    const file = await variant(name, mutate);
    await expect(importBundle(dbs, file, { trusted })).rejects.toThrow(error);
    expect(await counts(dbs)).toEqual(baseline);
    expect(readdirSync(dataDir).filter((f) => f.includes('staging') || f.includes('lock'))).toEqual([]);
  });

  it('refuses a truncated tar', async () => {
    const full = readFileSync(newer);
    const file = join(dir, `${dialect}-truncated.tar`);
    writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.6)));
    await expect(importBundle(dbs, file, { trusted })).rejects.toThrow(/truncated/);
    expect(await counts(dbs)).toEqual(baseline);
  });

  it('refuses an older snapshot unless --allow-downgrade', async () => {
    await importBundle(dbs, newer, { trusted });
    const current = await counts(dbs);
    await expect(importBundle(dbs, older, { trusted })).rejects.toThrow(/is older than the current .* refused as a rollback/);
    expect(await counts(dbs)).toEqual(current);
    await importBundle(dbs, older, { trusted, allowDowngrade: true });
    expect(await counts(dbs)).toEqual(baseline);
  });
});

describe('verify', () => {
  it('accepts the exported bundle and reports what it holds', async () => {
    const summary = await readBundle(newer, { trusted });
    expect(summary.records).toBe(270);
    expect(summary.keyId).toBe(keys.id);
    expect(summary.manifest.drivers.map((d) => d.id)).toEqual(['alpine', 'debian', 'kev', 'nvd']);
  });

  it('reports the sha256 of the whole file, zero padding past its 1 MiB read chunks included, and refuses appended data', async () => {
    const bytes = readFileSync(newer);
    const padded = join(dir, 'padded.tar');
    writeFileSync(padded, Buffer.concat([bytes, Buffer.alloc(3 << 19)]));
    expect((await readBundle(padded, { trusted })).sha256).toBe(createHash('sha256').update(readFileSync(padded)).digest('hex'));
    expect((await readBundle(newer, { trusted })).sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const appended = join(dir, 'appended.tar');
    writeFileSync(appended, Buffer.concat([bytes, Buffer.alloc(3 << 19), Buffer.from('#!/bin/sh\n')]));
    await expect(readBundle(appended, { trusted })).rejects.toThrow(/bundle is not a valid tar: data after the end-of-archive marker/);
  });

  it('leaves no partial file when export fails', async () => {
    const empty = await freshDatabases('sqlite');
    cleanups.push(empty.cleanup);
    await migrateAll(empty.dbs);
    const out = join(dir, 'none.tar');
    await expect(exportBundle(empty.dbs.feeds, out, key)).rejects.toThrow(/holds no snapshot yet/);
    expect(existsSync(out)).toBe(false);
  });
});
