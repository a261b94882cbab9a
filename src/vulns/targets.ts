import type { VersionScheme } from '../../feeds/record.js';
import { defaultDistroMap, resolveDistro, type DistroMap, type DistroRef, type DistroTarget } from './distro-map.js';
import { ecosystems } from './ecosystems.js';
import { parsePurl, type Purl } from './purl.js';

/** A package to match: the analysis document's package shape, plus an optional distro of its own. */
export interface MatchPackage {
  /** Name as its ecosystem spells it. */
  name: string;
  /** Version as installed. */
  version: string;
  /** purl type. */
  type: string;
  /** Package URL: language packages are keyed by it. */
  purl: string;
  /** Source package (deb source, apk origin, rpm source rpm). */
  source?: { name: string; version?: string } | undefined;
  /** Where it was found. */
  locations: string[];
  /** Its distro when it differs from the image's (SBOM purls carry one per package). */
  distro?: DistroRef | undefined;
}

/** How a lookup key was derived from a package. */
export type MatchedBy = 'distro-binary' | 'distro-source' | 'language' | 'cpe';

/** One (namespace, package) lookup on behalf of one package. */
export interface Target {
  /** Index of the package in the input. */
  pkg: number;
  /** Feed namespace. */
  namespace: string;
  /** Package name as the feed spells it. */
  name: string;
  /** Version compared against the feed's ranges. */
  version: string;
  /** How the key was derived. */
  matchedBy: MatchedBy;
}

/** A package that may be matched against NVD CPEs. */
export interface CpeTarget {
  /** Index of the package in the input. */
  pkg: number;
  /** Candidate CPE vendors (lower case). */
  vendors: string[];
  /** Candidate CPE products (lower case). */
  products: string[];
  /** Scheme to compare CPE version bounds with. */
  scheme: VersionScheme;
  /** Version compared against the bounds. */
  version: string;
  /** Namespace whose coverage makes CPE matching unnecessary; undefined for distro packages. */
  coveredBy: string | undefined;
}

/** Schemes of the language ecosystems, by purl type. */
const languageSchemes: Record<string, VersionScheme> = { npm: 'semver', pypi: 'pep440', golang: 'go', maven: 'maven', gem: 'gem', cargo: 'semver', nuget: 'nuget', composer: 'semver' };
const osTypes = new Set(['apk', 'deb', 'rpm']);

/** What planning found: lookups, CPE candidates and problems worth telling the user. */
export interface Plan {
  /** Feed lookups. */
  targets: Target[];
  /** Packages that may go to NVD. */
  cpe: CpeTarget[];
  /** Problems (unknown distro, unparseable purl, unsupported type). */
  warnings: string[];
}

function cpeNames(purl: Purl): { vendors: string[]; products: string[] } {
  const name = purl.name.toLowerCase();
  const products = new Set([name, name.replace(/-/g, '_')]);
  const vendors = new Set([name, `${name}_project`]);
  const segments = (purl.namespace ?? '').toLowerCase().replace(/^@/, '').split(/[/.]/).filter((s) => s !== '' && s !== 'com' && s !== 'org' && s !== 'github');
  for (const s of segments) vendors.add(s);
  return { vendors: [...vendors], products: [...products] };
}

/** Turns packages into feed lookups. Nothing is guessed: what cannot be placed is reported. */
export function planTargets(packages: readonly MatchPackage[], imageDistro: DistroRef | null, map: DistroMap = defaultDistroMap): Plan {
  const plan: Plan = { targets: [], cpe: [], warnings: [] };
  const distros = new Map<string, DistroTarget | { problem: string }>();
  const unplaced = new Map<string, number>();
  const count = (why: string) => unplaced.set(why, (unplaced.get(why) ?? 0) + 1);
  packages.forEach((p, pkg) => {
    const parsed = parsePurl(p.purl);
    if (!parsed.ok) {
      plan.warnings.push(`${p.name}@${p.version}: purl ${JSON.stringify(p.purl)} is malformed (${parsed.reason}); not matched`);
      return;
    }
    const purl = parsed.purl;
    if (osTypes.has(purl.type)) {
      const distro = p.distro ?? imageDistro;
      if (!distro) return count(`${purl.type} packages without a known distro`);
      const key = `${distro.id}\u0000${distro.versionId}`;
      const target = distros.get(key) ?? resolveDistro(distro, map);
      distros.set(key, target);
      if ('problem' in target) return count(target.problem);
      if (target.packageType !== purl.type) return count(`${purl.type} packages on ${target.namespace}`);
      plan.targets.push({ pkg, namespace: target.namespace, name: p.name, version: p.version, matchedBy: 'distro-binary' });
      if (p.source && p.source.name !== p.name) {
        // dpkg records the source version (binNMUs differ); rpm's source rpm lacks the epoch, so the binary's wins there.
        const version = purl.type === 'deb' ? (p.source.version ?? p.version) : p.version;
        plan.targets.push({ pkg, namespace: target.namespace, name: p.source.name, version, matchedBy: 'distro-source' });
      }
      plan.cpe.push({ pkg, ...cpeNames(purl), scheme: target.scheme, version: p.version, coveredBy: undefined });
      return;
    }
    const eco = ecosystems[purl.type];
    const scheme = languageSchemes[purl.type];
    if (!eco || !scheme) return count(`packages of purl type '${purl.type}' (no vulnerability source)`);
    const version = purl.version ?? p.version;
    if (!version) return count(`${purl.type} packages without a version`);
    for (const name of eco.names(purl)) plan.targets.push({ pkg, namespace: eco.namespace, name, version, matchedBy: 'language' });
    plan.cpe.push({ pkg, ...cpeNames(purl), scheme, version, coveredBy: eco.namespace });
  });
  for (const [why, n] of unplaced) plan.warnings.push(`${n} package(s) not matched: ${why}`);
  return plan;
}
