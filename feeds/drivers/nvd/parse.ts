import type { SnapshotReader } from '../../driver.js';
import type { CpeConfiguration, Cvss, FeedRecord, Severity, VulnerabilityRecord } from '../../record.js';
import { describeIssues, driverError } from '../driver-error.js';
import { NvdCve, NvdMetric, NvdPage, type NvdConfiguration, type NvdCpeMatch, type NvdMetrics } from './schema.js';

/** Where fetch() writes pages: pages/000000.json, pages/000001.json, ... in request order. */
export const pageDir = 'pages';

const severityWords: Record<string, Severity> = { NONE: 'Negligible', LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', CRITICAL: 'Critical' };
const cvssVersions = ['2.0', '3.0', '3.1', '4.0'] as const;

/** Metric lists newest first: the severity comes from the newest scheme NVD (or else a CNA) scored. */
const byPreference: (keyof NvdMetrics)[] = ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2'];

function metricsOf(metrics: NvdMetrics | undefined, key: keyof NvdMetrics): NvdMetric[] {
  return (metrics?.[key] ?? []).flatMap((m) => {
    const parsed = NvdMetric.safeParse(m);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Severity from a Primary (NVD-analysed) v4/v3 score when there is one, else a CNA's, else v2. */
function severityOf(metrics: NvdMetrics | undefined): Severity {
  const all = byPreference.map((key) => metricsOf(metrics, key));
  const chosen = all.slice(0, 3).flat().find((m) => m.type === 'Primary') ?? all.slice(0, 3).flat()[0] ?? all[3]?.[0];
  const word = chosen?.cvssData.baseSeverity ?? chosen?.baseSeverity;
  return severityWords[word?.toUpperCase() ?? ''] ?? 'Unknown';
}

function cvssOf(metrics: NvdMetrics | undefined): Cvss[] {
  const out: Cvss[] = [];
  for (const key of byPreference) {
    for (const m of metricsOf(metrics, key)) {
      const version = cvssVersions.find((v) => v === m.cvssData.version);
      if (version === undefined || m.cvssData.baseScore < 0 || m.cvssData.baseScore > 10) continue;
      out.push({ source: (m.source ?? 'nvd').slice(0, 64), version, vector: m.cvssData.vectorString.slice(0, 256), baseScore: m.cvssData.baseScore });
    }
  }
  return out.slice(0, 32);
}

const operatorOf = (op: string | undefined): 'AND' | 'OR' => (op?.toUpperCase() === 'AND' ? 'AND' : 'OR');

const bounds = ['versionStartIncluding', 'versionStartExcluding', 'versionEndIncluding', 'versionEndExcluding'] as const;

/** Keeps the match fields the record knows; empty bounds (seen in old NVD data) mean no bound. */
function cpeMatchOf(m: NvdCpeMatch): CpeConfiguration['nodes'][number]['cpeMatch'][number] {
  const match: CpeConfiguration['nodes'][number]['cpeMatch'][number] = { criteria: m.criteria, vulnerable: m.vulnerable };
  for (const bound of bounds) {
    const value = m[bound];
    if (value !== undefined && value !== '') match[bound] = value;
  }
  return match;
}

function configurationsOf(configs: NvdConfiguration[]): CpeConfiguration[] {
  return configs.map((c) => ({
    operator: operatorOf(c.operator),
    nodes: c.nodes.map((n) => ({
      operator: operatorOf(n.operator),
      negate: n.negate ?? false,
      cpeMatch: n.cpeMatch.map(cpeMatchOf),
    })),
  }));
}

/** NVD timestamps are UTC without a zone; saying so keeps them unambiguous downstream. */
function utc(timestamp: string | undefined): string | undefined {
  if (timestamp === undefined) return undefined;
  return /(Z|[+-]\d{2}:?\d{2})$/.test(timestamp) ? timestamp : `${timestamp}Z`;
}

/** One CVE item -> the normalized record (namespace nvd, CPE configurations, no affected packages). */
export function recordOf(cve: NvdCve): VulnerabilityRecord {
  const description = cve.descriptions.find((d) => d.lang === 'en')?.value ?? cve.descriptions[0]?.value;
  const modified = utc(cve.lastModified);
  const published = utc(cve.published);
  return {
    kind: 'vulnerability',
    id: cve.id,
    namespace: 'nvd',
    aliases: [],
    severity: severityOf(cve.metrics),
    cvss: cvssOf(cve.metrics),
    ...(description === undefined ? {} : { description: description.slice(0, 65_536) }),
    urls: [...new Set(cve.references.map((r) => r.url).filter((u) => u.length <= 2048))].slice(0, 512),
    ...(published === undefined ? {} : { published }),
    ...(modified === undefined ? {} : { modified }),
    ...(cve.vulnStatus === 'Rejected' && modified !== undefined ? { withdrawn: modified } : {}),
    affected: [],
    cpeConfigurations: configurationsOf(cve.configurations),
  };
}

/**
 * Emits the CVEs of every page in the snapshot, one page in memory at a time. An incremental
 * snapshot holds only the CVEs changed since the previous fetch: the feed store merges records by
 * id, so parse emits exactly what the snapshot has. A CVE changed twice during a fetch can appear
 * twice; the later page wins in that merge.
 */
export async function* parseNvd(snapshot: SnapshotReader, log?: { warn(obj: object, msg: string): void }): AsyncIterable<FeedRecord> {
  const pages = (await snapshot.list()).filter((n) => n.startsWith(`${pageDir}/`) && n.endsWith('.json')).sort();
  for (const name of pages) {
    let raw: unknown;
    try {
      raw = JSON.parse((await snapshot.read(name)).toString('utf8'));
    } catch (err) {
      throw driverError('nvd', `${name}: not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    const page = NvdPage.safeParse(raw);
    if (!page.success) throw driverError('nvd', `${name}: not a CVE API 2.0 page: ${describeIssues(page.error)}`);
    let skipped = 0;
    for (const item of page.data.vulnerabilities) {
      const cve = NvdCve.safeParse(item.cve);
      if (!cve.success) {
        skipped++;
        continue;
      }
      yield recordOf(cve.data);
    }
    if (skipped > 0) log?.warn({ driver: 'nvd', page: name, skipped }, 'nvd: CVE items not in the API 2.0 shape were skipped');
  }
}
