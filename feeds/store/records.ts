import type { Db } from '../../src/db/index.js';
import { safeParseFeedRecord, type FeedRecord } from '../record.js';
import { addRecordRows, emptyBatch } from './rows.js';

const page = 5000;

/** Where one group's records live: enrichment groups have their own tables. */
function groupQuery(group: string): { sql: string; key: string } {
  if (group === 'kev') return { sql: 'SELECT cve_id AS k, record FROM kev WHERE driver = ? AND cve_id > ? ORDER BY cve_id LIMIT ?', key: 'cve_id' };
  if (group === 'epss') return { sql: 'SELECT cve_id AS k, record FROM epss WHERE driver = ? AND cve_id > ? ORDER BY cve_id LIMIT ?', key: 'cve_id' };
  return {
    sql: 'SELECT id AS k, record FROM vulnerabilities WHERE driver = ? AND namespace = ? AND id > ? ORDER BY id LIMIT ?',
    key: 'id',
  };
}

/** Streams one group's records as stored JSON, in id order, a page at a time (never all in memory). */
export async function* groupRecords(db: Db, driver: string, group: string): AsyncIterable<string> {
  const { sql } = groupQuery(group);
  const enrichment = group === 'kev' || group === 'epss';
  let after = '';
  for (;;) {
    const params = enrichment ? [driver, after, page] : [driver, group, after, page];
    const rows = await db.query<{ k: string; record: string }>(sql, params);
    for (const row of rows) yield row.record;
    if (rows.length < page) return;
    after = rows[rows.length - 1]!.k;
  }
}

/** Removes everything a driver stored (before a full replacement). */
export async function deleteDriverRecords(db: Db, driver: string): Promise<void> {
  for (const table of ['vulnerabilities', 'affected_packages', 'vulnerability_aliases', 'cpe_products', 'kev', 'epss']) {
    await db.run(`DELETE FROM ${table} WHERE driver = ?`, [driver]);
  }
}

/**
 * Removes specific vulnerabilities of a driver (before an incremental update re-adds them). Their
 * rows are found through the lookup indexes, keyed from the stored record that produced them.
 */
export async function deleteVulnerabilities(db: Db, driver: string, keys: Array<{ namespace: string; id: string }>): Promise<void> {
  for (const { namespace, id } of keys) {
    const [stored] = await db.query<{ record: string }>('SELECT record FROM vulnerabilities WHERE driver = ? AND namespace = ? AND id = ?', [driver, namespace, id]);
    if (!stored) continue;
    const parsed = safeParseFeedRecord(JSON.parse(stored.record));
    if (parsed.success) await deleteDerivedRows(db, driver, namespace, id, parsed.data, stored.record);
    else {
      // Stored by something that did not validate it the way this code does: find its rows the slow way.
      for (const table of ['affected_packages', 'vulnerability_aliases', 'cpe_products']) {
        await db.run(`DELETE FROM ${table} WHERE driver = ? AND namespace = ? AND vuln_id = ?`, [driver, namespace, id]);
      }
    }
    await db.run('DELETE FROM vulnerabilities WHERE driver = ? AND namespace = ? AND id = ?', [driver, namespace, id]);
  }
}

/** Deletes the lookup rows a record produced, found through the lookup indexes. */
async function deleteDerivedRows(db: Db, driver: string, namespace: string, id: string, record: FeedRecord, json: string): Promise<void> {
  const rows = emptyBatch();
  // Parsed, not cast: the schema's defaults (empty aliases, affected, ...) fill what the JSON left out.
  addRecordRows(driver, record, json, rows);
  for (const pkg of new Set(rows.affected_packages.map((r) => r[1] as string))) {
    await db.run('DELETE FROM affected_packages WHERE namespace = ? AND package = ? AND vuln_id = ? AND driver = ?', [namespace, pkg, id, driver]);
  }
  for (const [alias] of rows.vulnerability_aliases) {
    await db.run('DELETE FROM vulnerability_aliases WHERE alias = ? AND namespace = ? AND vuln_id = ? AND driver = ?', [alias, namespace, id, driver]);
  }
  for (const [vendor, product] of rows.cpe_products) {
    await db.run('DELETE FROM cpe_products WHERE vendor = ? AND product = ? AND namespace = ? AND vuln_id = ? AND driver = ?', [vendor, product, namespace, id, driver]);
  }
}

/** Removes a driver's KEV or EPSS row for one CVE. */
export async function deleteEnrichment(db: Db, driver: string, kind: 'kev' | 'epss', cveId: string): Promise<void> {
  await db.run(`DELETE FROM ${kind} WHERE cve_id = ? AND driver = ?`, [cveId, driver]);
}

/** Record counts per driver and group as stored (what a group's `records` must equal). */
export async function countGroups(db: Db, driver: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const vulns = await db.query<{ namespace: string; n: number }>('SELECT namespace, COUNT(*) AS n FROM vulnerabilities WHERE driver = ? GROUP BY namespace', [driver]);
  for (const r of vulns) out.set(r.namespace, Number(r.n));
  for (const table of ['kev', 'epss']) {
    const [row] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE driver = ?`, [driver]);
    if (Number(row?.n ?? 0) > 0) out.set(table, Number(row!.n));
  }
  return out;
}
