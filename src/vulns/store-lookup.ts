import type { Cvss, Severity } from '../../feeds/record.js';
import type { Db } from '../db/index.js';

/** One affected_packages row. */
export interface AffectedRow {
  /** Feed namespace. */
  namespace: string;
  /** Package name as the feed spells it. */
  package: string;
  /** Vulnerability id. */
  vuln_id: string;
  /** Driver that stored it. */
  driver: string;
  /** Version scheme. */
  scheme: string;
  /** Vendor fix state. */
  fix_state: string;
  /** First fixed-in version. */
  fixed_version: string | null;
  /** JSON {ranges, versions, fix} unless the row is a plain "below fixed_version". */
  detail: string | null;
}

/** One vulnerabilities row, record still JSON. */
export interface VulnerabilityRow {
  driver: string;
  namespace: string;
  id: string;
  record: string;
}

/** What a finding shows of its record: everything but the (often large) affected list. */
export interface VulnSummary {
  /** Record id. */
  id: string;
  /** Namespace. */
  namespace: string;
  /** Other ids. */
  aliases: string[];
  /** Vendor severity. */
  severity: Severity;
  /** CVSS assessments. */
  cvss: Cvss[];
  /** Upstream links. */
  urls: string[];
  /** Set when the source withdrew the record. */
  withdrawn?: string | undefined;
}

/** A vulnerability as the feed store keys it. */
export interface VulnKey {
  /** Driver that stored it. */
  driver: string;
  /** Namespace. */
  namespace: string;
  /** Id. */
  id: string;
}

/**
 * IN lists are padded to these sizes so one scan prepares at most a handful of statements, and
 * SQLite's statement cache (keyed by SQL text) serves every later scan as well.
 */
const buckets = [1, 8, 32, 128, 512];
const maxChunk = buckets[buckets.length - 1]!;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += maxChunk) out.push(items.slice(i, i + maxChunk));
  return out;
}

function padded(values: readonly string[]): string[] {
  const size = buckets.find((b) => b >= values.length) ?? maxChunk;
  const out = [...values];
  while (out.length < size) out.push(values[values.length - 1]!);
  return out;
}

/**
 * The feed store reads of one scan. Every query is an indexed lookup: affected_packages by
 * (namespace, package), vulnerabilities by its key, cpe_products by (vendor, product), kev and
 * epss by cve_id. SQL texts are built once per list size and reused.
 */
export class FeedLookup {
  private readonly sql = new Map<string, string>();
  private readonly covered = new Map<string, boolean>();

  constructor(private readonly db: Db) {}

  private text(key: string, size: number, build: (marks: string) => string): string {
    const cacheKey = `${key}:${size}`;
    let sql = this.sql.get(cacheKey);
    if (sql === undefined) {
      sql = build(Array.from({ length: size }, () => '?').join(', '));
      this.sql.set(cacheKey, sql);
    }
    return sql;
  }

  /** Rows for these package names in one namespace. */
  async affected(namespace: string, names: readonly string[]): Promise<AffectedRow[]> {
    const out: AffectedRow[] = [];
    for (const chunk of chunks(names)) {
      const values = padded(chunk);
      const sql = this.text('affected', values.length, (m) =>
        `SELECT namespace, package, vuln_id, driver, scheme, fix_state, fixed_version, detail FROM affected_packages WHERE namespace = ? AND package IN (${m})`);
      out.push(...(await this.db.query<AffectedRow>(sql, [namespace, ...values])));
    }
    return out;
  }

  /** Whether the store holds any data for a namespace (a source "covers" it). */
  async hasNamespace(namespace: string): Promise<boolean> {
    const known = this.covered.get(namespace);
    if (known !== undefined) return known;
    const rows = await this.db.query('SELECT 1 AS one FROM affected_packages WHERE namespace = ? LIMIT 1', [namespace]);
    this.covered.set(namespace, rows.length > 0);
    return rows.length > 0;
  }

  /** Whether a table holds any row (enrichment and NVD lookups are skipped when their data is absent). */
  async hasRows(table: 'kev' | 'epss' | 'nvd'): Promise<boolean> {
    const known = this.covered.get(`table:${table}`);
    if (known !== undefined) return known;
    // Predicates on the primary keys keep even these probes index searches rather than scans.
    const sql = table === 'nvd' ? "SELECT 1 AS one FROM vulnerabilities WHERE driver = 'nvd' LIMIT 1" : `SELECT 1 AS one FROM ${table} WHERE cve_id >= '' LIMIT 1`;
    const found = (await this.db.query(sql)).length > 0;
    this.covered.set(`table:${table}`, found);
    return found;
  }

  /**
   * Summaries by key, from the small summary column the store keeps beside each record: parsing
   * whole records (affected lists of thousands of versions) dominated matching time. Rows stored
   * before the column existed have it NULL; the database then picks the fields out of the record.
   */
  async summaries(keys: readonly VulnKey[]): Promise<Map<string, VulnSummary>> {
    const pick =
      this.db.dialect === 'sqlite'
        ? "COALESCE(summary, json_extract(record, '$.aliases', '$.cvss', '$.urls', '$.withdrawn'))"
        : "COALESCE(summary::json, json_build_array((record::json)->'aliases', (record::json)->'cvss', (record::json)->'urls', (record::json)->'withdrawn'))";
    const out = new Map<string, VulnSummary>();
    for (const row of await this.byKey<VulnKey & { severity: Severity; picked: unknown }>(keys, `driver, namespace, id, severity, ${pick} AS picked`)) {
      // SQLite hands back JSON text, node-postgres an already parsed json value.
      const [aliases, cvss, urls, withdrawn] = (typeof row.picked === 'string' ? JSON.parse(row.picked) : row.picked) as [string[] | null, Cvss[] | null, string[] | null, string | null];
      out.set(vulnKey(row), { id: row.id, namespace: row.namespace, severity: row.severity, aliases: aliases ?? [], cvss: cvss ?? [], urls: urls ?? [], withdrawn: withdrawn ?? undefined });
    }
    return out;
  }

  /** Whole records by key. */
  async vulnerabilities(keys: readonly VulnKey[]): Promise<Map<string, VulnerabilityRow>> {
    const out = new Map<string, VulnerabilityRow>();
    for (const row of await this.byKey<VulnerabilityRow>(keys, 'driver, namespace, id, record')) out.set(vulnKey(row), row);
    return out;
  }

  /** Rows of vulnerabilities by primary key, grouped by (driver, namespace) so each IN list rides the key. */
  private async byKey<T>(keys: readonly VulnKey[], columns: string): Promise<T[]> {
    const groups = new Map<string, { driver: string; namespace: string; ids: Set<string> }>();
    for (const k of keys) {
      const g = groups.get(`${k.driver}\u0000${k.namespace}`) ?? { driver: k.driver, namespace: k.namespace, ids: new Set<string>() };
      g.ids.add(k.id);
      groups.set(`${k.driver}\u0000${k.namespace}`, g);
    }
    const out: T[] = [];
    for (const g of groups.values()) {
      for (const chunk of chunks([...g.ids])) {
        const values = padded(chunk);
        const sql = this.text(`vulns:${columns}`, values.length, (m) => `SELECT ${columns} FROM vulnerabilities WHERE driver = ? AND namespace = ? AND id IN (${m})`);
        out.push(...(await this.db.query<T>(sql, [g.driver, g.namespace, ...values])));
      }
    }
    return out;
  }

  /** NVD records that list one of these (vendor, product) pairs as vulnerable. */
  async cpeCandidates(vendors: readonly string[], products: readonly string[]): Promise<Array<VulnKey & { vendor: string; product: string }>> {
    if (vendors.length === 0 || products.length === 0) return [];
    const out: Array<VulnKey & { vendor: string; product: string }> = [];
    for (const vs of chunks(vendors)) {
      for (const ps of chunks(products)) {
        const [v, p] = [padded(vs), padded(ps)];
        const sql = this.text(`cpe:${v.length}`, p.length, (m) =>
          `SELECT vendor, product, namespace, vuln_id AS id, driver FROM cpe_products WHERE vendor IN (${v.map(() => '?').join(', ')}) AND product IN (${m})`);
        out.push(...(await this.db.query<VulnKey & { vendor: string; product: string }>(sql, [...v, ...p])));
      }
    }
    return out;
  }

  /** KEV membership and EPSS scores for these CVE ids. */
  async enrichment(cves: readonly string[]): Promise<{ kev: Set<string>; epss: Map<string, number> }> {
    const kev = new Set<string>();
    const epss = new Map<string, number>();
    const [withKev, withEpss] = [await this.hasRows('kev'), await this.hasRows('epss')];
    for (const chunk of chunks([...new Set(cves)])) {
      const values = padded(chunk);
      const kevSql = this.text('kev', values.length, (m) => `SELECT cve_id FROM kev WHERE cve_id IN (${m})`);
      if (withKev) for (const row of await this.db.query<{ cve_id: string }>(kevSql, values)) kev.add(row.cve_id);
      const epssSql = this.text('epss', values.length, (m) => `SELECT cve_id, epss FROM epss WHERE cve_id IN (${m})`);
      if (withEpss) for (const row of await this.db.query<{ cve_id: string; epss: number }>(epssSql, values)) epss.set(row.cve_id, Number(row.epss));
    }
    return { kev, epss };
  }
}

/** Map key of a vulnerability. */
export function vulnKey(k: VulnKey): string {
  return `${k.driver}\u0000${k.namespace}\u0000${k.id}`;
}
