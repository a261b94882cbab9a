import type { VersionScheme } from '../../feeds/record.js';

/** Distribution families whose feeds airlock reads; each fixes the namespace form and version scheme. */
export const distroFamilies = ['alpine', 'debian', 'ubuntu', 'rhel'] as const;
export type DistroFamily = (typeof distroFamilies)[number];

/** os-release ID -> family whose feed data applies. Extend it in configuration for derivatives. */
export type DistroMap = Readonly<Record<string, DistroFamily>>;

/** The default mapping: rebuilds of RHEL are matched against RHEL data, as their vendors intend. */
export const defaultDistroMap: DistroMap = Object.freeze({
  alpine: 'alpine',
  debian: 'debian',
  ubuntu: 'ubuntu',
  rhel: 'rhel',
  redhat: 'rhel',
  rocky: 'rhel',
  almalinux: 'rhel',
  alma: 'rhel',
  centos: 'rhel',
  ol: 'rhel',
});

/** A distro as the analysis document (or an SBOM) names it. */
export interface DistroRef {
  /** os-release ID. */
  id: string;
  /** os-release VERSION_ID. */
  versionId: string;
}

/** Where an image's OS packages are looked up. */
export interface DistroTarget {
  /** Feed namespace, e.g. 'alpine:3.20'. */
  namespace: string;
  /** Version scheme of the family. */
  scheme: VersionScheme;
  /** purl type of the family's packages. */
  packageType: 'apk' | 'deb' | 'rpm';
}

const families: Record<DistroFamily, { scheme: VersionScheme; packageType: DistroTarget['packageType']; release: (v: string) => string | undefined }> = {
  // secdb branches are major.minor: 3.20.3 is on v3.20.
  alpine: { scheme: 'apk', packageType: 'apk', release: (v) => /^(\d+\.\d+)(\.\d+)?$/.exec(v)?.[1] },
  // Point releases share the tracker's release: 12.7 is bookworm, debian:12.
  debian: { scheme: 'dpkg', packageType: 'deb', release: (v) => /^(\d+)(\.\d+)*$/.exec(v)?.[1] },
  ubuntu: { scheme: 'dpkg', packageType: 'deb', release: (v) => /^(\d+\.\d+)$/.exec(v)?.[1] },
  rhel: { scheme: 'rpm', packageType: 'rpm', release: (v) => /^(\d+)(\.\d+)*$/.exec(v)?.[1] },
};

/** The namespace for a distro, or why none applies (unknown distros are reported, never guessed). */
export function resolveDistro(distro: DistroRef, map: DistroMap = defaultDistroMap): DistroTarget | { problem: string } {
  const family = Object.hasOwn(map, distro.id) ? map[distro.id] : undefined;
  if (family === undefined) {
    return { problem: `distro '${distro.id}' is not in the distro mapping (known: ${Object.keys(map).sort().join(', ')}); its OS packages were not matched` };
  }
  const spec = families[family];
  const release = spec.release(distro.versionId);
  if (release === undefined) {
    return { problem: `${distro.id} version '${distro.versionId}' names no ${family} release; its OS packages were not matched` };
  }
  return { namespace: `${family}:${release}`, scheme: spec.scheme, packageType: spec.packageType };
}
