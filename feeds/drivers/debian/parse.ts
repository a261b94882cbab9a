import type { SnapshotReader } from '../../driver.js';
import { severities, type Affected, type FeedRecord, type FixState, type Severity } from '../../record.js';
import { driverError } from '../driver-error.js';
import { advisoryKey, indexDsaList, type Advisory } from './dsa.js';
import { JsonShapeError, topLevelMembers } from './json-members.js';
import { TrackerIssue, TrackerPackage, TrackerRelease, type DebianConfig } from './schema.js';

/** Snapshot file names written by fetch(). */
export const trackerFile = 'tracker.json';
export const dsaFile = 'dsa-list.txt';

/** Codename -> namespace suffix; older releases stay because images built on them are still scanned. */
const knownCodenames: Record<string, string> = { jessie: '8', stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13', forky: '14', sid: 'unstable' };

const urgencies: Record<string, Severity> = { unimportant: 'Negligible', low: 'Low', medium: 'Medium', high: 'High' };

/** Tracker urgency -> severity; "**" marks an urgency inferred from NVD, still the best we have. */
function severityOf(urgency: string | undefined): Severity {
  return urgencies[(urgency ?? '').replace(/\*+$/, '').trim()] ?? 'Unknown';
}

/**
 * One release entry -> an affected entry, or undefined when the release is not affected.
 * The tracker's JSON encodes its list states as: <not-affected> = resolved with fixed_version "0";
 * <unfixed> = open; <end-of-life> = open with urgency "end-of-life" (no fix will come);
 * <no-dsa> ignored = open with nodsa_reason "ignored" (no fix planned); undetermined = not known yet.
 */
function affectedOf(pkg: string, release: TrackerRelease, advisories: Advisory[]): Affected | undefined {
  const fixed = release.fixed_version?.trim();
  if (release.status === 'resolved' && fixed === '0') return undefined;
  const base = { package: pkg, scheme: 'dpkg' as const, versions: [], advisories };
  if (release.status === 'resolved' && fixed !== undefined && fixed !== '') {
    return { ...base, ranges: [{ events: [{ introduced: '0' }, { fixed }] }], fix: { state: 'fixed', versions: [fixed] } };
  }
  let state: FixState = 'unknown';
  if (release.status === 'open') state = release.urgency === 'end-of-life' || release.nodsa_reason === 'ignored' ? 'wont-fix' : 'not-fixed';
  return { ...base, ranges: [{ events: [{ introduced: '0' }] }], fix: { state, versions: [] } };
}

/** Package members of the tracker file, parsed one at a time. */
async function* packages(snapshot: SnapshotReader): AsyncIterable<[string, TrackerPackage]> {
  const stream = snapshot.stream(trackerFile);
  stream.setEncoding('utf8');
  try {
    for await (const [name, raw] of topLevelMembers(stream as AsyncIterable<string>)) {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (err) {
        throw driverError('debian', `${trackerFile}: package ${name}: not valid JSON: ${(err as Error).message}`);
      }
      const parsed = TrackerPackage.safeParse(value);
      // A package whose value is not an object carries no issues; skipping it keeps the rest usable.
      if (parsed.success) yield [name, parsed.data];
    }
  } catch (err) {
    if (err instanceof JsonShapeError) throw driverError('debian', `${trackerFile}: not valid JSON: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw driverError('debian', `${trackerFile}: missing from the snapshot`);
    throw err;
  }
}

interface Pending {
  remaining: number;
  description: string | undefined;
  bugs: Set<number>;
  byNamespace: Map<string, { affected: Affected[]; severity: Severity }>;
}

/**
 * Two passes over the tracker file: the first counts the packages of every issue, the second
 * gathers an issue's packages and emits its records as soon as the last one was seen. Memory then
 * holds only issues still waiting for packages, never the whole tracker.
 */
export async function* parseDebian(snapshot: SnapshotReader, config: DebianConfig): AsyncIterable<FeedRecord> {
  const codenames = { ...knownCodenames, ...config.codenames };
  const names = await snapshot.list();
  const dsa = names.includes(dsaFile) ? indexDsaList((await snapshot.read(dsaFile)).toString('utf8')) : new Map<string, Advisory[]>();
  if (dsa === undefined) throw driverError('debian', `${dsaFile}: no DSA entries found (not a DSA list?)`);

  const remaining = new Map<string, number>();
  for await (const [, issues] of packages(snapshot)) {
    for (const issue of Object.keys(issues)) remaining.set(issue, (remaining.get(issue) ?? 0) + 1);
  }

  const pending = new Map<string, Pending>();
  for await (const [pkg, issues] of packages(snapshot)) {
    for (const [issue, raw] of Object.entries(issues)) {
      const entry = pending.get(issue) ?? { remaining: remaining.get(issue) ?? 1, description: undefined, bugs: new Set<number>(), byNamespace: new Map() };
      pending.set(issue, entry);
      entry.remaining--;
      const parsed = TrackerIssue.safeParse(raw);
      if (parsed.success) {
        entry.description ??= parsed.data.description;
        if (parsed.data.debianbug !== undefined) entry.bugs.add(parsed.data.debianbug);
        const releases = Array.isArray(parsed.data.releases) ? {} : parsed.data.releases;
        for (const [codename, rawRelease] of Object.entries(releases)) {
          const suffix = codenames[codename];
          const release = TrackerRelease.safeParse(rawRelease);
          if (suffix === undefined || !release.success) continue;
          const affected = affectedOf(pkg, release.data, dsa.get(advisoryKey(codename, pkg, issue)) ?? []);
          if (affected === undefined) continue;
          const namespace = `debian:${suffix}`;
          const slot = entry.byNamespace.get(namespace) ?? { affected: [], severity: 'Unknown' };
          slot.affected.push(affected);
          const severity = severityOf(release.data.urgency);
          if (severities.indexOf(severity) > severities.indexOf(slot.severity)) slot.severity = severity;
          entry.byNamespace.set(namespace, slot);
        }
      }
      if (entry.remaining > 0) continue;
      pending.delete(issue);
      yield* recordsOf(issue, entry);
    }
  }
}

function* recordsOf(issue: string, entry: Pending): Iterable<FeedRecord> {
  const urls = [`https://security-tracker.debian.org/tracker/${issue}`, ...[...entry.bugs].map((b) => `https://bugs.debian.org/${b}`)];
  for (const namespace of [...entry.byNamespace.keys()].sort()) {
    const slot = entry.byNamespace.get(namespace);
    if (slot === undefined) continue;
    yield {
      kind: 'vulnerability',
      id: issue,
      namespace,
      aliases: [],
      severity: slot.severity,
      cvss: [],
      ...(entry.description === undefined ? {} : { description: entry.description.slice(0, 65_536) }),
      urls,
      affected: slot.affected,
      cpeConfigurations: [],
    };
  }
}
