import type { Affected, FeedRecord, VulnerabilityRecord } from '../record.js';

/** Columns of each feed-store table that a record expands into. */
export const tableColumns = {
  vulnerabilities: ['driver', 'namespace', 'id', 'severity', 'modified', 'record', 'summary'],
  affected_packages: ['namespace', 'package', 'vuln_id', 'driver', 'scheme', 'fix_state', 'fixed_version', 'detail'],
  vulnerability_aliases: ['alias', 'namespace', 'vuln_id', 'driver'],
  cpe_products: ['vendor', 'product', 'namespace', 'vuln_id', 'driver'],
  kev: ['cve_id', 'driver', 'record'],
  epss: ['cve_id', 'driver', 'epss', 'percentile', 'record'],
} as const;

export type StoreTable = keyof typeof tableColumns;

/** Rows per table, accumulated between flushes. */
export type RowBatch = Record<StoreTable, unknown[][]>;

export function emptyBatch(): RowBatch {
  return { vulnerabilities: [], affected_packages: [], vulnerability_aliases: [], cpe_products: [], kev: [], epss: [] };
}

/** Splits a cpe:2.3 string on unescaped colons; returns [vendor, product] or undefined. */
export function cpeVendorProduct(cpe: string): [string, string] | undefined {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < cpe.length && parts.length < 5; i++) {
    const ch = cpe[i]!;
    if (ch === '\\' && i + 1 < cpe.length) {
      current += cpe[++i];
    } else if (ch === ':') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (parts.length < 5) parts.push(current);
  const [prefix, version, , vendor, product] = parts;
  if (prefix !== 'cpe' || version !== '2.3' || !vendor || !product) return undefined;
  return [vendor.toLowerCase(), product.toLowerCase()];
}

/** True when the row's fixed_version alone says it all: [{introduced:'0'}] plus at most {fixed}. */
function isSimpleRange(a: Affected, fixed: string | null): boolean {
  if (a.versions.length > 0 || a.fix.versions.length > 1 || a.ranges.length !== 1) return false;
  const events = a.ranges[0]!.events;
  const first = events[0] as { introduced?: string };
  if (first.introduced !== '0') return false;
  if (events.length === 1) return fixed === null;
  const second = events[1] as { fixed?: string };
  return events.length === 2 && second.fixed !== undefined && second.fixed === fixed;
}

function vulnerabilityRows(driver: string, r: VulnerabilityRecord, json: string, batch: RowBatch): void {
  batch.vulnerabilities.push([driver, r.namespace, r.id, r.severity, r.modified ?? null, json, JSON.stringify([r.aliases, r.cvss, r.urls, r.withdrawn ?? null])]);
  for (const a of r.affected) {
    const fixed = a.fix.versions[0] ?? null;
    const detail = isSimpleRange(a, fixed) ? null : JSON.stringify({ ranges: a.ranges, versions: a.versions, fix: a.fix });
    batch.affected_packages.push([r.namespace, a.package, r.id, driver, a.scheme, a.fix.state, fixed, detail]);
  }
  for (const alias of r.aliases) batch.vulnerability_aliases.push([alias, r.namespace, r.id, driver]);
  const products = new Set<string>();
  for (const config of r.cpeConfigurations) {
    for (const node of config.nodes) {
      for (const m of node.cpeMatch) {
        if (!m.vulnerable) continue;
        const vp = cpeVendorProduct(m.criteria);
        if (vp) products.add(`${vp[0]}\u0000${vp[1]}`);
      }
    }
  }
  for (const p of products) {
    const [vendor, product] = p.split('\u0000') as [string, string];
    batch.cpe_products.push([vendor, product, r.namespace, r.id, driver]);
  }
}

/** Adds one validated record's rows to the batch. json is the record as it will be exported. */
export function addRecordRows(driver: string, record: FeedRecord, json: string, batch: RowBatch): void {
  if (record.kind === 'vulnerability') vulnerabilityRows(driver, record, json, batch);
  else if (record.kind === 'kev') batch.kev.push([record.cveId, driver, json]);
  else batch.epss.push([record.cveId, driver, record.epss, record.percentile, json]);
}

/** Number of rows waiting in a batch. */
export function batchSize(batch: RowBatch): number {
  let n = 0;
  for (const rows of Object.values(batch)) n += rows.length;
  return n;
}
