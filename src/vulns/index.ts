/** Vulnerability matching and scan reports: the module's door. */
export type { VulnerabilityMatch } from './match-types.js';
export { matchPackages, type MatchInput, type MatchOptions, type MatchResult } from './matcher.js';
export { defaultDistroMap, distroFamilies, resolveDistro, type DistroFamily, type DistroMap, type DistroRef, type DistroTarget } from './distro-map.js';
export { parsePurl, type Purl, type PurlResult } from './purl.js';
export type { MatchPackage, MatchedBy } from './targets.js';
export { readSbom, type SbomPackages } from './sbom.js';
export { scanSource, type ScannedSource } from './scan-source.js';
export { toCycloneDxReport, toJsonReport, toSarif, toTable, type ScanReport } from './report.js';
