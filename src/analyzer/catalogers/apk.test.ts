import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apkCataloger } from './apk.js';
import { repoRoot } from './repo-root.js';
import { treeFromFiles } from './testing.js';

const rootfs = join(repoRoot, '../shared/data/rootfs');

/** The oracle: every P:/V: pair of the installed db, read line by line. */
function oracle(text: string): string[] {
  const out: string[] = [];
  let name = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('P:')) name = line.slice(2);
    if (line.startsWith('V:')) out.push(`${name} ${line.slice(2)}`);
  }
  return out.sort();
}

describe('apk cataloger', () => {
  for (const release of ['alpine-3.18.9', 'alpine-3.19.4', 'alpine-3.20.3']) {
    it(`equals the P/V entries of ${release}`, async () => {
      const root = join(rootfs, release);
      const db = readFileSync(join(root, 'lib/apk/db/installed'));
      const tree = treeFromFiles({ '/lib/apk/db/installed': db, '/etc/os-release': readFileSync(join(root, 'etc/os-release')) });
      const result = await apkCataloger().catalog(tree);
      const expected = oracle(db.toString('utf8'));
      expect(expected.length).toBeGreaterThan(10);
      expect(result.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(expected);
      expect(result.warnings).toEqual([]);
      const busybox = result.packages.find((p) => p.name === 'busybox-binsh');
      expect(busybox?.source).toEqual({ name: 'busybox', version: busybox?.version });
      expect(busybox?.purl).toBe(
        `pkg:apk/alpine/busybox-binsh@${busybox?.version}?arch=x86_64&distro=alpine-${release.slice(7)}&upstream=busybox`,
      );
      expect(busybox?.licenses).toEqual(['GPL-2.0-only']);
    });
  }

  it('warns about a truncated database and keeps what it could read', async () => {
    const db = readFileSync(join(rootfs, 'alpine-3.20.3/lib/apk/db/installed'));
    const cut = db.subarray(0, db.indexOf('\nV:', db.length / 2) + 1);
    const result = await apkCataloger().catalog(treeFromFiles({ '/lib/apk/db/installed': cut }));
    expect(result.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual(oracle(cut.toString('utf8')));
    expect(result.packages.length).toBeGreaterThan(1);
    expect(result.warnings).toEqual(['apk: /lib/apk/db/installed: 1 entries without P or V skipped']);
  });

  it('returns nothing when the image has no apk database', async () => {
    expect(await apkCataloger().catalog(treeFromFiles({ '/etc/os-release': 'ID=alpine\n' }))).toEqual({ packages: [], warnings: [] });
  });
});
