import { isOsPackageType, type PolicyContext } from '../context.js';
import { cvss3SubScores } from '../cvss.js';
import type { PolicyMatch } from '../input.js';
import { compareWith, comparisonKind, isComparisonOp, type ComparisonOp, type ParamSpec, type ParamValues } from '../params.js';
import { testCapped } from '../safe-regex.js';
import type { GateSpec } from './types.js';

const severityOrder = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'] as const;
const dayMs = 86_400_000;

/** Namespaces of distros whose vulnerability data lives under another distro's namespace. */
const distroFeedAlias: Record<string, string> = { rocky: 'rhel', almalinux: 'rhel', centos: 'rhel', ol: 'rhel', chainguard: 'wolfi' };

/** The three CVSS v3 scores Anchore exposes, each as a pair of comparison + threshold parameters. */
const scoreKinds = ['base', 'exploitability', 'impact'] as const;
type ScoreKind = (typeof scoreKinds)[number];

function scoreParams(prefix: string, who: string): ParamSpec[] {
  return scoreKinds.flatMap((k) => [
    { name: `${prefix}cvss_v3_${k}_score_comparison`, description: `How the ${who} CVSS v3 ${k} score compares with the threshold.`, kind: comparisonKind, default: '>=' },
    { name: `${prefix}cvss_v3_${k}_score`, description: `${who} CVSS v3 ${k} score threshold (0-10).`, kind: { type: 'float', min: 0, max: 10 } },
  ]);
}

/** Highest score of that kind among the match's CVSS v3 assessments from NVD (vendor=false) or anyone else (vendor=true). */
function score(m: PolicyMatch, vendor: boolean, kind: ScoreKind): number | undefined {
  let best: number | undefined;
  for (const c of m.vulnerability.cvss) {
    if (!c.version.startsWith('3') || (c.source === 'nvd') === vendor) continue;
    const value = kind === 'base' ? c.baseScore : cvss3SubScores(c.vector)?.[kind];
    if (value !== undefined && (best === undefined || value > best)) best = value;
  }
  return best;
}

function olderThan(iso: string | undefined, days: number, now: Date): boolean {
  // No date known: counted as old enough, so a rule never misses a finding for lack of metadata.
  if (iso === undefined) return true;
  const t = Date.parse(iso);
  return Number.isNaN(t) || now.getTime() - t > days * dayMs;
}

function hasFix(m: PolicyMatch): boolean {
  return m.fix.state === 'fixed' && m.fix.versions.length > 0;
}

/** The package trigger's parameters, read once per evaluation rather than once per match. */
interface Criteria {
  type: string;
  severity?: { op: ComparisonOp; rank: number };
  scores: Array<{ vendor: boolean; kind: ScoreKind; op: ComparisonOp; threshold: number }>;
  vendorOnly: boolean;
  fixAvailable?: boolean;
  sinceCreation?: number;
  sinceFix?: number;
  exclude?: RegExp;
}

function severityRank(s: string): number {
  return severityOrder.indexOf(s.toLowerCase() as (typeof severityOrder)[number]);
}

function criteria(p: ParamValues): Criteria {
  const severity = p.string('severity');
  const sevOp = p.string('severity_comparison');
  const scores: Criteria['scores'] = [];
  for (const [prefix, vendor] of [['', false], ['vendor_', true]] as const) {
    for (const kind of scoreKinds) {
      const threshold = p.number(`${prefix}cvss_v3_${kind}_score`);
      const op = p.string(`${prefix}cvss_v3_${kind}_score_comparison`);
      if (threshold !== undefined && isComparisonOp(op)) scores.push({ vendor, kind, op, threshold });
    }
  }
  const optional = <K extends keyof Criteria>(key: K, value: Criteria[K] | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    type: p.string('package_type') ?? 'all',
    ...(severity !== undefined && isComparisonOp(sevOp) ? { severity: { op: sevOp, rank: severityRank(severity) } } : {}),
    scores,
    vendorOnly: p.bool('vendor_only') !== false,
    ...optional('fixAvailable', p.bool('fix_available')),
    ...optional('sinceCreation', p.number('max_days_since_creation')),
    ...optional('sinceFix', p.number('max_days_since_fix')),
    ...optional('exclude', p.regex('package_path_exclude')),
  };
}

function selected(m: PolicyMatch, c: Criteria, now: Date): boolean {
  const os = isOsPackageType(m.artifact.type);
  if ((c.type === 'os' && !os) || (c.type === 'non-os' && os)) return false;
  if (c.severity && !compareWith(c.severity.op, Math.sign(severityRank(m.vulnerability.severity) - c.severity.rank))) return false;
  for (const s of c.scores) {
    const actual = score(m, s.vendor, s.kind);
    if (actual === undefined || !compareWith(s.op, Math.sign(actual - s.threshold))) return false;
  }
  if (c.vendorOnly && m.fix.state === 'wont-fix') return false;
  if (c.fixAvailable !== undefined && hasFix(m) !== c.fixAvailable) return false;
  if (c.sinceCreation !== undefined && !olderThan(m.vulnerability.published, c.sinceCreation, now)) return false;
  if (c.sinceFix !== undefined && c.fixAvailable === true && !olderThan(m.fix.date, c.sinceFix, now)) return false;
  const exclude = c.exclude;
  if (exclude && m.artifact.locations.some((l) => testCapped(exclude, l))) return false;
  return true;
}

function describe(m: PolicyMatch): string {
  const kind = isOsPackageType(m.artifact.type) ? 'os' : 'non-os';
  const fix = hasFix(m) ? `fixed in: ${m.fix.versions.join(', ')}` : `fix state: ${m.fix.state}`;
  const url = m.vulnerability.urls[0];
  return `${m.vulnerability.severity.toUpperCase()} Vulnerability found in ${kind} package type (${m.artifact.type}) - ${m.artifact.name}-${m.artifact.version} (${fix}) - (${m.vulnerability.id}${url ? ` - ${url}` : ''})`;
}

/** Feed groups that hold data for this image: its distro's namespace and the namespaces its matches came from. */
function relevantGroups(ctx: PolicyContext): PolicyContext['input']['feeds']['groups'] {
  const groups = ctx.input.feeds.groups;
  const names = new Set(ctx.input.matches.map((m) => m.vulnerability.namespace));
  const prefixes = distroPrefixes(ctx);
  const relevant = groups.filter((g) => names.has(g.name) || prefixes.some((p) => g.name.startsWith(p)));
  return relevant.length > 0 ? relevant : groups;
}

function distroPrefixes(ctx: PolicyContext): string[] {
  const distro = ctx.doc.distro;
  if (!distro) return [];
  const alias = distroFeedAlias[distro.id];
  return alias ? [`${distro.id}:`, `${alias}:`] : [`${distro.id}:`];
}

export const vulnerabilitiesGate: GateSpec = {
  name: 'vulnerabilities',
  description: 'Checks the vulnerabilities matched in the image and the freshness of the vulnerability data.',
  triggers: [
    {
      name: 'package',
      description: 'Fires for each vulnerability in a package that meets every given criterion.',
      params: [
        { name: 'package_type', description: 'Only os (distro) or non-os (language) packages, or all.', kind: { type: 'enum', values: ['all', 'os', 'non-os'] }, required: true },
        { name: 'severity_comparison', description: 'How the severity compares with severity.', kind: comparisonKind, default: '>' },
        { name: 'severity', description: 'Severity to compare with.', kind: { type: 'enum', values: severityOrder } },
        ...scoreParams('', 'NVD'),
        ...scoreParams('vendor_', 'vendor'),
        { name: 'fix_available', description: 'true: only vulnerabilities with a fix; false: only those without.', kind: { type: 'bool' } },
        { name: 'vendor_only', description: "Ignore vulnerabilities the vendor won't fix.", kind: { type: 'bool' }, default: 'true' },
        { name: 'max_days_since_creation', description: 'Only vulnerabilities published more than this many days ago.', kind: { type: 'int', min: 0 } },
        { name: 'max_days_since_fix', description: 'With fix_available=true: only fixes available for more than this many days.', kind: { type: 'int', min: 0 } },
        { name: 'package_path_exclude', description: 'Skip packages found at a path matching this regex.', kind: { type: 'regex', anchored: true } },
      ],
      evaluate(ctx, p) {
        const c = criteria(p);
        return ctx.input.matches
          .filter((m) => selected(m, c, ctx.now))
          .map((m) => ({ message: describe(m), instanceId: `${m.vulnerability.id}+${m.artifact.name}` }));
      },
    },
    {
      name: 'denylist',
      aliases: ['blacklist'],
      description: 'Fires for each package affected by one of the listed vulnerabilities (by id or alias).',
      params: [
        { name: 'vulnerability_ids', description: 'Comma-separated vulnerability ids.', kind: { type: 'list' }, required: true },
        { name: 'vendor_only', description: "Ignore vulnerabilities the vendor won't fix.", kind: { type: 'bool' }, default: 'true' },
      ],
      evaluate(ctx, p) {
        const listed = new Set(p.strings('vulnerability_ids') ?? []);
        const vendorOnly = p.bool('vendor_only') !== false;
        return ctx.input.matches.flatMap((m) => {
          if (vendorOnly && m.fix.state === 'wont-fix') return [];
          const id = [m.vulnerability.id, ...m.vulnerability.aliases].find((v) => listed.has(v));
          if (id === undefined) return [];
          return [{ message: `Denylisted vulnerability ${id} detected in package ${m.artifact.name}-${m.artifact.version}`, instanceId: `${id}+${m.artifact.name}` }];
        });
      },
    },
    {
      name: 'kev_list',
      description: "Fires for each vulnerability in CISA's Known Exploited Vulnerabilities catalog.",
      params: [],
      evaluate: (ctx) =>
        ctx.input.matches
          .filter((m) => m.vulnerability.kev)
          .map((m) => ({
            message: `${m.vulnerability.id} in package ${m.artifact.name}-${m.artifact.version} is in the CISA Known Exploited Vulnerabilities catalog`,
            instanceId: `${m.vulnerability.id}+${m.artifact.name}`,
          })),
    },
    {
      name: 'stale_feed_data',
      description: 'Fires for each vulnerability feed group the image depends on whose upstream data was fetched more than max_days_since_sync days ago.',
      params: [{ name: 'max_days_since_sync', description: 'Maximum age in days of the upstream data.', kind: { type: 'int', min: 0 }, required: true }],
      evaluate(ctx, p) {
        const maxDays = p.number('max_days_since_sync') ?? 0;
        return relevantGroups(ctx)
          .filter((g) => olderThan(g.fetchedAt, maxDays, ctx.now))
          .map((g) => ({ message: `The vulnerability feed ${g.driver}/${g.name} (fetched ${g.fetchedAt}) is older than MAXAGE (${maxDays}) days` }));
      },
    },
    {
      name: 'vulnerability_data_unavailable',
      description: "Fires when there is no vulnerability data for the image's distro.",
      params: [],
      evaluate(ctx) {
        const distro = ctx.doc.distro;
        if (!distro) return [{ message: 'Vulnerability data unavailable: the image distro could not be identified' }];
        const prefixes = distroPrefixes(ctx);
        if (ctx.input.feeds.groups.some((g) => prefixes.some((p) => g.name.startsWith(p)))) return [];
        return [{ message: `Feed data unavailable, cannot perform CVE scan for distro: ${distro.id}:${distro.versionId}` }];
      },
    },
  ],
};
