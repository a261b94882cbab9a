import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeImage } from '../src/analyzer/index.js';
import { parseDpkgStatus } from '../src/analyzer/catalogers/dpkg.js';
import { parseOsRelease } from '../src/analyzer/catalogers/distro.js';
import { migrateAll, type Databases } from '../src/db/index.js';
import { matchPackages, type MatchPackage } from '../src/vulns/index.js';
import { dockerArchive } from './analyzer-fixtures.js';
import { dialects, freshDatabases } from './dbs.js';
import { loadDriver, scanFixtures, shared } from './fixtures/scan/feeds.js';

const debianRootfs = (name: string) => {
  const root = join(shared, 'rootfs', name);
  const release = parseOsRelease(readFileSync(join(root, 'etc/os-release'), 'utf8'));
  const { packages } = parseDpkgStatus(readFileSync(join(root, 'var/lib/dpkg/status'), 'utf8'), '/var/lib/dpkg/status');
  return { packages: packages as MatchPackage[], distro: { id: release.get('ID') ?? '', versionId: release.get('VERSION_ID') ?? '' } };
};

/** The ids a finding answers to. */
const idsOf = (m: { vulnerability: { id: string; aliases: string[] } }) => [m.vulnerability.id, ...m.vulnerability.aliases];

describe.each(dialects)('distro matching on %s', (dialect) => {
  let dbs: Databases;
  let cleanup: () => Promise<void>;
  const work = mkdtempSync(join(tmpdir(), 'airlock-scan-distro-'));

  beforeAll(async () => {
    ({ dbs, cleanup } = await freshDatabases(dialect));
    await migrateAll(dbs);
    await loadDriver(dbs.feeds, 'alpine', { 'v3.20/main.json': { copy: join(scanFixtures, 'alpine/v3.20/main.json') } });
    const tracker = {
      ...(JSON.parse(readFileSync(join(shared, 'upstream/debian/tracker-data.json'), 'utf8')) as object),
      ...(JSON.parse(readFileSync(join(scanFixtures, 'debian/tracker.json'), 'utf8')) as object),
    };
    await loadDriver(dbs.feeds, 'debian', { 'tracker.json': { bytes: JSON.stringify(tracker) }, 'dsa-list.txt': { copy: join(shared, 'upstream/debian/DSA-list.txt') } });
  }, 120_000);
  afterAll(async () => {
    await cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('matches the real Alpine 3.20.3 minirootfs image by binary and origin name (apk)', async () => {
    const gz = readFileSync(join(shared, 'images/alpine-minirootfs-3.20.3-x86_64.tar.gz'));
    const doc = await analyzeImage(dockerArchive(work, [{ tar: gunzipSync(gz), stored: gz }]), {});
    expect(doc.distro).toMatchObject({ id: 'alpine', versionId: '3.20.3' });
    const { matches, warnings } = await matchPackages(dbs.feeds, { packages: doc.packages, distro: doc.distro });
    expect(warnings).toEqual([]);
    const found = matches.map((m) => `${m.artifact.name} ${m.vulnerability.id} ${m.matchedBy} ${m.fix.versions.join(',')}`).sort();
    // openssl 3.3.2-r0 is below the fixes of CVE-2024-9143 (r1) and CVE-2024-12797 (3.3.3-r0) but not of
    // CVE-2024-6119 (3.3.2-r0 itself); musl 1.2.5-r0 is below CVE-2025-26519's 1.2.5-r1; zlib and busybox are past every fix.
    expect(found).toEqual([
      'libcrypto3 CVE-2024-12797 distro-source 3.3.3-r0',
      'libcrypto3 CVE-2024-9143 distro-source 3.3.2-r1',
      'libssl3 CVE-2024-12797 distro-source 3.3.3-r0',
      'libssl3 CVE-2024-9143 distro-source 3.3.2-r1',
      'musl CVE-2025-26519 distro-binary 1.2.5-r1',
      'musl-utils CVE-2025-26519 distro-source 1.2.5-r1',
    ]);
    for (const m of matches) expect(m).toMatchObject({ fix: { state: 'fixed' }, vulnerability: { namespace: 'alpine:3.20', kev: false, epss: null } });
    expect(matches.find((m) => m.artifact.name === 'musl')?.artifact.locations).toEqual(['/lib/apk/db/installed']);
  });

  it('matches the Debian 12 package list by source name with dpkg ordering, and skips what is fixed', async () => {
    const { packages, distro } = debianRootfs('debian-12.15');
    const { matches, warnings } = await matchPackages(dbs.feeds, { packages, distro });
    expect(warnings).toEqual([]);
    const sourceOf = (p: MatchPackage) => p.source?.name ?? p.name;
    const expected: Record<string, string> = { coreutils: 'CVE-2017-18018', glibc: 'CVE-2010-4756', perl: 'CVE-2011-4116', shadow: 'CVE-2007-5686', systemd: 'CVE-2013-4392', tar: 'CVE-2005-2541' };
    const want = packages.filter((p) => sourceOf(p) in expected).map((p) => `${p.name} ${expected[sourceOf(p)]}`).sort();
    expect(want.length).toBeGreaterThan(8);
    expect(matches.map((m) => `${m.artifact.name} ${m.vulnerability.id}`).sort()).toEqual(want);
    const libc = matches.find((m) => m.artifact.name === 'libc6');
    expect(libc).toMatchObject({ matchedBy: 'distro-source', fix: { state: 'not-fixed', versions: [] }, vulnerability: { severity: 'Negligible', namespace: 'debian:12' } });
    expect(matches.find((m) => m.artifact.name === 'tar')?.matchedBy).toBe('distro-binary');
    // glibc 2.36-9+deb12u14 is past CVE-2023-4911's 2.36-9+deb12u3; zlib past CVE-2022-37434's epoch-1 fix.
    expect(matches.some((m) => idsOf(m).includes('CVE-2023-4911') || idsOf(m).includes('CVE-2022-37434'))).toBe(false);
  });

  it('matches the Debian 13 package list against the trixie entries', async () => {
    const { packages, distro } = debianRootfs('debian-13.8');
    const { matches } = await matchPackages(dbs.feeds, { packages, distro });
    expect(matches.every((m) => m.vulnerability.namespace === 'debian:13')).toBe(true);
    expect(matches.find((m) => m.artifact.name === 'perl-base')?.vulnerability.id).toBe('CVE-2011-4116');
    expect(matches.find((m) => m.artifact.name === 'passwd')?.vulnerability.id).toBe('CVE-2007-5686');
    expect(matches.some((m) => m.vulnerability.id === 'CVE-2023-4911')).toBe(false);
  });

  it('reports fixed, open and end-of-life states from the real tracker sample; vendorOnly hides wont-fix', async () => {
    // Versions as the tracker's own "repositories" lists them for chromium on each release.
    const chromium = (versionId: string, version: string): MatchPackage[] => [
      { name: 'chromium', version, type: 'deb', purl: `pkg:deb/debian/chromium@${version}`, locations: [], distro: { id: 'debian', versionId } },
    ];
    const buster = await matchPackages(dbs.feeds, { packages: chromium('10', '89.0.4389.114-1~deb10u1'), distro: null });
    expect(buster.matches.map((m) => [m.vulnerability.id, m.fix.state])).toEqual([['CVE-2022-0456', 'wont-fix']]);
    expect((await matchPackages(dbs.feeds, { packages: chromium('10', '89.0.4389.114-1~deb10u1'), distro: null }, { vendorOnly: true })).matches).toEqual([]);
    const bullseye = await matchPackages(dbs.feeds, { packages: chromium('11', '90.0.4430.212-1'), distro: null });
    expect(bullseye.matches.map((m) => [m.vulnerability.id, m.fix.state, m.fix.versions])).toEqual([['CVE-2022-0456', 'fixed', ['98.0.4758.80-1~deb11u1']]]);
    expect((await matchPackages(dbs.feeds, { packages: chromium('11', '98.0.4758.102-1~deb11u1'), distro: null })).matches).toEqual([]);
  });

  it('maps rebuilds and point releases, and reports distros it does not know instead of guessing', async () => {
    const busybox: MatchPackage = { name: 'busybox', version: '1.36.1-r29', type: 'apk', purl: 'pkg:apk/alpine/busybox@1.36.1-r29', locations: [] };
    const musl: MatchPackage = { name: 'musl', version: '1.2.5-r0', type: 'apk', purl: 'pkg:apk/alpine/musl@1.2.5-r0', locations: [] };
    const unknown = await matchPackages(dbs.feeds, { packages: [busybox, musl], distro: { id: 'plan9', versionId: '4' } });
    expect(unknown.matches).toEqual([]);
    expect(unknown.warnings).toEqual([expect.stringMatching(/^2 package\(s\) not matched: distro 'plan9' is not in the distro mapping/)]);
    const mapped = await matchPackages(dbs.feeds, { packages: [musl], distro: { id: 'postmarketos', versionId: '3.20.1' } }, { distroMap: { postmarketos: 'alpine' } });
    expect(mapped.matches.map((m) => m.vulnerability.id)).toEqual(['CVE-2025-26519']);
    const noData = await matchPackages(dbs.feeds, { packages: [busybox], distro: { id: 'alpine', versionId: '3.19.4' } });
    expect(noData.warnings).toEqual(['1 package(s) not matched: the feed store holds no alpine:3.19 data']);
    const odd = await matchPackages(dbs.feeds, { packages: [musl], distro: { id: 'alpine', versionId: 'edge-ish' } });
    expect(odd.warnings[0]).toMatch(/alpine version 'edge-ish' names no alpine release/);
  });
});
