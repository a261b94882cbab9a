import { z } from 'zod';

/**
 * The normalized feed record: one model for every driver (DESIGN.md §4). Drivers produce it, the
 * bundle carries it as NDJSON, import validates every line against it, and the feed store keeps it.
 * Affected ranges use OSV's event form for every source: a distro "fixed in X" is
 * [{introduced:'0'},{fixed:X}], "not fixed" is [{introduced:'0'}].
 */

/** Version schemes of the design (src/vulns/versions implements each). */
export const versionSchemes = ['dpkg', 'apk', 'rpm', 'semver', 'pep440', 'maven', 'gem', 'go', 'nuget', 'generic'] as const;
export type VersionScheme = (typeof versionSchemes)[number];

/** Anchore's severity names. */
export const severities = ['Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical'] as const;
export type Severity = (typeof severities)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected an ISO-8601 date');
const text = (max: number) => z.string().max(max);
const version = z.string().min(1).max(256);

/** One CVSS assessment, by whoever published it. */
export const cvssSchema = z.strictObject({
  /** Who scored it: 'nvd', 'debian', 'ghsa', 'redhat', ... */
  source: text(64),
  /** '2.0' | '3.0' | '3.1' | '4.0'. */
  version: z.enum(['2.0', '3.0', '3.1', '4.0']),
  /** The vector string. */
  vector: text(256),
  /** Base score 0-10. */
  baseScore: z.number().min(0).max(10),
});
export type Cvss = z.infer<typeof cvssSchema>;

/** One OSV-style range event. */
export const rangeEventSchema = z.union([
  z.strictObject({ introduced: version }),
  z.strictObject({ fixed: version }),
  z.strictObject({ last_affected: version }),
  z.strictObject({ limit: version }),
]);
export type RangeEvent = z.infer<typeof rangeEventSchema>;

/** Fix state as the vendor states it. */
export const fixStates = ['fixed', 'not-fixed', 'wont-fix', 'unknown'] as const;
export type FixState = (typeof fixStates)[number];

/** One affected package of a vulnerability. */
export const affectedSchema = z.strictObject({
  /** Package name as the namespace's ecosystem spells it (binary or source name for distros). */
  package: text(256).min(1),
  /** Which comparator orders its versions. */
  scheme: z.enum(versionSchemes),
  /** Ranges in OSV event form (each list: introduced ... fixed|last_affected|limit). */
  ranges: z.array(z.strictObject({ events: z.array(rangeEventSchema).min(1).max(512) })).max(256),
  /** Versions listed explicitly as affected. */
  versions: z.array(version).max(20_000).default([]),
  /** Vendor's fix state and fixed-in versions. */
  fix: z.strictObject({ state: z.enum(fixStates), versions: z.array(version).max(256) }),
  /** Vendor advisories that cover it (DSA-1234-1, RHSA-..., ALSA-...). */
  advisories: z.array(z.strictObject({ id: text(128), url: text(2048).optional() })).max(64).default([]),
});
export type Affected = z.infer<typeof affectedSchema>;

/** An NVD CPE match inside a configuration node. */
export const cpeMatchSchema = z.strictObject({
  /** cpe:2.3 string. */
  criteria: text(512),
  /** Whether matching it makes the product vulnerable (false: platform context only). */
  vulnerable: z.boolean(),
  versionStartIncluding: version.optional(),
  versionStartExcluding: version.optional(),
  versionEndIncluding: version.optional(),
  versionEndExcluding: version.optional(),
});

/** NVD configuration node. */
export const cpeNodeSchema = z.strictObject({
  operator: z.enum(['AND', 'OR']),
  negate: z.boolean().default(false),
  cpeMatch: z.array(cpeMatchSchema).max(5000),
});

/** A configuration: nodes combined with its operator (AND for "running on/with"). */
export const cpeConfigurationSchema = z.strictObject({
  operator: z.enum(['AND', 'OR']).default('OR'),
  nodes: z.array(cpeNodeSchema).max(256),
});
export type CpeConfiguration = z.infer<typeof cpeConfigurationSchema>;

/** A vulnerability as one source publishes it for one namespace. */
export const vulnerabilityRecordSchema = z.strictObject({
  kind: z.literal('vulnerability'),
  /** The source's id: CVE-..., GHSA-..., GO-..., PYSEC-..., ALSA-... */
  id: text(128).min(1),
  /** 'debian:12', 'alpine:3.20', 'nvd', 'npm', 'pypi', 'go', ... */
  namespace: text(64).regex(/^[a-z0-9][a-z0-9.:_-]*$/, 'expected a lower-case namespace like debian:12 or npm'),
  /** Other ids for the same vulnerability. */
  aliases: z.array(text(128)).max(256).default([]),
  /** Vendor severity (Anchore's names). */
  severity: z.enum(severities),
  /** CVSS assessments by source. */
  cvss: z.array(cvssSchema).max(32).default([]),
  summary: text(4096).optional(),
  description: text(65_536).optional(),
  urls: z.array(text(2048)).max(512).default([]),
  published: isoDate.optional(),
  modified: isoDate.optional(),
  withdrawn: isoDate.optional(),
  /** Affected packages (empty for NVD records, which use cpeConfigurations). */
  affected: z.array(affectedSchema).max(10_000).default([]),
  /** NVD CPE configurations. */
  cpeConfigurations: z.array(cpeConfigurationSchema).max(512).default([]),
});
export type VulnerabilityRecord = z.infer<typeof vulnerabilityRecordSchema>;

/** CISA Known Exploited Vulnerabilities entry (enrichment). */
export const kevRecordSchema = z.strictObject({
  kind: z.literal('kev'),
  cveId: text(64).regex(/^CVE-\d{4}-\d{4,}$/),
  dateAdded: isoDate,
  dueDate: isoDate.optional(),
  knownRansomwareCampaignUse: text(32).optional(),
  vendorProject: text(256).optional(),
  product: text(256).optional(),
  requiredAction: text(4096).optional(),
});
export type KevRecord = z.infer<typeof kevRecordSchema>;

/** FIRST EPSS score (enrichment). */
export const epssRecordSchema = z.strictObject({
  kind: z.literal('epss'),
  cveId: text(64).regex(/^CVE-\d{4}-\d{4,}$/),
  epss: z.number().min(0).max(1),
  percentile: z.number().min(0).max(1),
  date: isoDate,
});
export type EpssRecord = z.infer<typeof epssRecordSchema>;

/** Any normalized feed record. */
export const feedRecordSchema = z.discriminatedUnion('kind', [vulnerabilityRecordSchema, kevRecordSchema, epssRecordSchema]);
export type FeedRecord = z.infer<typeof feedRecordSchema>;

/** The group a record belongs to inside its driver: the namespace, or the enrichment kind. */
export function groupOf(record: FeedRecord): string {
  return record.kind === 'vulnerability' ? record.namespace : record.kind;
}

const schemasByKind = { vulnerability: vulnerabilityRecordSchema, kev: kevRecordSchema, epss: epssRecordSchema } as const;

/**
 * Validates one record: feedRecordSchema's answer, but dispatched on `kind` first, which is
 * markedly faster than the union for the millions of records an import validates.
 */
export function safeParseFeedRecord(value: unknown): ReturnType<typeof feedRecordSchema.safeParse> {
  const kind = (value as { kind?: unknown } | null)?.kind;
  const schema = typeof kind === 'string' && Object.hasOwn(schemasByKind, kind) ? schemasByKind[kind as keyof typeof schemasByKind] : undefined;
  return schema ? (schema.safeParse(value) as ReturnType<typeof feedRecordSchema.safeParse>) : feedRecordSchema.safeParse(value);
}
