import { z } from 'zod';

/** NVD CVE API 2.0 (services.nvd.nist.gov/rest/json/cves/2.0): pages of CVE items. */

/** A CVSS block as NVD nests it: cvssData plus, for v2, the severity beside it. */
export const NvdMetric = z.object({
  source: z.string().optional(),
  /** Primary (NVD's own analysis) or Secondary (a CNA's). */
  type: z.string().optional(),
  cvssData: z.object({
    version: z.string(),
    vectorString: z.string(),
    baseScore: z.number(),
    baseSeverity: z.string().optional(),
  }),
  baseSeverity: z.string().optional(),
});
export type NvdMetric = z.infer<typeof NvdMetric>;

const metricList = z.array(z.unknown()).optional();

export const NvdMetrics = z.object({
  cvssMetricV40: metricList,
  cvssMetricV31: metricList,
  cvssMetricV30: metricList,
  cvssMetricV2: metricList,
});
export type NvdMetrics = z.infer<typeof NvdMetrics>;

export const NvdCpeMatch = z.object({
  vulnerable: z.boolean(),
  criteria: z.string(),
  versionStartIncluding: z.string().optional(),
  versionStartExcluding: z.string().optional(),
  versionEndIncluding: z.string().optional(),
  versionEndExcluding: z.string().optional(),
});
export type NvdCpeMatch = z.infer<typeof NvdCpeMatch>;

export const NvdConfiguration = z.object({
  operator: z.string().optional(),
  nodes: z.array(
    z.object({
      operator: z.string().optional(),
      negate: z.boolean().optional(),
      cpeMatch: z.array(NvdCpeMatch).default([]),
    }),
  ),
});
export type NvdConfiguration = z.infer<typeof NvdConfiguration>;

export const NvdCve = z.object({
  id: z.string().min(1),
  published: z.string().optional(),
  lastModified: z.string().optional(),
  vulnStatus: z.string().optional(),
  descriptions: z.array(z.object({ lang: z.string(), value: z.string() })).default([]),
  metrics: NvdMetrics.optional(),
  configurations: z.array(NvdConfiguration).default([]),
  references: z.array(z.object({ url: z.string() })).default([]),
});
export type NvdCve = z.infer<typeof NvdCve>;

/** One page; items are checked one by one when parsing. */
export const NvdPage = z.object({
  resultsPerPage: z.number().int().min(0),
  startIndex: z.number().int().min(0),
  totalResults: z.number().int().min(0),
  vulnerabilities: z.array(z.object({ cve: z.unknown() })),
});
export type NvdPage = z.infer<typeof NvdPage>;

/** The driver's config block. */
export const NvdConfig = z.object({
  /** NVD API key, sent as the `apiKey` header; raises the rate limit tenfold. */
  apiKey: z.string().min(1).optional(),
  /** Page size; 2000 is the API's maximum. */
  resultsPerPage: z.number().int().min(1).max(2000).default(2000),
  /** Incremental window length; the API refuses windows over 120 days. */
  windowDays: z.number().int().min(1).max(120).default(120),
  /** Pause between requests; default follows NVD's published limits (5 per 30 s, 50 with a key). */
  requestDelayMs: z.number().int().min(0).optional(),
  /** Pause after NVD's rate-limit answer (403) before asking again. */
  rateLimitWaitMs: z.number().int().min(0).default(30_000),
});
export type NvdConfig = z.infer<typeof NvdConfig>;
