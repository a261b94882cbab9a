import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apk } from './apk.js';
import { fieldValues, readVectors, rootfsDirs } from './testdata/support.js';

/** Package name -> version, per Alpine release, from the minirootfs package databases. */
function installed(): Map<string, Map<string, string>> {
  const byRelease = new Map<string, Map<string, string>>();
  for (const dir of rootfsDirs('alpine-').sort()) {
    const db = join(dir, 'lib/apk/db/installed');
    const names = fieldValues(db, 'P');
    const versions = fieldValues(db, 'V');
    byRelease.set(dir, new Map(names.map((n, i) => [n, versions[i]!])));
  }
  return byRelease;
}

describe('apk', () => {
  it("follows Alpine's rules on the derived vectors", () => {
    for (const { a, b, want, line } of readVectors(join(import.meta.dirname, 'testdata/apk-vectors.txt'))) {
      expect(apk.compare(a, b), line).toBe(want);
      expect(apk.compare(b, a), line).toBe(-want || 0);
    }
  });

  it('parses every real version, and no package goes backwards from Alpine 3.18 to 3.19 to 3.20', () => {
    const releases = [...installed().values()];
    expect(releases.length).toBeGreaterThanOrEqual(3);
    for (const versions of releases) for (const v of versions.values()) expect(apk.parse(v), v).toMatchObject({ ok: true });
    let checked = 0;
    for (let i = 1; i < releases.length; i++) {
      for (const [name, newer] of releases[i]!) {
        const older = releases[i - 1]!.get(name);
        if (older === undefined) continue;
        expect(apk.compare(older, newer), `${name} ${older} -> ${newer}`).toBeLessThanOrEqual(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('rejects what the grammar does not allow, with a reason', () => {
    for (const bad of ['1.0-r', '1.0_foo', '1..0', 'a1.0', '1.0-r1a', '1.0ab', '1.0-1', '1.0_rc1.2', '1.0a.1', '1.0~', '1.0~xyz', '.1', '1.0.']) {
      const result = apk.parse(bad);
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(5);
    }
  });
});
