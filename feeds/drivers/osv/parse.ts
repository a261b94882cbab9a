import { join } from 'node:path';
import type { SnapshotReader } from '../../driver.js';
import type { Affected, Cvss, FeedRecord, RangeEvent, Severity, VulnerabilityRecord } from '../../record.js';
import { describeIssues, driverError } from '../driver-error.js';
import { scoreVector, severityOfScore } from './cvss.js';
import { ecosystems, OsvRecord, type Ecosystem, type OsvConfig, type OsvEvent } from './schema.js';
import { readZip, ZipError } from '../../../src/lib/zip/index.js';

/** Snapshot name of an ecosystem's dump, as fetch() writes it. */
export const dumpName = (ecosystem: Ecosystem): string => `${ecosystem}/all.zip`;

const ghsaWords: Record<string, Severity> = { LOW: 'Low', MODERATE: 'Medium', MEDIUM: 'Medium', HIGH: 'High', CRITICAL: 'Critical' };

/** Counters a parse reports once per dump. */
interface Tally {
  gitRanges: number;
}

function eventsOf(events: OsvEvent[]): RangeEvent[] {
  return events.flatMap((e): RangeEvent[] => {
    if (e.introduced !== undefined && e.introduced !== '') return [{ introduced: e.introduced }];
    if (e.fixed !== undefined && e.fixed !== '') return [{ fixed: e.fixed }];
    if (e.last_affected !== undefined && e.last_affected !== '') return [{ last_affected: e.last_affected }];
    if (e.limit !== undefined && e.limit !== '') return [{ limit: e.limit }];
    return [];
  });
}

/**
 * Severity: GHSA's own word when present; otherwise the newest CVSS in `severity[]`, scored from
 * its vector (OSV's `score` is the vector). v4 vectors are left out: scoring them needs the
 * spec's lookup tables, and the record schema keeps only scored CVSS entries.
 */
function scoresOf(record: OsvRecord, source: string): { severity: Severity; cvss: Cvss[] } {
  const cvss: Cvss[] = [];
  for (const s of record.severity ?? []) {
    if (s.type !== 'CVSS_V3' && s.type !== 'CVSS_V2') continue;
    const scored = scoreVector(s.score);
    if (scored === undefined) continue;
    cvss.push({ source, version: scored.version, vector: s.score.slice(0, 256), baseScore: scored.baseScore });
  }
  cvss.sort((a, b) => b.version.localeCompare(a.version));
  const word = ghsaWords[record.database_specific?.severity?.toUpperCase() ?? ''];
  const best = cvss[0];
  if (word !== undefined) return { severity: word, cvss };
  if (best === undefined) return { severity: 'Unknown', cvss };
  // CVSS v2 has no Critical band: 9.0 and up is still High there.
  const severity = best.version === '2.0' && best.baseScore >= 7 ? 'High' : severityOfScore(best.baseScore);
  return { severity, cvss };
}

/** One OSV record of `ecosystem` -> a record, or undefined when none of its packages is in that ecosystem. */
function recordOf(record: OsvRecord, ecosystem: Ecosystem, tally: Tally): VulnerabilityRecord | undefined {
  const { namespace, scheme } = ecosystems[ecosystem];
  const mine = (record.affected ?? []).filter((a) => a.package?.ecosystem === ecosystem && a.package.name !== '');
  if ((record.affected ?? []).length > 0 && mine.length === 0) return undefined;
  const affected: Affected[] = mine.map((a) => {
    // GIT ranges are commit hashes: no installed package version can be compared with them.
    tally.gitRanges += a.ranges.filter((r) => r.type === 'GIT').length;
    const ranges = a.ranges.filter((r) => r.type === 'SEMVER' || r.type === 'ECOSYSTEM').map((r) => ({ events: eventsOf(r.events) })).filter((r) => r.events.length > 0);
    const fixed = [...new Set(ranges.flatMap((r) => r.events.flatMap((e) => ('fixed' in e ? [e.fixed] : []))))];
    const state = fixed.length > 0 ? 'fixed' : ranges.length > 0 ? 'not-fixed' : 'unknown';
    return { package: a.package?.name ?? '', scheme, ranges, versions: a.versions.filter((v) => v !== '').slice(0, 20_000), fix: { state, versions: fixed.slice(0, 256) }, advisories: [] };
  });
  const { severity, cvss } = scoresOf(record, record.id.split('-')[0]?.toLowerCase() ?? 'osv');
  return {
    kind: 'vulnerability',
    id: record.id,
    namespace,
    aliases: [...new Set(record.aliases ?? [])].filter((a) => a !== record.id).slice(0, 256),
    severity,
    cvss: cvss.slice(0, 32),
    ...(record.summary === undefined || record.summary === '' ? {} : { summary: record.summary.slice(0, 4096) }),
    ...(record.details === undefined || record.details === '' ? {} : { description: record.details.slice(0, 65_536) }),
    urls: [...new Set((record.references ?? []).map((r) => r.url).filter((u) => u.length <= 2048))].slice(0, 512),
    ...(record.published === undefined ? {} : { published: record.published }),
    ...(record.modified === undefined ? {} : { modified: record.modified }),
    ...(record.withdrawn === undefined ? {} : { withdrawn: record.withdrawn }),
    affected,
    cpeConfigurations: [],
  };
}

/** Streams every configured dump in the snapshot, one archive entry in memory at a time. */
export async function* parseOsv(snapshot: SnapshotReader, config: OsvConfig, log?: { warn(obj: object, msg: string): void }): AsyncIterable<FeedRecord> {
  const present = new Set(await snapshot.list());
  for (const ecosystem of config.ecosystems) {
    const name = dumpName(ecosystem);
    if (!present.has(name)) throw driverError('osv', `${name}: missing from the snapshot`);
    const tally: Tally = { gitRanges: 0 };
    try {
      for await (const entry of readZip(join(snapshot.dir, name), config.maxRecordBytes)) {
        if (!entry.name.endsWith('.json')) continue;
        let raw: unknown;
        try {
          raw = JSON.parse(entry.data.toString('utf8'));
        } catch (err) {
          throw driverError('osv', `${name}: ${entry.name}: not valid JSON: ${(err as Error).message}`);
        }
        const parsed = OsvRecord.safeParse(raw);
        if (!parsed.success) throw driverError('osv', `${name}: ${entry.name}: not an OSV record: ${describeIssues(parsed.error)}`);
        const record = recordOf(parsed.data, ecosystem, tally);
        if (record !== undefined) yield record;
      }
    } catch (err) {
      if (err instanceof ZipError) throw driverError('osv', `${name}: ${err.message}`, { cause: err });
      throw err;
    }
    if (tally.gitRanges > 0) log?.warn({ driver: 'osv', ecosystem, gitRanges: tally.gitRanges }, 'osv: GIT ranges dropped (commit ranges cannot match package versions)');
  }
}
