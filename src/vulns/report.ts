import type { Severity } from '../../feeds/record.js';
import { airlockVersion } from '../lib/version.js';
import type { VulnerabilityMatch } from './match-types.js';

/** Everything a scan report shows. */
export interface ScanReport {
  /** The source as given ('docker-archive:x.tar', 'sbom:bom.json'). */
  source: string;
  /** The distro matched against, if any. */
  distro: { id: string; versionId: string } | null;
  /** Findings, most severe first. */
  matches: VulnerabilityMatch[];
  /** Problems that limited the scan. */
  warnings: string[];
  /** SBOM components left out, each with why. */
  skipped: Array<{ component: string; reason: string }>;
  /** False when anything was left out: the findings may then be incomplete. */
  complete: boolean;
}

type Json = Record<string, unknown>;

/** The JSON report (issue 05's shape, plus the account of what was not scanned). */
export function toJsonReport(report: ScanReport): Json {
  return {
    source: report.source,
    distro: report.distro,
    complete: report.complete,
    matches: report.matches.map((m) => ({
      vulnerability: { id: m.vulnerability.id, aliases: m.vulnerability.aliases, severity: m.vulnerability.severity, cvss: m.vulnerability.cvss, kev: m.vulnerability.kev, epss: m.vulnerability.epss, namespace: m.vulnerability.namespace, urls: m.vulnerability.urls },
      artifact: { name: m.artifact.name, version: m.artifact.version, type: m.artifact.type, purl: m.artifact.purl, locations: m.artifact.locations },
      fix: m.fix,
      matchedBy: m.matchedBy,
    })),
    skipped: report.skipped,
    warnings: report.warnings,
  };
}

/** A fixed-width table, most severe first. */
export function toTable(report: ScanReport): string {
  const head = ['NAME', 'INSTALLED', 'FIXED-IN', 'TYPE', 'VULNERABILITY', 'SEVERITY', 'KEV', 'EPSS'];
  const rows = report.matches.map((m) => [
    m.artifact.name,
    m.artifact.version,
    m.fix.state === 'fixed' ? m.fix.versions.join(', ') || '(fixed)' : `(${m.fix.state})`,
    m.artifact.type,
    m.vulnerability.id,
    m.vulnerability.severity,
    m.vulnerability.kev ? 'yes' : '',
    m.vulnerability.epss === null ? '' : m.vulnerability.epss.toFixed(3),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = report.matches.length === 0 ? ['No vulnerabilities found.'] : [line(head), ...rows.map(line)];
  for (const s of report.skipped) out.push(`skipped ${s.component}: ${s.reason}`);
  for (const w of report.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}

const sarifLevels: Record<Severity, string> = { Critical: 'error', High: 'error', Medium: 'warning', Low: 'note', Negligible: 'note', Unknown: 'note' };

function bestScore(m: VulnerabilityMatch): number | undefined {
  const scores = m.vulnerability.cvss.map((c) => c.baseScore);
  return scores.length > 0 ? Math.max(...scores) : undefined;
}

/** SARIF 2.1.0: one rule per vulnerability, one result per finding, located at the package's database or manifest. */
export function toSarif(report: ScanReport): Json {
  const ruleIndex = new Map<string, number>();
  const rules: Json[] = [];
  for (const m of report.matches) {
    if (ruleIndex.has(m.vulnerability.id)) continue;
    ruleIndex.set(m.vulnerability.id, rules.length);
    const score = bestScore(m);
    rules.push({
      id: m.vulnerability.id,
      name: m.vulnerability.id.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: `${m.vulnerability.id} (${m.vulnerability.severity})` },
      ...(m.vulnerability.urls[0] ? { helpUri: m.vulnerability.urls[0] } : {}),
      properties: { tags: ['security', 'vulnerability'], ...(score === undefined ? {} : { 'security-severity': score.toFixed(1) }) },
    });
  }
  const results = report.matches.map((m) => ({
    ruleId: m.vulnerability.id,
    ruleIndex: ruleIndex.get(m.vulnerability.id),
    level: sarifLevels[m.vulnerability.severity],
    message: { text: `${m.artifact.name} ${m.artifact.version} is affected by ${m.vulnerability.id} (${m.vulnerability.severity}); fix: ${m.fix.state}${m.fix.versions.length ? ` in ${m.fix.versions.join(', ')}` : ''}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: (m.artifact.locations[0] ?? report.source).replace(/^\/+/, '') } } }],
    partialFingerprints: { purlVulnerability: `${m.artifact.purl}#${m.vulnerability.id}` },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'airlock', version: airlockVersion(), rules } }, results, properties: { complete: report.complete, warnings: report.warnings } }],
  };
}

const cdxSeverity: Record<Severity, string> = { Critical: 'critical', High: 'high', Medium: 'medium', Low: 'low', Negligible: 'info', Unknown: 'unknown' };
const cdxMethods: Record<string, string> = { '2.0': 'CVSSv2', '3.0': 'CVSSv3', '3.1': 'CVSSv31', '4.0': 'CVSSv4' };

/** CycloneDX 1.6 with the affected packages as components and the findings as vulnerabilities. */
export function toCycloneDxReport(report: ScanReport): Json {
  const refs = new Map<string, { ref: string; artifact: VulnerabilityMatch['artifact'] }>();
  const byVuln = new Map<string, VulnerabilityMatch[]>();
  for (const m of report.matches) {
    if (!refs.has(m.artifact.purl)) refs.set(m.artifact.purl, { ref: `pkg-${refs.size}`, artifact: m.artifact });
    const list = byVuln.get(m.vulnerability.id);
    if (list) list.push(m);
    else byVuln.set(m.vulnerability.id, [m]);
  }
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { timestamp: new Date().toISOString(), tools: { components: [{ type: 'application', name: 'airlock', version: airlockVersion() }] } },
    components: [...refs.values()].map(({ ref, artifact }) => ({ type: 'library', 'bom-ref': ref, name: artifact.name, version: artifact.version, purl: artifact.purl })),
    vulnerabilities: [...byVuln].map(([id, ms]) => {
      const first = ms[0]!;
      const ratings = first.vulnerability.cvss.map((c) => ({ source: { name: c.source }, score: c.baseScore, severity: cdxSeverity[first.vulnerability.severity], method: cdxMethods[c.version], vector: c.vector }));
      return {
        id,
        source: { name: first.vulnerability.namespace },
        ...(first.vulnerability.aliases.length ? { references: first.vulnerability.aliases.map((a) => ({ id: a, source: { name: a.split('-')[0] } })) } : {}),
        ratings: ratings.length > 0 ? ratings : [{ severity: cdxSeverity[first.vulnerability.severity] }],
        affects: ms.map((m) => ({ ref: refs.get(m.artifact.purl)?.ref })),
        ...(first.fix.state === 'fixed' && first.fix.versions.length ? { recommendation: `Upgrade to ${first.fix.versions.join(' or ')}` } : {}),
      };
    }),
  };
}
