import type { Cvss, FixState, Severity } from '../../feeds/record.js';

/**
 * One vulnerability found in one package: what `airlock scan --format json` prints in matches[]
 * and what the policy engine's vulnerabilities gate reads. Issue 05 fixes this shape.
 */
export interface VulnerabilityMatch {
  /** The vulnerability as the best source describes it. */
  vulnerability: {
    /** Primary id (the matched record's id: CVE-..., GHSA-..., GO-..., ...). */
    id: string;
    /** Other ids of the same vulnerability (deduplicated matches fold into one). */
    aliases: string[];
    /** Vendor severity for the matched namespace (Anchore's names). */
    severity: Severity;
    /** CVSS assessments by source. */
    cvss: Cvss[];
    /** In CISA's Known Exploited Vulnerabilities catalog. */
    kev: boolean;
    /** FIRST EPSS probability (0-1), when known. */
    epss: number | null;
    /** Feed namespace of the matched record ('debian:12', 'npm', 'nvd'). */
    namespace: string;
    /** Upstream links. */
    urls: string[];
  };
  /** The package it was found in. */
  artifact: {
    name: string;
    version: string;
    /** purl type: deb, apk, rpm, npm, pypi, gem, maven, golang. */
    type: string;
    purl: string;
    /** Where the package was found in the image. */
    locations: string[];
  };
  /** The vendor's fix. */
  fix: { state: FixState; versions: string[] };
  /** How it matched: 'distro-binary', 'distro-source', 'language', 'cpe'. */
  matchedBy: string;
}
