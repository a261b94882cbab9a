import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceDriverData } from '../../feeds/store/index.js';
import { dialects, freshDatabases } from '../../test/dbs.js';
import { loadDriver, osvDump, scanFixtures, shared } from '../../test/fixtures/scan/feeds.js';
import { migrateAll, type Databases, type Db } from '../db/index.js';
import { matchPackages, type MatchPackage } from './index.js';

const pkg = (purl: string, version: string): MatchPackage => ({ name: purl.split('/').pop()!.split('@')[0]!, version, type: purl.slice(4, purl.indexOf('/')), purl, locations: [] });
const lodash = (v: string) => pkg(`pkg:npm/lodash@${v}`, v);
const activitypub = (v: string) => pkg(`pkg:composer/automattic/activitypub@${v}`, v);

/** A Db that remembers every statement it was asked to run. */
function recording(db: Db): { db: Db; statements: Set<string> } {
  const statements = new Set<string>();
  const wrapped: Db = Object.create(db) as Db;
  wrapped.query = (sql, params) => {
    statements.add(sql);
    return db.query(sql, params);
  };
  return { db: wrapped, statements };
}

/** The store these tests read: real NVD and OSV data through their drivers, plus enrichment rows. */
async function loadStore(dbs: Databases): Promise<void> {
  await migrateAll(dbs);
  const page = { copy: join(scanFixtures, 'nvd/cves-page.json') };
  const sample = { copy: join(shared, 'upstream/nvd/api2-cves-page.json') };
  await loadDriver(dbs.feeds, 'nvd', { 'pages/000000.json': sample, 'pages/000001.json': page });
  await loadDriver(dbs.feeds, 'osv', { 'npm/all.zip': { bytes: osvDump(join(scanFixtures, 'osv/npm')) }, 'PyPI/all.zip': { bytes: osvDump(join(shared, 'osv/PyPI')) } }, { ecosystems: ['npm', 'PyPI'] });
  // No KEV/EPSS driver exists yet: enrichment rows go in as the bundle importer writes them. The
  // values are made up for this test; only the join on the CVE id is under test.
  await replaceDriverData(dbs.feeds, 'enrichment', [
    { kind: 'kev', cveId: 'CVE-2021-23337', dateAdded: '2026-01-01' },
    { kind: 'epss', cveId: 'CVE-2021-23337', epss: 0.25, percentile: 0.9, date: '2026-01-01' },
  ], '2026-12-01T00:00:00.000Z');
}

describe.each(dialects)('matcher on %s', (dialect) => {
  let dbs: Databases;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dbs, cleanup } = await freshDatabases(dialect));
    await loadStore(dbs);
  }, 120_000);
  afterAll(() => cleanup());

  it('folds the GHSA record and its NVD CVE into one finding with the other id as alias', async () => {
    const { matches } = await matchPackages(dbs.feeds, { packages: [lodash('4.17.20')], distro: null }, { cpeLanguage: 'always' });
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({
      vulnerability: { id: 'GHSA-35jh-r3h4-6jhm', aliases: ['CVE-2021-23337'], severity: 'High', namespace: 'npm', kev: true, epss: 0.25 },
      fix: { state: 'fixed', versions: ['4.17.21'] },
      matchedBy: 'language',
    });
    expect(matches[0]!.vulnerability.cvss[0]).toMatchObject({ version: '3.1', baseScore: 7.2 });
    expect((await matchPackages(dbs.feeds, { packages: [lodash('4.17.21')], distro: null }, { cpeLanguage: 'always' })).matches).toEqual([]);
  });

  it('matches NVD CPEs only for ecosystems no feed covers, unless told otherwise', async () => {
    // npm is covered by the OSV data, so by default NVD is not asked about lodash at all.
    const covered = await matchPackages(dbs.feeds, { packages: [lodash('4.17.20')], distro: null });
    expect(covered.matches.map((m) => m.matchedBy)).toEqual(['language']);
    // composer has no feed here: the NVD sample's automattic:activitypub (< 1.0.0) applies.
    const uncovered = await matchPackages(dbs.feeds, { packages: [activitypub('0.17.0')], distro: null });
    expect(uncovered.matches.map((m) => [m.vulnerability.id, m.matchedBy, m.fix.versions[0]])).toEqual([
      ['CVE-2023-3706', 'cpe', '1.0.0'],
      ['CVE-2023-3707', 'cpe', '1.0.0'],
      ['CVE-2023-3746', 'cpe', '1.0.0'],
    ]);
    expect(uncovered.matches[0]!.vulnerability.namespace).toBe('nvd');
    expect((await matchPackages(dbs.feeds, { packages: [activitypub('1.0.0')], distro: null })).matches).toEqual([]);
    expect((await matchPackages(dbs.feeds, { packages: [activitypub('0.17.0')], distro: null }, { cpeLanguage: 'never' })).matches).toEqual([]);
  });

  it('reads the same findings from rows stored before the summary column existed (summary NULL)', async () => {
    const before = await matchPackages(dbs.feeds, { packages: [lodash('4.17.20')], distro: null }, { cpeLanguage: 'always' });
    const [{ n }] = (await dbs.feeds.query<{ n: number }>('SELECT COUNT(*) AS n FROM vulnerabilities WHERE summary IS NOT NULL')) as [{ n: number }];
    expect(Number(n)).toBeGreaterThan(0);
    await dbs.feeds.run('UPDATE vulnerabilities SET summary = NULL');
    try {
      const after = await matchPackages(dbs.feeds, { packages: [lodash('4.17.20')], distro: null }, { cpeLanguage: 'always' });
      expect(after).toEqual(before);
      expect(after.matches[0]!.vulnerability.aliases).toEqual(['CVE-2021-23337']);
    } finally {
      await loadStore(dbs);
    }
  });

  it('keeps only fixed findings with onlyFixed, and reports versions the scheme rejects', async () => {
    const skywalking = pkg('pkg:pypi/apache-skywalking@0.1.0', '0.1.0');
    expect((await matchPackages(dbs.feeds, { packages: [skywalking], distro: null })).matches[0]).toMatchObject({ vulnerability: { id: 'PYSEC-2020-342', severity: 'Critical' }, fix: { state: 'not-fixed' } });
    expect((await matchPackages(dbs.feeds, { packages: [skywalking, lodash('4.17.20')], distro: null }, { onlyFixed: true })).matches.map((m) => m.vulnerability.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    const bad = await matchPackages(dbs.feeds, { packages: [pkg('pkg:pypi/django@not-a-version', 'not-a-version')], distro: null });
    expect(bad.matches).toEqual([]);
    expect(bad.warnings[0]).toMatch(/^django@not-a-version: version 'not-a-version' is not a valid pep440 version/);
  });
});

describe('matcher query plans (SQLite)', () => {
  let dbs: Databases;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dbs, cleanup } = await freshDatabases('sqlite'));
    await loadStore(dbs);
  }, 120_000);
  afterAll(() => cleanup());

  it('uses index searches for every statement, never a table scan', async () => {
    const { db, statements } = recording(dbs.feeds);
    await matchPackages(db, { packages: [lodash('4.17.20'), activitypub('0.17.0'), pkg('pkg:pypi/django@3.2.0', '3.2.0')], distro: null }, { cpeLanguage: 'always' });
    expect(statements.size).toBeGreaterThan(5);
    for (const sql of statements) {
      const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x');
      const plan = await dbs.feeds.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
      expect(plan.map((p) => p.detail).join('; '), sql).not.toMatch(/\bSCAN\b/);
      expect(plan.map((p) => p.detail).join('; '), sql).toMatch(/SEARCH .* USING (COVERING )?(INDEX|PRIMARY KEY)|SEARCH .* USING INTEGER PRIMARY KEY/);
    }
  });
});
