import { describe, expect, it } from 'vitest';
import { dpkg } from './dpkg.js';
import { fieldValues, pick, rng, rootfsDirs, run } from './testdata/support.js';

/** Every version in the Debian status files: binary versions and the source versions in "Source: x (v)". */
function realVersions(): string[] {
  const found = new Set<string>();
  for (const dir of rootfsDirs('debian-')) {
    const status = `${dir}/var/lib/dpkg/status`;
    for (const v of fieldValues(status, 'Version')) found.add(v);
    for (const s of fieldValues(status, 'Source')) {
      const m = /\(([^)]+)\)$/.exec(s);
      if (m) found.add(m[1]!);
    }
  }
  return [...found];
}

/** Variants a maintainer would make: epochs, tildes, revisions, binNMUs, padding, bumps. */
function mutate(random: () => number, v: string): string {
  const hyphen = v.lastIndexOf('-');
  const upstream = hyphen > v.indexOf(':') ? v.slice(0, hyphen) : v;
  const revision = hyphen > v.indexOf(':') ? v.slice(hyphen) : '';
  switch (Math.floor(random() * 12)) {
    case 0: return v.includes(':') ? v.replace(/^\d+:/, `${Math.floor(random() * 3)}:`) : `${Math.floor(random() * 3)}:${v}`;
    case 1: return `${upstream}${pick(random, ['~rc1', '~', '~~', '~beta2', '~0'])}${revision}`;
    case 2: return `${upstream}${revision || '-1'}${pick(random, ['+b1', '+b2', '~deb12u1', '.1', '+deb13u1', '~bpo12+1'])}`;
    case 3: return upstream;
    case 4: return `${upstream}-${pick(random, ['0', '1', '00', '1ubuntu1', '2.1', '0~1'])}`;
    case 5: return v.replace(/\d+/, (d) => String(Number(d) + 1));
    case 6: return v.replace(/(\d+)(?!.*\d)/, (d) => String(Math.max(0, Number(d) - 1)));
    case 7: return v.replace(/\.(\d)/, '.0$1');
    case 8: return `${upstream}${pick(random, ['a', '+dfsg', '.0', 'z', '+git20240101', '+really1.0'])}${revision}`;
    case 9: return v.replace(/\d/, (d) => `${d}${d}`);
    case 10: return v.replace(/[.+~]/, pick(random, ['.', '+', '~', '']));
    default: return v;
  }
}

/** Asks dpkg itself, many pairs per shell, two shells at once (10k spawns in one line would take ~30 s). */
async function dpkgOracle(pairs: [string, string][]): Promise<string[]> {
  const script = `while IFS='\t' read -r a b; do
    dpkg --compare-versions "$a" lt "$b"; rc=$?
    if [ $rc -eq 0 ]; then echo -1; continue; fi
    if [ $rc -ne 1 ]; then echo error; continue; fi
    if dpkg --compare-versions "$a" gt "$b"; then echo 1; else echo 0; fi
  done`;
  const half = Math.ceil(pairs.length / 2);
  const chunks = [pairs.slice(0, half), pairs.slice(half)];
  const outs = await Promise.all(chunks.map((chunk) => run('sh', ['-c', script], chunk.map(([a, b]) => `${a}\t${b}\n`).join(''))));
  return outs.flatMap((o) => o.trim().split('\n'));
}

describe('dpkg against dpkg --compare-versions', () => {
  it('agrees on >= 10,000 pairs of real Debian versions and their variants', async () => {
    const random = rng(12);
    const real = realVersions();
    expect(real.length).toBeGreaterThan(100);
    for (const v of real) expect(dpkg.parse(v), v).toMatchObject({ ok: true });
    const pairs: [string, string][] = [];
    while (pairs.length < 10_500) {
      const base = pick(random, real);
      const a = random() < 0.3 ? pick(random, real) : mutate(random, base);
      const b = random() < 0.2 ? pick(random, real) : mutate(random, random() < 0.5 ? base : mutate(random, base));
      if (dpkg.parse(a).ok && dpkg.parse(b).ok) pairs.push([a, b]);
    }
    const want = await dpkgOracle(pairs);
    expect(want).toHaveLength(pairs.length);
    const mismatches = pairs
      .map(([a, b], i) => ({ a, b, dpkg: want[i], ours: String(dpkg.compare(a, b)) }))
      .filter((m) => m.dpkg !== m.ours);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(new Set(want)).toEqual(new Set(['-1', '0', '1']));
  }, 120_000);
});
