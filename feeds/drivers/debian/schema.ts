import { z } from 'zod';

/** Debian security tracker JSON (security-tracker.debian.org/tracker/data/json): package -> issue -> releases. */

/** One release's view of one issue in one source package. */
export const TrackerRelease = z.object({
  /** resolved | open | undetermined. */
  status: z.string(),
  /** "0" when the release never had the vulnerable code. */
  fixed_version: z.string().optional(),
  /** unimportant | low | medium | high (with "**" when inferred), "not yet assigned", "end-of-life". */
  urgency: z.string().optional(),
  /** Why no DSA is planned ("ignored", "postponed"). */
  nodsa_reason: z.string().optional(),
});
export type TrackerRelease = z.infer<typeof TrackerRelease>;

/** One issue (CVE-..., TEMP-...) of a package; an issue without releases arrives as `[]` (PHP-style empty map). */
export const TrackerIssue = z.object({
  description: z.string().optional(),
  debianbug: z.number().optional(),
  releases: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()).max(0)]),
});
export type TrackerIssue = z.infer<typeof TrackerIssue>;

/** One package member of the top-level object. */
export const TrackerPackage = z.record(z.string(), z.unknown());
export type TrackerPackage = z.infer<typeof TrackerPackage>;

/** The driver's config block. */
export const DebianConfig = z.object({
  /** Absolute URL of the DSA list, when it does not live at <base>/tracker/data/DSA/list. */
  dsaListUrl: z.url().optional(),
  /** Extra codename -> namespace suffix pairs ("forky": "14") for releases newer than this code. */
  codenames: z.record(z.string().regex(/^[a-z]+$/), z.string().regex(/^[a-z0-9.]+$/)).default({}),
});
export type DebianConfig = z.infer<typeof DebianConfig>;
