import { severities, type Cvss, type VulnerabilityRecord } from '../../feeds/record.js';
import type { Db } from '../db/index.js';
import { judgeCpe } from './cpe-match.js';
import { dedupeByAlias, type MatchGroup, type RawMatch } from './dedupe.js';
import type { DistroMap, DistroRef } from './distro-map.js';
import type { VulnerabilityMatch } from './match-types.js';
import { compileRow } from './rules.js';
import { FeedLookup, vulnKey, type VulnKey, type VulnSummary, type VulnerabilityRow } from './store-lookup.js';
import { planTargets, type CpeTarget, type MatchedBy, type MatchPackage, type Target } from './targets.js';

/** What the matcher is asked to match. */
export interface MatchInput {
  /** Packages (the analysis document's, or an SBOM's). */
  packages: readonly MatchPackage[];
  /** The image's distro; null when none was found. */
  distro: DistroRef | null;
}

/** Matcher settings. */
export interface MatchOptions {
  /** os-release ID -> distro family (defaults to defaultDistroMap). */
  distroMap?: DistroMap;
  /** NVD CPE matching of language packages: only when their ecosystem has no feed data (default), always, or never. */
  cpeLanguage?: 'uncovered' | 'always' | 'never';
  /** NVD CPE matching of distro packages; off by default because distro feeds know their backports. */
  cpeDistro?: boolean;
  /** Hide findings the vendor will not fix. */
  vendorOnly?: boolean;
  /** Keep only findings that have a fix. */
  onlyFixed?: boolean;
}

/** Matches and the problems met on the way. */
export interface MatchResult {
  /** One per vulnerability and package, most severe first. */
  matches: VulnerabilityMatch[];
  /** What could not be matched and why (unknown distro, bad versions or purls). */
  warnings: string[];
}

interface Hit {
  pkg: number;
  key: VulnKey;
  matchedBy: MatchedBy;
  fix: RawMatch['fix'];
}

const maxProblems = 20;

/** Records parsed once per scan: hits of many packages share them. */
class Records {
  private readonly parsed = new Map<string, VulnerabilityRecord>();
  constructor(private readonly rows: Map<string, VulnerabilityRow>) {}
  get(key: VulnKey): VulnerabilityRecord | undefined {
    const k = vulnKey(key);
    let record = this.parsed.get(k);
    if (record === undefined) {
      const row = this.rows.get(k);
      if (row === undefined) return undefined;
      record = JSON.parse(row.record) as VulnerabilityRecord;
      this.parsed.set(k, record);
    }
    return record;
  }
}

async function rowHits(lookup: FeedLookup, targets: readonly Target[], problems: Set<string>, packages: readonly MatchPackage[]): Promise<Hit[]> {
  const byNamespace = new Map<string, Map<string, Target[]>>();
  for (const t of targets) {
    const names = byNamespace.get(t.namespace) ?? new Map<string, Target[]>();
    byNamespace.set(t.namespace, names);
    const list = names.get(t.name);
    if (list) list.push(t);
    else names.set(t.name, [t]);
  }
  const hits: Hit[] = [];
  for (const [namespace, names] of byNamespace) {
    for (const row of await lookup.affected(namespace, [...names.keys()])) {
      const judge = compileRow(row);
      for (const t of names.get(row.package) ?? []) {
        const verdict = judge(t.version);
        if (verdict.affected) hits.push({ pkg: t.pkg, key: { driver: row.driver, namespace: row.namespace, id: row.vuln_id }, matchedBy: t.matchedBy, fix: verdict.fix });
        else if (verdict.problem) problems.add(`${packages[t.pkg]!.name}@${t.version}: ${verdict.problem}`);
      }
    }
  }
  return hits;
}

async function cpeHits(lookup: FeedLookup, targets: readonly CpeTarget[], options: MatchOptions): Promise<{ hits: Hit[]; records: Records }> {
  const mode = options.cpeLanguage ?? 'uncovered';
  const eligible: CpeTarget[] = [];
  for (const t of targets) {
    if (t.coveredBy === undefined ? options.cpeDistro === true : mode === 'always' || (mode === 'uncovered' && !(await lookup.hasNamespace(t.coveredBy)))) eligible.push(t);
  }
  if (eligible.length === 0) return { hits: [], records: new Records(new Map()) };
  const candidates = await lookup.cpeCandidates([...new Set(eligible.flatMap((t) => t.vendors))], [...new Set(eligible.flatMap((t) => t.products))]);
  const records = new Records(await lookup.vulnerabilities(candidates));
  const hits: Hit[] = [];
  for (const t of eligible) {
    const seen = new Set<string>();
    for (const c of candidates) {
      if (seen.has(vulnKey(c)) || !t.vendors.includes(c.vendor) || !t.products.includes(c.product)) continue;
      seen.add(vulnKey(c));
      const record = records.get(c);
      const fix = record && judgeCpe(record, t, t.version);
      if (fix) hits.push({ pkg: t.pkg, key: { driver: c.driver, namespace: c.namespace, id: c.id }, matchedBy: 'cpe', fix });
    }
  }
  return { hits, records };
}

const cveIds = (ids: Iterable<string>): string[] => [...ids].filter((id) => id.startsWith('CVE-'));

const nvdKey = (id: string): VulnKey => ({ driver: 'nvd', namespace: 'nvd', id });

/** NVD's scores for findings whose source publishes none (Alpine's secdb, for one). */
async function nvdScores(lookup: FeedLookup, groups: readonly MatchGroup[]): Promise<Map<string, VulnSummary>> {
  if (!(await lookup.hasRows('nvd'))) return new Map();
  const wanted = groups.filter((g) => g.primary.record.cvss.length === 0 || g.primary.record.severity === 'Unknown');
  const ids = new Set(wanted.flatMap((g) => cveIds([g.primary.record.id, ...g.aliases])));
  return lookup.summaries([...ids].map(nvdKey));
}

function toMatch(group: MatchGroup, pkg: MatchPackage, nvd: Map<string, VulnSummary>, kev: Set<string>, epss: Map<string, number>): VulnerabilityMatch {
  const { record, fix, matchedBy } = group.primary;
  const cves = cveIds([record.id, ...group.aliases]);
  const fromNvd = cves.map((id) => nvd.get(vulnKey(nvdKey(id)))).find((r) => r !== undefined);
  const cvss: Cvss[] = record.cvss.length > 0 ? record.cvss : (fromNvd?.cvss ?? []);
  const scores = cves.map((id) => epss.get(id)).filter((s): s is number => s !== undefined);
  return {
    vulnerability: {
      id: record.id,
      aliases: group.aliases,
      severity: record.severity === 'Unknown' && fromNvd ? fromNvd.severity : record.severity,
      cvss,
      kev: cves.some((id) => kev.has(id)),
      epss: scores.length > 0 ? Math.max(...scores) : null,
      namespace: record.namespace,
      urls: record.urls,
    },
    artifact: { name: pkg.name, version: pkg.version, type: pkg.type, purl: pkg.purl, locations: pkg.locations },
    fix,
    matchedBy,
  };
}

/** Most severe first, then by id and package, so output is stable. */
function sortMatches(matches: readonly VulnerabilityMatch[]): VulnerabilityMatch[] {
  const keyed = matches.map((m) => ({
    m,
    rank: severities.indexOf(m.vulnerability.severity),
    key: `${m.vulnerability.id}\u0000${m.artifact.name}\u0000${m.artifact.version}\u0000${m.artifact.purl}`,
  }));
  keyed.sort((a, b) => b.rank - a.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.m);
}

/** Matches packages against the feed store: distro data first, language data, NVD CPEs where nothing better applies. */
export async function matchPackages(db: Db, input: MatchInput, options: MatchOptions = {}): Promise<MatchResult> {
  const lookup = new FeedLookup(db);
  const plan = planTargets(input.packages, input.distro, options.distroMap);
  const problems = new Set<string>();
  const hits = await rowHits(lookup, plan.targets, problems, input.packages);
  const distroNamespaces = new Map<string, Set<number>>();
  for (const t of plan.targets) if (t.matchedBy !== 'language') distroNamespaces.set(t.namespace, (distroNamespaces.get(t.namespace) ?? new Set()).add(t.pkg));
  for (const [namespace, pkgs] of distroNamespaces) {
    // A distro with no feed data would otherwise look clean.
    if (!(await lookup.hasNamespace(namespace))) plan.warnings.push(`${pkgs.size} package(s) not matched: the feed store holds no ${namespace} data`);
  }
  const summaries = await lookup.summaries(hits.map((h) => h.key));
  const cpe = await cpeHits(lookup, plan.cpe, options);
  const raw: RawMatch[] = [];
  const found: Array<[Hit, VulnSummary | undefined]> = [...hits.map((h): [Hit, VulnSummary | undefined] => [h, summaries.get(vulnKey(h.key))]), ...cpe.hits.map((h): [Hit, VulnSummary | undefined] => [h, cpe.records.get(h.key)])];
  for (const [hit, record] of found) {
    // A withdrawn record is the source saying "this was never a vulnerability".
    if (record && record.withdrawn === undefined) raw.push({ pkg: hit.pkg, record, matchedBy: hit.matchedBy, fix: hit.fix });
  }
  const groups = dedupeByAlias(raw).filter((g) => {
    if (options.vendorOnly && g.primary.fix.state === 'wont-fix') return false;
    return !options.onlyFixed || g.primary.fix.state === 'fixed';
  });
  const nvd = await nvdScores(lookup, groups);
  const { kev, epss } = await lookup.enrichment(groups.flatMap((g) => cveIds([g.primary.record.id, ...g.aliases])));
  const matches = sortMatches(groups.map((g) => toMatch(g, input.packages[g.primary.pkg]!, nvd, kev, epss)));
  const warnings = [...plan.warnings, ...[...problems].slice(0, maxProblems)];
  if (problems.size > maxProblems) warnings.push(`... and ${problems.size - maxProblems} more version problems`);
  return { matches, warnings };
}
