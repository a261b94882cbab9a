import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, dirSnapshot, fastHttp, fetchContext, tempDir } from '../../../test/support/feeds.js';
import { packDirectory, startUpstreamServer, type UpstreamServer } from '../../../test/support/upstream-server.js';
import { feedRecordSchema, type FeedRecord, type VulnerabilityRecord } from '../../record.js';
import { osv } from './index.js';
import { parseOsv } from './parse.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const config = osv.config.parse({ ecosystems: ['npm', 'PyPI', 'Go'] });
let server: UpstreamServer;
let snapshot: string;
let cleanupSnapshot: () => Promise<void>;

async function writeZip(dir: string, ecosystem: string, zip: Uint8Array): Promise<void> {
  await mkdir(join(dir, ecosystem), { recursive: true });
  await writeFile(join(dir, ecosystem, 'all.zip'), zip);
}

beforeAll(async () => {
  server = await startUpstreamServer(fixtures);
  ({ dir: snapshot, cleanup: cleanupSnapshot } = await tempDir('osv'));
  for (const e of ['npm', 'PyPI', 'Go']) await writeZip(snapshot, e, (await packDirectory(join(fixtures, e))) ?? new Uint8Array());
});
afterAll(async () => {
  await server.close();
  await cleanupSnapshot();
});

const vulns = (records: FeedRecord[]): VulnerabilityRecord[] => records.filter((r): r is VulnerabilityRecord => r.kind === 'vulnerability');

describe('osv parse', () => {
  it('maps every record of the npm, PyPI and Go dumps, dropping GIT ranges with a warning', async () => {
    const warnings: object[] = [];
    const records = vulns(await collect(parseOsv(dirSnapshot(snapshot), config, { warn: (o: object) => void warnings.push(o) })));
    expect(records.map((r) => r.namespace).reduce<Record<string, number>>((n, ns) => ({ ...n, [ns]: (n[ns] ?? 0) + 1 }), {})).toEqual({ npm: 1, pypi: 12, go: 10 });
    for (const r of records) expect(feedRecordSchema.safeParse(r).success).toBe(true);
    expect(warnings).toEqual([{ driver: 'osv', ecosystem: 'PyPI', gitRanges: 6 }]);
    expect(records.flatMap((r) => r.affected).every((a) => a.ranges.length > 0 || a.versions.length > 0)).toBe(true);

    const pysec = records.find((r) => r.id === 'PYSEC-2022-278');
    expect(pysec?.affected[0]).toMatchObject({ package: 'rdiffweb', scheme: 'pep440', ranges: [{ events: [{ introduced: '0' }, { fixed: '2.4.3' }] }], fix: { state: 'fixed', versions: ['2.4.3'] } });
    expect(pysec?.affected[0]?.versions).toContain('1.0.0a1');
    expect(records.find((r) => r.id === 'PYSEC-2020-342')).toMatchObject({ severity: 'Critical', cvss: [{ source: 'pysec', version: '3.1', baseScore: 9.8 }] });
    expect(records.find((r) => r.id === 'PYSEC-2020-221')?.withdrawn).toBeDefined();

    const ghsa = records.find((r) => r.id === 'GHSA-8gjv-fq6q-6f2x');
    expect(ghsa).toMatchObject({ namespace: 'npm', severity: 'Medium', aliases: ['CVE-2024-99990'], cvss: [{ source: 'ghsa', version: '3.1', baseScore: 8.2 }] });
    expect(ghsa?.affected).toEqual([
      {
        package: 'example-merge',
        scheme: 'semver',
        ranges: [{ events: [{ introduced: '0' }, { fixed: '1.2.4' }] }, { events: [{ introduced: '2.0.0' }, { last_affected: '2.1.0' }] }],
        versions: [],
        fix: { state: 'fixed', versions: ['1.2.4'] },
        advisories: [],
      },
    ]);
    const go = records.find((r) => r.id === 'GO-2022-0564');
    expect(go?.namespace).toBe('go');
    expect(go?.affected.every((a) => a.scheme === 'go')).toBe(true);
    expect(go?.aliases.length).toBeGreaterThan(0);
  });

  it('keeps only the dump\'s own ecosystem, and skips records with none of its packages', async () => {
    const { dir, cleanup } = await tempDir('osv-foreign');
    const ghsa = await readFile(join(fixtures, 'npm/GHSA-8gjv-fq6q-6f2x.json'));
    const goOnly = await readFile(join(fixtures, 'Go/GO-2021-0051.json'));
    await writeZip(dir, 'PyPI', zipSync({ 'GHSA-8gjv-fq6q-6f2x.json': ghsa, 'GO-2021-0051.json': goOnly }));
    const records = vulns(await collect(osv.parse(dirSnapshot(dir), osv.config.parse({ ecosystems: ['PyPI'] }))));
    expect(records.map((r) => [r.id, r.namespace, r.affected.map((a) => `${a.package}/${a.scheme}`)])).toEqual([['GHSA-8gjv-fq6q-6f2x', 'pypi', ['example-merge-py/pep440']]]);
    await cleanup();
  });

  it('fails with the driver id, dump and entry on a bad entry or a broken archive', async () => {
    const { dir, cleanup } = await tempDir('osv-bad');
    const only = osv.config.parse({ ecosystems: ['PyPI'] });
    const run = () => collect(osv.parse(dirSnapshot(dir), only));
    await writeZip(dir, 'PyPI', zipSync({ 'PYSEC-1.json': new TextEncoder().encode('{"id": "PYSEC-1", ') }));
    await expect(run()).rejects.toThrow(/^osv: PyPI\/all\.zip: PYSEC-1\.json: not valid JSON/);
    await writeZip(dir, 'PyPI', zipSync({ 'PYSEC-2.json': new TextEncoder().encode('{"affected": []}') }));
    await expect(run()).rejects.toThrow(/^osv: PyPI\/all\.zip: PYSEC-2\.json: not an OSV record: id/);
    const good = zipSync({ 'PYSEC-3.json': await readFile(join(fixtures, 'PyPI/PYSEC-2020-342.json')) });
    const corrupt = Buffer.from(good);
    corrupt[60] = (corrupt[60] ?? 0) ^ 0xff;
    await writeZip(dir, 'PyPI', corrupt);
    await expect(run()).rejects.toThrow(/^osv: PyPI\/all\.zip: PYSEC-3\.json: (cannot inflate|size or CRC mismatch)/);
    await writeZip(dir, 'PyPI', Buffer.from('<html>not found</html>'));
    await expect(run()).rejects.toThrow(/^osv: PyPI\/all\.zip: not a zip archive/);
    await expect(collect(osv.parse(dirSnapshot(dir), osv.config.parse({ ecosystems: ['Maven'] })))).rejects.toThrow(/^osv: Maven\/all\.zip: missing from the snapshot/);
    await cleanup();
  });
});

describe('osv fetch', () => {
  it('downloads <base>/<Ecosystem>/all.zip per ecosystem, then reports unchanged', async () => {
    const { dir, cleanup } = await tempDir('osv-fetch');
    const { http } = fastHttp();
    const ctx = fetchContext(osv, { baseUrl: server.url, workdir: dir, http, config: { ecosystems: ['PyPI', 'Go'] } });
    const before = server.requests.length;
    const first = await osv.fetch(ctx, null);
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/PyPI/all.zip', '/Go/all.zip']);
    expect(vulns(await collect(osv.parse(dirSnapshot(dir), ctx.config)))).toHaveLength(22);
    expect(await osv.fetch(ctx, first === 'unchanged' ? null : first)).toBe('unchanged');
    await cleanup();
  });

  it('retries a 500 and a 429, and a truncated dump fails parse with the driver id', async () => {
    const { dir, cleanup } = await tempDir('osv-retry');
    const { http, delays } = fastHttp();
    const ctx = fetchContext(osv, { baseUrl: server.url, workdir: dir, http, config: { ecosystems: ['Go'] } });
    server.fail('/Go/all.zip', { status: 500, times: 1 });
    server.fail('/Go/all.zip', { status: 429, times: 1, headers: { 'retry-after': '2' } });
    await osv.fetch(ctx, null);
    expect(delays).toEqual([1000, 2000]);
    const zip = (await packDirectory(join(fixtures, 'Go'))) ?? Buffer.alloc(0);
    server.fail('/Go/all.zip', { times: 1, body: zip.subarray(0, zip.length - 30) });
    await osv.fetch(ctx, null);
    await expect(collect(osv.parse(dirSnapshot(dir), ctx.config))).rejects.toThrow(/^osv: Go\/all\.zip: /);
    await cleanup();
  });
});
