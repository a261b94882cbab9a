import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { analyzeImage } from '../src/analyzer/index.js';
import { testImage } from './analyzer-fixtures.js';
import { root } from './cli.js';

/** What dpkg itself says is installed, from the image's own var/lib/dpkg. */
function dpkgQuery(admindir: string): string[] {
  const res = spawnSync('dpkg-query', [`--admindir=${admindir}`, '-W', '-f', '${db:Status-Abbrev}\t${Package}\t${Version}\n'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`dpkg-query failed: ${res.stderr}`);
  return res.stdout
    .split('\n')
    .filter((l) => l.startsWith('ii'))
    .map((l) => l.split('\t').slice(1).join(' '))
    .sort();
}

// Real images and spawned CLIs: generous time on a loaded machine.
vi.setConfig({ testTimeout: 180_000 });

describe('package sets equal what the distro tools report', () => {
  for (const name of ['bookworm', 'trixie', 'twolayer'] as const) {
    it(`${name}: deb packages equal dpkg-query --admindir=<rootfs>/var/lib/dpkg -W`, async () => {
      const doc = await analyzeImage(`docker-archive:${testImage(name, 'docker.tar')}`, {});
      const expected = dpkgQuery(testImage(name, 'dpkg'));
      expect(expected.length).toBeGreaterThan(50);
      expect(doc.packages.filter((p) => p.type === 'deb').map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
      expect(doc.distro).toMatchObject({ id: 'debian', versionId: name === 'trixie' ? '13' : '12' });
    });
  }

  it('alpine: apk packages equal the installed-db entries of the minirootfs', async () => {
    const doc = await analyzeImage(`oci-dir:${testImage('alpine', 'oci')}`, {});
    const tarball = gunzipSync(readFileSync(join(root, '../shared/data/images/alpine-minirootfs-3.20.3-x86_64.tar.gz')));
    const db = extract(tarball, 'lib/apk/db/installed');
    const expected = db
      .split('\n\n')
      .map((para) => Object.fromEntries(para.split('\n').map((l) => [l.slice(0, 1), l.slice(2)])))
      .filter((p) => p.P)
      .map((p) => `${p.P} ${p.V}`)
      .sort();
    expect(expected.length).toBeGreaterThan(10);
    expect(doc.packages.filter((p) => p.type === 'apk').map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
    expect(doc.distro).toMatchObject({ id: 'alpine', versionId: '3.20.3' });
  });
});

/** Reads one member of an uncompressed tar (the oracle must not share code with the walker). */
function extract(tar: Buffer, name: string): string {
  for (let pos = 0; pos + 512 <= tar.length; ) {
    const entry = tar.toString('utf8', pos, pos + 100).replace(/\0.*$/s, '').replace(/^\.\//, '');
    const size = parseInt(tar.toString('latin1', pos + 124, pos + 136), 8) || 0;
    if (entry === name) return tar.toString('utf8', pos + 512, pos + 512 + size);
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${name} not in tarball`);
}
