import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distroCataloger, distroQualifier, parseOsRelease, readDistro } from './distro.js';
import { repoRoot } from './repo-root.js';
import { treeFromFiles } from './testing.js';

const rootfs = join(repoRoot, '../shared/data/rootfs');

describe('distro', () => {
  it('reads the real Debian and Alpine os-release files', () => {
    const debian = readDistro(treeFromFiles({ '/etc/os-release': readFileSync(join(rootfs, 'debian-12.15/etc/os-release')) }));
    expect(debian).toMatchObject({ id: 'debian', versionId: '12', versionCodename: 'bookworm', source: '/etc/os-release' });
    expect(distroQualifier(debian)).toBe('debian-12');
    const alpine = readDistro(treeFromFiles({ '/etc/os-release': readFileSync(join(rootfs, 'alpine-3.20.3/etc/os-release')) }));
    expect(alpine).toMatchObject({ id: 'alpine', versionId: '3.20.3', prettyName: 'Alpine Linux v3.20' });
  });

  it('falls back to /usr/lib/os-release, then the release files', () => {
    expect(readDistro(treeFromFiles({ '/usr/lib/os-release': 'ID=fedora\nVERSION_ID=40\n' }))?.id).toBe('fedora');
    expect(readDistro(treeFromFiles({ '/etc/alpine-release': readFileSync(join(rootfs, 'alpine-3.19.4/etc/alpine-release')) })))
      .toMatchObject({ id: 'alpine', versionId: '3.19.4', source: '/etc/alpine-release' });
    expect(readDistro(treeFromFiles({ '/etc/debian_version': '12.15\n' }))).toMatchObject({ id: 'debian', versionId: '12' });
    expect(readDistro(treeFromFiles({ '/etc/debian_version': 'trixie/sid\n' }))?.versionId).toBeUndefined();
    expect(readDistro(treeFromFiles({ '/etc/redhat-release': 'CentOS Linux release 7.9.2009 (Core)\n' })))
      .toMatchObject({ id: 'centos', versionId: '7.9.2009' });
    expect(readDistro(treeFromFiles({ '/etc/hostname': 'x' }))).toBeUndefined();
  });

  it('handles shell quoting and ignores comments and garbage lines', () => {
    const fields = parseOsRelease('# c\nNAME="A \\"B\\""\nX=\'single\'\n=bad\nnoequals\nID=plain\n');
    expect(fields.get('NAME')).toBe('A "B"');
    expect(fields.get('X')).toBe('single');
    expect(fields.get('ID')).toBe('plain');
    expect(fields.size).toBe(3);
  });

  it('wants only the distro files', () => {
    const cataloger = distroCataloger();
    expect(cataloger.wants('/etc/os-release', 100)).toBe(true);
    expect(cataloger.wants('/etc/passwd', 100)).toBe(false);
  });
});
