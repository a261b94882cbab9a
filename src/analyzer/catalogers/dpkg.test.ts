import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgCataloger, parseSource } from './dpkg.js';
import { repoRoot } from './repo-root.js';
import { treeFromFiles } from './testing.js';

const rootfs = join(repoRoot, '../shared/data/rootfs');

/** dpkg-query's own view: name and version of every package whose files are on disk. */
function oracle(admindir: string): string[] {
  const out = execFileSync('dpkg-query', [`--admindir=${admindir}`, '-W', '-f', '${db:Status-Status}\t${Package}\t${Version}\n'], {
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter((line) => line.startsWith('installed\t'))
    .map((line) => line.split('\t').slice(1).join(' '))
    .sort();
}

describe('dpkg cataloger', () => {
  for (const release of ['debian-12.15', 'debian-13.8']) {
    it(`equals dpkg-query -W on ${release}`, async () => {
      const root = join(rootfs, release);
      const tree = treeFromFiles({
        '/var/lib/dpkg/status': readFileSync(join(root, 'var/lib/dpkg/status')),
        '/etc/os-release': readFileSync(join(root, 'etc/os-release')),
      });
      const result = await dpkgCataloger().catalog(tree);
      const expected = oracle(join(root, 'var/lib/dpkg'));
      expect(expected.length).toBeGreaterThan(50);
      expect(result.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
      expect(result.warnings).toEqual([]);
      const major = release.split('-')[1]?.split('.')[0];
      const bash = result.packages.find((p) => p.name === 'bash');
      expect(bash?.purl).toMatch(new RegExp(`^pkg:deb/debian/bash@[^?]+\\?arch=amd64&distro=debian-${major}$`));
      expect(bash?.locations).toEqual(['/var/lib/dpkg/status']);
    });
  }

  it('keeps source name and version, epochs, and skips removed packages like dpkg-query does', async () => {
    const status = [
      'Package: libfoo1\nStatus: install ok installed\nArchitecture: amd64\nSource: foo (2:1.0-1)\nVersion: 2:1.0-1+b1\n',
      'Package: bar\nStatus: install ok installed\nArchitecture: all\nVersion: 1:3.0-2\n',
      'Package: gone\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0\n',
      'Package: purged\nStatus: purge ok not-installed\nArchitecture: amd64\n',
      'Package: baz-bin\nStatus: install ok installed\nArchitecture: amd64\nSource: baz\nVersion: 4.1\n',
    ].join('\n');
    const result = await dpkgCataloger().catalog(treeFromFiles({ '/var/lib/dpkg/status': status }));
    expect(result.packages.map((p) => [p.name, p.version, p.source])).toEqual([
      ['libfoo1', '2:1.0-1+b1', { name: 'foo', version: '2:1.0-1' }],
      ['bar', '1:3.0-2', { name: 'bar', version: '1:3.0-2' }],
      ['baz-bin', '4.1', { name: 'baz', version: '4.1' }],
    ]);
    expect(result.packages[0]?.purl).toBe('pkg:deb/debian/libfoo1@2:1.0-1%2Bb1?arch=amd64&upstream=foo');
    expect(parseSource('glibc (2.36-9)')).toEqual({ name: 'glibc', version: '2.36-9' });
  });

  it('reads distroless status.d/ files and ignores their md5sums', async () => {
    const cataloger = dpkgCataloger();
    expect(cataloger.wants('/var/lib/dpkg/status.d/base', 10)).toBe(true);
    expect(cataloger.wants('/var/lib/dpkg/status.d/base.md5sums', 10)).toBe(false);
    const result = await cataloger.catalog(
      treeFromFiles({ '/var/lib/dpkg/status.d/tzdata': 'Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n' }),
    );
    expect(result.packages.map((p) => `${p.name} ${p.version}`)).toEqual(['tzdata 2024a-0+deb12u1']);
    expect(result.packages[0]?.locations).toEqual(['/var/lib/dpkg/status.d/tzdata']);
  });

  it('warns on a truncated or garbage status file and never throws', async () => {
    const real = readFileSync(join(rootfs, 'debian-12.15/var/lib/dpkg/status'));
    const cut = real.subarray(0, real.indexOf('Version:', real.length / 2) - 1);
    const truncated = await dpkgCataloger().catalog(treeFromFiles({ '/var/lib/dpkg/status': cut }));
    expect(truncated.packages.length).toBeGreaterThan(10);
    expect(truncated.warnings).toEqual([expect.stringMatching(/^dpkg: \/var\/lib\/dpkg\/status: 1 entries/)]);
    const garbage = await dpkgCataloger().catalog(treeFromFiles({ '/var/lib/dpkg/status': Buffer.from([0, 1, 2, 255, 10, 10, 7]) }));
    expect(garbage.packages).toEqual([]);
    expect(garbage.warnings).toHaveLength(1);
  });
});
