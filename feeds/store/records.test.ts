import { afterAll, describe, expect, it } from 'vitest';
import { dialects, freshDatabases } from '../../test/dbs.js';
import { migrateAll, type Db } from '../../src/db/index.js';
import { sampleRecords } from '../bundle/sample-records.js';
import type { FeedRecord } from '../record.js';
import { deleteVulnerabilities } from './records.js';
import { replaceDriverData } from './replace.js';
import { StoreWriter } from './writer.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function count(db: Db, table: string, where = '1 = 1', params: unknown[] = []): Promise<number> {
  return Number((await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params))[0]!.n);
}

/** Sample records with aliases added, so every derived table has rows of each vulnerability. */
function withAliases(records: FeedRecord[]): FeedRecord[] {
  return records.map((r) => (r.kind === 'vulnerability' ? { ...r, aliases: [`GHSA-${r.id.slice(9)}`, `OSV-${r.id}`] } : r));
}

describe.each(dialects)('deleteVulnerabilities (%s)', (dialect) => {
  it('removes exactly the rows the stored records produced, in every derived table', async () => {
    const f = await freshDatabases(dialect);
    cleanups.push(f.cleanup);
    await migrateAll(f.dbs);
    const db = f.dbs.feeds;
    await replaceDriverData(db, 'alpine', withAliases(sampleRecords('alpine', 30)), '2026-12-01T00:00:00.000Z');
    await replaceDriverData(db, 'nvd', withAliases(sampleRecords('nvd', 10)), '2026-12-01T00:00:00.000Z');
    const before = { affected: await count(db, 'affected_packages'), aliases: await count(db, 'vulnerability_aliases'), cpe: await count(db, 'cpe_products') };
    expect(before).toEqual({ affected: 240, aliases: 80, cpe: 10 });

    const alpineGone = [
      { namespace: 'alpine:3.18', id: 'CVE-2024-10000' },
      { namespace: 'alpine:3.19', id: 'CVE-2024-10001' },
    ];
    await deleteVulnerabilities(db, 'alpine', alpineGone);
    await deleteVulnerabilities(db, 'nvd', [{ namespace: 'nvd', id: 'CVE-2024-10003' }, { namespace: 'nvd', id: 'CVE-2099-0001' }]);

    expect(await count(db, 'vulnerabilities')).toBe(37);
    expect(await count(db, 'affected_packages')).toBe(before.affected - 16);
    expect(await count(db, 'vulnerability_aliases')).toBe(before.aliases - 6);
    expect(await count(db, 'cpe_products')).toBe(before.cpe - 1);
    const gone = [...alpineGone.map((g) => ['alpine', g.id]), ['nvd', 'CVE-2024-10003']];
    for (const [driver, id] of gone) {
      for (const table of ['affected_packages', 'vulnerability_aliases', 'cpe_products']) expect(await count(db, table, 'driver = ? AND vuln_id = ?', [driver, id])).toBe(0);
    }
    // The same id under another driver is untouched.
    expect(await count(db, 'affected_packages', 'driver = ? AND vuln_id = ?', ['alpine', 'CVE-2024-10003'])).toBe(8);
    expect(await count(db, 'vulnerability_aliases', 'driver = ? AND vuln_id = ?', ['alpine', 'CVE-2024-10003'])).toBe(2);
  });

  it('handles stored lines that leave defaults out, and rows of records the schema no longer accepts', async () => {
    const f = await freshDatabases(dialect);
    cleanups.push(f.cleanup);
    await migrateAll(f.dbs);
    const db = f.dbs.feeds;
    // As an import stores them: the bundle line verbatim, which may omit fields the schema defaults.
    const minimal = { kind: 'vulnerability', id: 'CVE-2024-1', namespace: 'nvd', severity: 'High' } as const;
    const writer = new StoreWriter(db);
    await writer.add('nvd', { ...minimal, aliases: ['GHSA-1'], cvss: [], urls: [], affected: [], cpeConfigurations: [] }, JSON.stringify(minimal));
    await writer.add('nvd', { ...minimal, id: 'CVE-2024-2', aliases: ['GHSA-2'], cvss: [], urls: [], affected: [], cpeConfigurations: [] }, JSON.stringify({ ...minimal, id: 'CVE-2024-2', severity: 'Apocalyptic' }));
    await writer.flush();
    expect(await count(db, 'vulnerability_aliases')).toBe(2);
    await deleteVulnerabilities(db, 'nvd', [{ namespace: 'nvd', id: 'CVE-2024-1' }, { namespace: 'nvd', id: 'CVE-2024-2' }]);
    expect(await count(db, 'vulnerabilities')).toBe(0);
    // The first record's JSON names no alias: its row stays (its producer said otherwise); the
    // second, unparseable today, is removed with everything stored under its id.
    expect(await db.query('SELECT alias FROM vulnerability_aliases')).toEqual([{ alias: 'GHSA-1' }]);
  });
});
