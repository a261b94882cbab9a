import { z } from 'zod';

/** OSV schema (ossf.github.io/osv-schema), as the per-ecosystem all.zip dumps carry it. */

export const OsvEvent = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});
export type OsvEvent = z.infer<typeof OsvEvent>;

export const OsvRange = z.object({
  /** SEMVER | ECOSYSTEM | GIT. */
  type: z.string(),
  events: z.array(OsvEvent).default([]),
});
export type OsvRange = z.infer<typeof OsvRange>;

export const OsvAffected = z.object({
  package: z.object({ ecosystem: z.string(), name: z.string() }).optional(),
  ranges: z.array(OsvRange).default([]),
  versions: z.array(z.string()).default([]),
});
export type OsvAffected = z.infer<typeof OsvAffected>;

export const OsvRecord = z.object({
  id: z.string().min(1),
  aliases: z.array(z.string()).nullish(),
  summary: z.string().optional(),
  details: z.string().optional(),
  published: z.string().optional(),
  modified: z.string().optional(),
  withdrawn: z.string().optional(),
  /** type CVSS_V2 | CVSS_V3 | CVSS_V4 (score: the vector) | Ubuntu (score: a word). */
  severity: z.array(z.object({ type: z.string(), score: z.string() })).nullish(),
  affected: z.array(OsvAffected).nullish(),
  references: z.array(z.object({ url: z.string() })).nullish(),
  /** GHSA puts its severity word here: LOW | MODERATE | HIGH | CRITICAL. */
  database_specific: z.object({ severity: z.string().optional() }).nullish(),
});
export type OsvRecord = z.infer<typeof OsvRecord>;

/** The ecosystems this driver knows: dump folder -> namespace and version scheme. */
export const ecosystems = {
  npm: { namespace: 'npm', scheme: 'semver' },
  PyPI: { namespace: 'pypi', scheme: 'pep440' },
  Go: { namespace: 'go', scheme: 'go' },
  Maven: { namespace: 'maven', scheme: 'maven' },
  RubyGems: { namespace: 'rubygems', scheme: 'gem' },
  'crates.io': { namespace: 'cargo', scheme: 'semver' },
  NuGet: { namespace: 'nuget', scheme: 'nuget' },
  Packagist: { namespace: 'composer', scheme: 'semver' },
} as const;
export type Ecosystem = keyof typeof ecosystems;

const ecosystemNames = Object.keys(ecosystems) as [Ecosystem, ...Ecosystem[]];

/** The driver's config block. */
export const OsvConfig = z.object({
  /** Ecosystem dumps to fetch, as OSV names their folders. */
  ecosystems: z.array(z.enum(ecosystemNames)).min(1).default(ecosystemNames),
  /** Largest single record accepted from a dump (a guard against zip bombs). */
  maxRecordBytes: z.number().int().min(1024).default(32 * 2 ** 20),
});
export type OsvConfig = z.infer<typeof OsvConfig>;
