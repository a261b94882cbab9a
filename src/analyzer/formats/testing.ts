/**
 * Test helper: an analysis document whose packages come from the real catalogers run on real
 * databases (Debian and Alpine rootfs from ../shared), plus one package of every other type.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analysisSchemaVersion, type AnalysisDocument, type AnalysisPackage } from '../document.js';
import { apkCataloger } from '../catalogers/apk.js';
import { dpkgCataloger } from '../catalogers/dpkg.js';
import { parsePackageJson } from '../catalogers/npm.js';
import { parsePythonMetadata } from '../catalogers/python.js';
import { repoRoot } from '../catalogers/repo-root.js';
import { treeFromFiles } from '../catalogers/testing.js';

const rootfs = join(repoRoot, '../shared/data/rootfs');

function must(value: AnalysisPackage | string): AnalysisPackage {
  if (typeof value === 'string') throw new Error(value);
  return value;
}

/** A document with a few hundred real packages of every purl type. */
export async function sampleDocument(): Promise<AnalysisDocument> {
  const debian = await dpkgCataloger().catalog(
    treeFromFiles({
      '/var/lib/dpkg/status': readFileSync(join(rootfs, 'debian-12.15/var/lib/dpkg/status')),
      '/etc/os-release': readFileSync(join(rootfs, 'debian-12.15/etc/os-release')),
    }),
  );
  const alpine = await apkCataloger().catalog(
    treeFromFiles({ '/lib/apk/db/installed': readFileSync(join(rootfs, 'alpine-3.20.3/lib/apk/db/installed')) }),
  );
  const others: AnalysisPackage[] = [
    must(parsePackageJson('{"name":"@scope/pkg","version":"1.0.0-beta.1","license":"(MIT OR Apache-2.0)"}', '/app/node_modules/@scope/pkg/package.json')),
    must(parsePackageJson('{"name":"left-pad","version":"1.3.0","license":"WTFPL"}', '/app/node_modules/left-pad/package.json')),
    must(parsePackageJson('{"name":"left-pad","version":"1.3.0","license":"WTFPL"}', '/app/node_modules/x/node_modules/left-pad/package.json')),
    must(parsePythonMetadata('Name: PyYAML\nVersion: 6.0\nLicense: MIT and BSD-ish\n', '/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA')),
    {
      name: 'hello',
      version: '2:1.2.3-4.el9',
      type: 'rpm',
      purl: 'pkg:rpm/redhat/hello@1.2.3-4.el9?arch=x86_64&epoch=2',
      source: { name: 'hello', version: '1.2.3-4.el9' },
      locations: ['/var/lib/rpm/rpmdb.sqlite'],
      licenses: ['GPLv2+'],
    },
    { name: 'rack', version: '2.2.22', type: 'gem', purl: 'pkg:gem/rack@2.2.22', locations: ['/x/specifications/rack-2.2.22.gemspec'], licenses: ['MIT'] },
    {
      name: 'commons-lang3',
      version: '3.12.0',
      type: 'maven',
      purl: 'pkg:maven/org.apache.commons/commons-lang3@3.12.0',
      locations: ['/usr/share/java/commons-lang3.jar'],
      metadata: { groupId: 'org.apache.commons' },
    },
    { name: 'stdlib', version: 'go1.19.8', type: 'golang', purl: 'pkg:golang/stdlib@1.19.8', locations: ['/usr/bin/skopeo'], metadata: { goVersion: 'go1.19.8' } },
  ];
  return {
    schemaVersion: analysisSchemaVersion,
    analyzedAt: '2026-12-04T20:00:00.123Z',
    source: 'docker-archive:debian.tar',
    image: {
      digest: `sha256:${'ab'.repeat(32)}`,
      manifestDigest: `sha256:${'cd'.repeat(32)}`,
      tags: ['debian:bookworm'],
      config: {},
      layers: [],
    },
    distro: { id: 'debian', versionId: '12', name: 'Debian GNU/Linux' },
    packages: [...debian.packages, ...alpine.packages, ...others],
    files: [],
    metadata: {
      os: 'linux',
      architecture: 'amd64',
      env: [],
      exposedPorts: [],
      user: '',
      workingDir: '',
      entrypoint: [],
      cmd: [],
      labels: {},
      history: [],
      dockerfile: '',
      users: [],
      groups: [],
    },
    secrets: [],
    warnings: [],
  };
}
