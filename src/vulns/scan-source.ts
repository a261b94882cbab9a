import { readFile } from 'node:fs/promises';
import { getDrivers } from '../../feeds/store/index.js';
import { analyzeImage, type AnalysisDocument, type AnalyzeOptions } from '../analyzer/index.js';
import type { Db } from '../db/index.js';
import { AirlockError } from '../lib/errors.js';
import { matchPackages, type MatchOptions } from './matcher.js';
import type { ScanReport } from './report.js';
import { readSbom } from './sbom.js';

/** A scanned source: the report, and the analysis when the source was an image. */
export interface ScannedSource {
  /** What scan prints. */
  report: ScanReport;
  /** The image's analysis document; null for SBOMs. */
  analysis: AnalysisDocument | null;
}

/** SBOMs larger than this are refused rather than read into memory. */
const maxSbomBytes = 512 * 1024 * 1024;

async function readSbomFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new AirlockError('SBOM_INVALID', `sbom:${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (bytes.length > maxSbomBytes) throw new AirlockError('SBOM_INVALID', `sbom:${file}: larger than ${maxSbomBytes} bytes`);
  return bytes.toString('utf8');
}

/**
 * Scans `sbom:<file>` or anything `airlock analyze` accepts against the local feed store. An empty
 * store is an error: a clean report from no data would be a lie.
 */
export async function scanSource(feeds: Db, source: string, options: { analyze?: AnalyzeOptions; match?: MatchOptions } = {}): Promise<ScannedSource> {
  if ((await getDrivers(feeds)).length === 0) {
    throw new AirlockError('NOT_FOUND', 'the feed store holds no vulnerability data: import a feed bundle (airlock feeds import) or sync feeds first');
  }
  if (source.startsWith('sbom:')) {
    const file = source.slice('sbom:'.length);
    const sbom = readSbom(await readSbomFile(file), file);
    const result = await matchPackages(feeds, { packages: sbom.packages, distro: sbom.distro }, options.match);
    return {
      report: { source, distro: sbom.distro, matches: result.matches, warnings: result.warnings, skipped: sbom.skipped, complete: sbom.skipped.length === 0 },
      analysis: null,
    };
  }
  const doc = await analyzeImage(source, options.analyze ?? {});
  const distro = doc.distro ? { id: doc.distro.id, versionId: doc.distro.versionId } : null;
  const result = await matchPackages(feeds, { packages: doc.packages, distro }, options.match);
  return { report: { source, distro, matches: result.matches, warnings: [...doc.warnings, ...result.warnings], skipped: [], complete: true }, analysis: doc };
}
