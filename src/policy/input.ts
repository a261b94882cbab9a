/** What the policy engine evaluates: the analysis, its vulnerability matches, feed ages and the image's name. */
import type { AnalysisDocument } from '../analyzer/document.js';
import type { VulnerabilityMatch } from '../vulns/match-types.js';

/**
 * A match as the vulnerabilities gate reads it. The dates are optional because the matcher does
 * not carry them yet; max_days_since_creation / max_days_since_fix use them when present.
 */
export type PolicyMatch = VulnerabilityMatch & {
  vulnerability: {
    /** When the vulnerability was published upstream (ISO 8601). */
    published?: string;
  };
  fix: {
    /** When the fix was first seen (ISO 8601). */
    date?: string;
  };
};

export interface FeedGroupAge {
  /** Feed driver id ('debian', 'osv', ...). */
  driver: string;
  /** Group name: a namespace such as 'debian:12' or 'npm'. */
  name: string;
  /** When the driver fetched the upstream data (not when it was imported). */
  fetchedAt: string;
}

export interface PolicyImage {
  /** Registry host, e.g. 'docker.io'. */
  registry: string;
  /** Repository, e.g. 'library/alpine'. */
  repository: string;
  /** Tag, e.g. 'latest'. */
  tag: string;
  /** Manifest digest ('sha256:...'). */
  digest: string;
  /** Image id (config digest); defaults to the analysis document's. */
  imageId?: string;
}

export interface MalwareFinding {
  /** File the signature matched. */
  path: string;
  /** Scanner's signature name. */
  signature: string;
}

export interface PolicyInput {
  /** The analysis document of the image. */
  analysis: AnalysisDocument;
  /** Vulnerability matches for the image. */
  matches: PolicyMatch[];
  /** Age of the vulnerability data the matches came from. */
  feeds: { groups: FeedGroupAge[] };
  /** The image reference being evaluated (mappings select on it). */
  image: PolicyImage;
  /** Evaluation time: allowlist expiry, stale feeds and vulnerability ages are measured from it. */
  now: Date;
  /** A Dockerfile supplied by the user (Anchore's `image add --dockerfile`); otherwise the one rebuilt from history is used. */
  dockerfile?: string;
  /** Contents of files retrieved at analysis time, by absolute path (retrieved_files gate). */
  retrievedFiles?: Record<string, string>;
  /** Result of an external malware scan; absent when no scan ran. */
  malware?: { findings: MalwareFinding[] };
}
